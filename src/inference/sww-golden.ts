/**
 * `tinydata infer sww <wav>`: the golden run of streaming wake word. The reference int8 model runs on the host over a
 * WAV as the reference DUT runs it (stimuli.md §5.3): every 512 samples of the left channel, one LFBE frame
 * (sww-features.ts) shifted into the 30-frame input, one inference, and a detection pulse when the int8 wake-word
 * output is above 115 or on the first frame (the t = 0 marker). No debounce, as on the device: the scorer's does it.
 * The pulses are written as the Python runner's log.txt and matched against the WAV's truth windows.
 */
import {readdir, readFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'

import {
  SWW_FRAME_STEP, SWW_INPUT_FRAMES, SWW_MEL_BANDS, SWW_SAMPLE_RATE, SwwFrontEnd, swwFeatureToInt8,
} from '../audio/sww-features.js'
import {decodeWav} from '../audio/wav.js'
import {fileError} from '../errors.js'
import {snakeCaseKeys, type SnakeCased} from '../formats/json-case.js'
import {writeFileAtomically} from '../io/atomic-write.js'
import {packageFile} from '../package-files.js'
import {TINYDATA_VERSION} from '../version.js'
import {Int8Model} from './runtime.js'
import {swwTruthEntry, type TruthWindow} from '../formats/sww-truth.js'
import {runnerCounts, swwLogText} from './sww-log.js'

/** The reference model (Apache-2.0, mlcommons/tiny training/streaming_wakeword/trained_models/), shipped in models/. */
export const SWW_REFERENCE_MODEL = 'str_ww_ref_model.tflite'
/** `DETECT_THRESHOLD` of the reference firmware: a pulse when the int8 wake-word score is above it. */
export const SWW_DETECT_THRESHOLD = 115
/** The wake-word ("Marvin") output of the model's three. */
const WAKE_WORD_OUTPUT = 0

export interface SwwInferOptions {
  /** A .tflite int8 model instead of the reference model. */
  model?: string
  /** The truth JSON; default: the JSON beside the WAV whose entry names it. */
  truth?: string
  /** Where the log goes; default: `sww01-golden_log.txt` beside the WAV. */
  log?: string
}

export interface SwwInferResult {
  wav: string
  model: string
  truth: string
  log: string
  lengthSeconds: number
  /** One per 512-sample stride. */
  inferences: number
  /** Pulse timestamps (ms from the start of the WAV), the first one the t = 0 marker. */
  detectionsMs: number[]
  truePositives: number
  falseNegatives: number
  falsePositives: number
  f1: number
  /** Audio seconds processed per second of wall time (front end and model). */
  realTimeFactor: number
}

/** The `--json` shape of `tinydata infer sww`: snake_case keys. */
export type SwwInferResultJson = SnakeCased<SwwInferResult>

export function swwInferResultToJson(result: SwwInferResult): SwwInferResultJson {
  return snakeCaseKeys(result)
}

/** Any source of model outputs for one int8 input (the TFLite model, or a stand-in in tests). */
export type SwwClassifier = (input: Int8Array) => Int8Array

export interface SwwStreamRun {
  detectionsMs: number[]
  inferences: number
}

/**
 * Runs the DUT's loop over left-channel int16 samples: frame k ends at sample 512·(k + 1), and its pulse is stamped
 * at that instant in ms. The input starts as 30 frames of silence (feature 0, the int8 zero point).
 */
export function runSwwStream(
  samples: Int16Array, classify: SwwClassifier, quantization: {scale: number; zeroPoint: number},
): SwwStreamRun {
  const frontEnd = new SwwFrontEnd()
  const input = new Int8Array(SWW_INPUT_FRAMES * SWW_MEL_BANDS).fill(quantization.zeroPoint)
  const newest = (SWW_INPUT_FRAMES - 1) * SWW_MEL_BANDS
  const frames = Math.floor(samples.length / SWW_FRAME_STEP)
  const detectionsMs: number[] = []
  for (let frame = 0; frame < frames; frame++) {
    const features = frontEnd.next(samples.subarray(frame * SWW_FRAME_STEP, (frame + 1) * SWW_FRAME_STEP))
    input.copyWithin(0, SWW_MEL_BANDS)
    for (let band = 0; band < SWW_MEL_BANDS; band++) {
      input[newest + band] = swwFeatureToInt8(features[band]!, quantization.scale, quantization.zeroPoint)
    }
    const output = classify(input)
    if (frame === 0 || output[WAKE_WORD_OUTPUT]! > SWW_DETECT_THRESHOLD) {
      detectionsMs.push(((frame + 1) * SWW_FRAME_STEP * 1000) / SWW_SAMPLE_RATE)
    }
  }
  return {detectionsMs, inferences: frames}
}

/** The left channel of a 16-kHz 16-bit WAV (the DUT reads `idle_buffer[2*i]`; a mono WAV is its own left channel). */
export async function readSwwWav(path: string): Promise<Int16Array> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? fileError(path, 'no such file') : fileError(path, `cannot be read (${error.message})`)
  })
  const audio = decodeWav(bytes, path)
  if (audio.sampleRate !== SWW_SAMPLE_RATE) throw fileError(path, `${audio.sampleRate} Hz; sww01 WAVs are ${SWW_SAMPLE_RATE} Hz`)
  if (audio.channels === 1) return audio.samples
  const frames = Math.floor(audio.samples.length / audio.channels)
  return Int16Array.from({length: frames}, (_, i) => audio.samples[i * audio.channels]!)
}

