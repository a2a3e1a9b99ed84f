/**
 * `tinydata infer`: a golden run. The reference int8 model runs on the host over the exact stimulus bytes of a runner
 * folder, with the conversions a device applies (model-input.ts), and the outputs are written as an EnergyRunner
 * accuracy log that `tinydata score` scores like a device's.
 */

import {readFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'

import {fileError, UserError} from '../errors.js'
import {writeFileAtomically} from '../io/atomic-write.js'
import {snakeCaseKeys, type SnakeCased} from '../formats/json-case.js'
import {readManifestMeta} from '../manifest/reader.js'
import {packageFile} from '../package-files.js'
import {type ScoreResult, scoreResultPath, type ScoreResultJson, scoreResultToJson} from '../scoring/index.js'
import {TINYDATA_VERSION} from '../version.js'
import {isKwsLfbe} from '../verify/official-sets.js'
import {detectBenchmark, readRunnerFolder, type RunnerFolder} from '../verify/runner-folder.js'
import {type BenchmarkId} from '../benchmark-ids.js'
import {GoldenLogWriter} from './golden-log.js'
import {
  AD_STRIDE_VALUES, AD_WINDOW_VALUES, adStimulusValues, adWindowScore, adWindowTensors, dequantizeInt8, modelInputTensors,
  RUNNER_STIMULUS_BYTES, tensorsPerStimulus,
} from '../quantization/model-input.js'
import {Int8Model} from './runtime.js'

/** The reference int8 models, shipped in models/ (Apache-2.0, from mlcommons/tiny). */
export const REFERENCE_MODELS: Record<BenchmarkId, string> = {
  kws01: 'kws_ref_model.tflite',
  vww01: 'vww_96_int8.tflite',
  ic01: 'pretrainedResnet_quant.tflite',
  ad01: 'ad01_int8.tflite',
}

export function referenceModelPath(benchmark: BenchmarkId): string {
  return packageFile('models', REFERENCE_MODELS[benchmark])
}

export interface InferOptions {
  /** A .tflite model; default: the reference model of the folder's benchmark. */
  model?: string
  /** Where the log goes; default: `<benchmark>-golden_log.txt` beside the runner folder (which stays as it is). */
  log?: string
  onProgress?: (done: number, total: number) => void
}

export interface InferResult {
  folder: string
  benchmark: BenchmarkId
  model: string
  log: string
  stimuli: number
  inferences: number
  /** Time inside the interpreter only. */
  seconds: number
  inferencesPerSecond: number
  score: ScoreResult
}

/** The `--json` shape of `tinydata infer`: snake_case keys, the score as `tinydata score --json` prints it. */
export type InferResultJson = SnakeCased<Omit<InferResult, 'seconds' | 'score'>> & {score: ScoreResultJson}

export function inferResultToJson({seconds: _interpreterTime, score, ...result}: InferResult): InferResultJson {
  return {...snakeCaseKeys(result), score: scoreResultToJson(score)}
}

export async function inferFolder(folderPath: string, options: InferOptions = {}): Promise<InferResult> {
  const folder = await readRunnerFolder(folderPath, {hashes: false})
  const benchmark = await folderBenchmark(folder, folderPath)
  checkFiles(folder, benchmark)
  // LFBE files are 490 bytes like MFCC: an official LFBE folder without a manifest is known by its hashes.
  const first = folder.files[0]!.name
  if (benchmark === 'kws01' && isKwsLfbe([await readFile(join(folder.dir, first))], undefined)) {
    throw fileError(folderPath, `holds kws01 lfbe stimuli (${first} is an official LFBE file); the reference model takes the mfcc stimuli`)
  }
  const modelFile = options.model ?? referenceModelPath(benchmark)
  const model = await Int8Model.load(modelFile)
  // One input value per stimulus byte, except ad01, whose windows of float32 values are quantised one value each.
  const expectedInput = benchmark === 'ad01' ? AD_WINDOW_VALUES : RUNNER_STIMULUS_BYTES[benchmark]
  if (model.inputSize !== expectedInput) {
    throw fileError(modelFile, `the model takes ${model.inputSize} input values, but a ${benchmark} stimulus gives ${expectedInput}`)
  }

  const logFile = resolve(options.log ?? join(dirname(resolve(folder.dir)), `${benchmark}-golden_log.txt`))
  const log = new GoldenLogWriter({
    benchmark, stimuliDir: folder.dir, model: basename(modelFile), tinydataVersion: TINYDATA_VERSION,
  })
  let seconds = 0
  let inferences = 0
  for (const [index, file] of folder.files.entries()) {
    // Read synchronously: the interpreter holds this thread anyway, and an async read added a thread-pool round trip
    // per stimulus that the interpreter sat waiting for (half of a kws01 run's time on a busy machine).
    const bytes = readFileSync(join(folder.dir, file.name))
    // ad01's float values, parsed once: quantised into the windows, and the reference of each window's score.
    const adValues = benchmark === 'ad01' ? adStimulusValues(bytes) : null
    const tensors = adValues ? adWindowTensors(adValues, model.input) : modelInputTensors(benchmark, bytes, model.input)
    for (let window = 0; window < tensorsPerStimulus(benchmark); window++) {
      const input = tensors.subarray(window * model.inputSize, (window + 1) * model.inputSize)
      const started = performance.now()
      const output = model.runInPlace(input) // read before the next run
      const elapsed = performance.now() - started
      seconds += elapsed / 1000
      inferences++
      if (adValues) {
        const start = window * AD_STRIDE_VALUES
        const score = adWindowScore(output, adValues.subarray(start, start + AD_WINDOW_VALUES), model.output)
        log.inference({
          file: file.name, window: {offset: start * 4, length: AD_WINDOW_VALUES * 4}, outputs: [score], microseconds: elapsed * 1000,
        })
      } else {
        const outputs = Array.from(output, (value) => dequantizeInt8(value, model.output))
        log.inference({file: file.name, outputs, microseconds: elapsed * 1000})
      }
    }
    options.onProgress?.(index + 1, folder.files.length)
  }
  // Replaced atomically but not flushed to disk first: the log is remade by running infer again, and the flush took
  // up to a tenth of a kws01 run on a busy machine (issue 17).
  await writeFileAtomically(logFile, log.text(), {sync: false})
  const score = await scoreResultPath(logFile, {labels: folder.labelsFile, convention: 'er'})
  return {
    folder: folderPath,
    benchmark,
    model: modelFile,
    log: logFile,
    stimuli: folder.files.length,
    inferences,
    seconds,
    inferencesPerSecond: seconds > 0 ? inferences / seconds : 0,
    score,
  }
}

async function folderBenchmark(folder: RunnerFolder, folderPath: string): Promise<BenchmarkId> {
  const manifestMeta = folder.manifestFile ? await readManifestMeta(folder.manifestFile) : null
  const recipe = manifestMeta?.recipe ?? {}
  if (recipe.format === 'model') {
    throw fileError(folderPath, 'holds model-input tensors (prepare --format model); infer reads the runner format')
  }
  if (recipe.variant !== undefined && recipe.variant !== 'mfcc') {
    throw fileError(folderPath, `holds kws01 ${String(recipe.variant)} stimuli; the reference model takes the mfcc stimuli`)
  }
  return detectBenchmark(folder, manifestMeta?.benchmark ?? null)
}

/** Every listed file present, with the size of its benchmark's stimuli. */
function checkFiles(folder: RunnerFolder, benchmark: BenchmarkId): void {
  const expected = RUNNER_STIMULUS_BYTES[benchmark]
  for (const file of folder.files) {
    const path = join(folder.dir, file.name)
    if (file.bytes === null) throw fileError(path, 'listed in y_labels.csv but missing')
    if (file.bytes !== expected) throw fileError(path, `${file.bytes} bytes; ${benchmark} stimuli are ${expected} bytes`)
  }
  if (folder.files.length === 0) throw new UserError(`${folder.labelsFile}: lists no stimulus`)
}