interface SwwTruth {
  file: string
  windows: TruthWindow[]
  lengthSeconds: number
}

/** The truth entry of `wavName` in a runner JSON; null where the file names another WAV only. */
async function readTruthEntry(file: string, wavName: string): Promise<SwwTruth | null> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw fileError(file, error.code === 'ENOENT' ? 'no such file' : `cannot read it (${error.code ?? error.message})`)
  })
  const entry = swwTruthEntry(text, file, wavName)
  return entry && {file, windows: entry.windows, lengthSeconds: entry.lengthS}
}

/** The truth of a WAV: from `--truth`, else the first JSON beside the WAV (by name) that has an entry for it. */
async function findTruth(wavPath: string, truthFile: string | undefined): Promise<SwwTruth> {
  const wavName = basename(wavPath)
  if (truthFile) {
    const truth = await readTruthEntry(truthFile, wavName)
    if (!truth) throw fileError(truthFile, `has no entry whose wav_file is ${wavName}`)
    return truth
  }
  const folder = dirname(wavPath)
  const candidates = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort()
  for (const name of candidates) {
    const truth = await readTruthEntry(join(folder, name), wavName).catch(() => null)
    if (truth) return truth
  }
  throw fileError(wavPath, 'no truth JSON beside it names this WAV (wav_file); give one with --truth FILE')
}

export async function inferSww(wavPath: string, options: SwwInferOptions = {}): Promise<SwwInferResult> {
  const samples = await readSwwWav(wavPath)
  if (samples.length < SWW_FRAME_STEP) throw fileError(wavPath, `shorter than one ${SWW_FRAME_STEP}-sample stride`)
  const truth = await findTruth(wavPath, options.truth)
  const modelFile = options.model ?? packageFile('models', SWW_REFERENCE_MODEL)
  const model = await Int8Model.load(modelFile)
  const expectedInput = SWW_INPUT_FRAMES * SWW_MEL_BANDS
  if (model.inputSize !== expectedInput) {
    throw fileError(modelFile, `the model takes ${model.inputSize} input values; the sww01 front end gives ${expectedInput} (30 frames × 40)`)
  }
  const started = new Date()
  const startedAt = performance.now()
  const run = runSwwStream(samples, (input) => model.run(input), model.input)
  const seconds = (performance.now() - startedAt) / 1000

  const counts = runnerCounts(run.detectionsMs, truth.windows)
  const logFile = resolve(options.log ?? join(dirname(resolve(wavPath)), 'sww01-golden_log.txt'))
  await writeFileAtomically(logFile, swwLogText({
    wavFile: basename(wavPath), lengthSeconds: truth.lengthSeconds, timestampsMs: run.detectionsMs, counts,
    model: basename(modelFile), tinydataVersion: TINYDATA_VERSION, started,
  }))
  const {truePositives, falseNegatives, falsePositives} = counts
  const f1Denominator = 2 * truePositives + falsePositives + falseNegatives
  return {
    wav: wavPath,
    model: modelFile,
    truth: truth.file,
    log: logFile,
    lengthSeconds: samples.length / SWW_SAMPLE_RATE,
    inferences: run.inferences,
    detectionsMs: run.detectionsMs,
    truePositives,
    falseNegatives,
    falsePositives,
    f1: f1Denominator > 0 ? (2 * truePositives) / f1Denominator : 0,
    realTimeFactor: seconds > 0 ? samples.length / SWW_SAMPLE_RATE / seconds : 0,
  }
}
