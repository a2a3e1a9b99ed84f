/**
 * Benchmarks of sww01 (streaming wake word), each against a baseline measured in the same run and beside its target
 * (issue 14):
 * - `score` of a 1200-s Python-runner performance folder with a detection on every 32-ms frame (the worst case), and
 *   of the published one in ../shared where present, against reading and JSON-parsing the same files;
 * - the golden run (`inferSww`) on a 1200-s board WAV, as a real-time factor, against the bare model run as often;
 * - the peak RSS of `prepare sww` in a child process building the official long spec's 1200-s WAV from a generated
 *   MUSAN-layout tar of a few hundred MB (most of it members the spec never names), against the WAV's own size.
 */

import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, open, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {gunzipSync, gzipSync} from 'node:zlib'

// The built library, as users run it (`npm run bench` builds first).
import {decodeWav, encodeWav, pcmWavHeader} from '../dist/src/audio/wav.js'
import {inferSww, SWW_REFERENCE_MODEL} from '../dist/src/inference/sww-golden.js'
import {pythonFloat} from '../dist/src/formats/python-float.js'
import {numpyFloatArray, runnerCounts} from '../dist/src/inference/sww-log.js'
import {Int8Model, tfliteRuntimeAvailable} from '../dist/src/inference/runtime.js'
import {PACKAGE_ROOT, packageFile} from '../dist/src/package-files.js'
import {scoreResultPath} from '../dist/src/scoring/index.js'
import {bundledTruth} from '../dist/src/scoring/sww-truth.js'
import {buildTarGz, REPO_ROOT} from '../test/helpers/archives.js'
import {runCliWithPeakRss} from './child-rss.js'

const SHARED = resolve(PACKAGE_ROOT, '../shared')
const PUBLISHED_FOLDER = join(SHARED, 'fixtures/logs/tiny_results_v1.3/closed/STMicroelectronics/results/NUCLEO_U385RG_Q/sww/performance')
const EASY_WAV = join(SHARED, 'fixtures/sww01/runner/short_wav_easy10s.wav')
const LONG_SPEC = join(REPO_ROOT, 'manifests/sww01/specs/long_wav_spec.json')

const RATE = 16000
const LENGTH_S = 1200
/** The board's period between detection-pin pulses in the published run (one per 512-sample frame, ~32 ms). */
const PERIOD_MS = 32.061
/** Timed runs of each score figure; the median is printed. */
const SCORE_RUNS = 5
/** Padding of the MUSAN tar: members the spec does not name, which prepare sww must stream past. */
const UNNAMED_MUSAN_MEMBERS = 130
const UNNAMED_MUSAN_SECONDS = 60

export interface SwwScoreRun {
  name: string
  detections: number
  seconds: number
  readOnlySeconds: number
}

export interface SwwGoldenRun {
  audioSeconds: number
  /** The whole inferSww call: WAV read, model load, stream, log written. */
  seconds: number
  /** The stream alone, as inferSww reports it (audio seconds / its real-time factor). */
  streamSeconds: number
  inferences: number
  /** The bare model run `inferences` times on one input, nothing around it. */
  modelOnlySeconds: number
  source: string
}

export interface SwwPrepareRun {
  wavBytes: number
  musanTarBytes: number
  peakRssBytes: number
  seconds: number
  generateSeconds: number
}

export interface SwwBench {
  score: SwwScoreRun[]
  golden: SwwGoldenRun | string
  prepare: SwwPrepareRun
}

/** Deterministic noise in [-level, level]. */
function noise(length: number, seed: number, level: number): Int16Array {
  let state = seed >>> 0
  const samples = new Int16Array(length)
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    samples[i] = Math.round((state / 2 ** 32 - 0.5) * 2 * level)
  }
  return samples
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function seconds<T>(run: () => Promise<T>): Promise<{seconds: number; value: T}> {
  const start = performance.now()
  const value = await run()
  return {seconds: (performance.now() - start) / 1000, value}
}

/** The board's WAV: stereo 16-bit, both channels the same sample. */
function stereoWav(left: Int16Array): Uint8Array {
  const bytes = new Uint8Array(44 + left.length * 4)
  bytes.set(pcmWavHeader(left.length, RATE, 2))
  const samples = new Int16Array(bytes.buffer, 44)
  for (let i = 0; i < left.length; i++) samples[2 * i] = samples[2 * i + 1] = left[i]!
  return bytes
}

// ---- 1. score ----

/**
 * A performance folder as the Python runner writes it for long_wav.wav (log.txt.gz, results.json.gz, results.txt),
 * with the device pulsing on every frame: 37,000-odd detections, most of them false positives the scorer debounces.
 */
async function writeDenseSwwFolder(folder: string): Promise<void> {
  const truth = (await bundledTruth('long_wav.wav'))!
  const firstMs = 104
  const detectionsMs = Array.from({length: Math.floor((LENGTH_S * 1000 - firstMs) / PERIOD_MS)}, (_, k) => Math.round(firstMs + k * PERIOD_MS))
  const counts = runnerCounts(detectionsMs, truth.windows)
  const startTimesS = Array.from({length: 100}, (_, k) => 0.5 + (k * PERIOD_MS) / 1000)
  const summary = [
    `Accuracy: ${counts.truePositives} True positives, ${counts.falseNegatives} False negatives, ${counts.falsePositives} False positives`,
    `False negatives: [${counts.falseNegativeStarts.map(pythonFloat).join(', ')}]`,
    `False positives: ${numpyFloatArray(counts.falsePositiveTimes)}`,
    'Average duty cycle: 0.60364',
    'Average period: 0.032061 s',
    'Estimated throughput: 51.67 inf./sec.',
  ]
  const log = [
    'Logging initialized. Writing output to sessions\\20250730_111834\\log.txt',
    'Retrieving name from DUT ...', 'RX:m-name-dut-[bench]', 'RX:m-ready', 'Device name retrieved: bench',
    'RX:m-profile-[ULPMark for tinyML Firmware V0.0.1]', 'RX:m-model-[sww01]', 'RX:m-ready',
    'Device model retrieved: sww01',
    'start%', 'RX:Received command: start', 'RX:Listening for I2S data ...', 'RX:m-lap-us-14636565', 'RX:m-ready',
    `Playing long_wav.wav (length = ${LENGTH_S.toFixed(1)}s) at 11:18:37...`,
    'stop%', 'RX:Received command: stop', 'RX:m-lap-us-14637887', 'RX:Streaming stopped.', 'RX:m-ready',
    '... done',
    'No activation data found.',
    `[${detectionsMs.join(', ')}]`,
    'Duty cycle = 0.604, Period = 32.1 ms',
    `== File long_wav.wav (${LENGTH_S.toFixed(1)} s) ==`,
    ...summary,
    'Session logged in file sessions\\20250730_111834\\log.txt',
  ].join('\n') + '\n'
  const results = [{
    infer: {
      wav_file: 'long_wav.wav', detection_windows: truth.windows, length_sec: LENGTH_S, sample_rate: RATE, detections: detectionsMs,
      iterations: 1, warmups: 0,
    },
    dutycycle: {
      duty_cycle: 0.6036402788848388, period: PERIOD_MS / 1000, processing_time: 0.0193535,
      start_times_s: startTimesS, stop_times_s: startTimesS.map((start) => start + 0.0193535),
    },
    activations: [],
    mode: 'p',
  }]
  await mkdir(folder, {recursive: true})
  await writeFile(join(folder, 'log.txt.gz'), gzipSync(log))
  await writeFile(join(folder, 'results.json.gz'), gzipSync(JSON.stringify(results)))
  await writeFile(join(folder, 'results.txt'), [summary[0], ...summary.slice(3)].join('\n') + '\n')
}

/** Median seconds of `score` on a folder, and of reading (gunzipping) its files and parsing its results.json. */
async function timeScore(name: string, folder: string): Promise<SwwScoreRun> {
  const readOnly: number[] = []
  const scored: number[] = []
  let detections = 0
  for (let run = 0; run < SCORE_RUNS; run++) {
    readOnly.push((await seconds(async () => {
      for (const file of await readdir(folder)) {
        const bytes = await readFile(join(folder, file))
        const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')
        if (file.startsWith('results.json')) JSON.parse(text)
      }
    })).seconds)
    const score = await seconds(() => scoreResultPath(folder, {}))
    scored.push(score.seconds)
    detections = score.value.sww?.detectionsMs.length ?? 0
  }
  return {name, detections, seconds: median(scored), readOnlySeconds: median(readOnly)}
}

async function benchScore(dir: string): Promise<SwwScoreRun[]> {
  const folder = join(dir, 'results/bench/sww/performance')
  await writeDenseSwwFolder(folder)
  const runs = [await timeScore('generated 1200-s run, a detection every frame', folder)]
  if (existsSync(PUBLISHED_FOLDER)) runs.push(await timeScore('published STMicroelectronics NUCLEO_U385RG_Q run', PUBLISHED_FOLDER))
  return runs
}

// ---- 2. golden run ----

/** A 1200-s board WAV (short_wav_easy10s.wav 120 times, or noise without ../shared) and its truth JSON beside it. */
async function writeGoldenWav(dir: string): Promise<{wav: string; source: string}> {
  const repeats = LENGTH_S / 10
  const easy = existsSync(EASY_WAV) ? decodeWav(await readFile(EASY_WAV), EASY_WAV) : null
  const tenSeconds = easy
    ? Int16Array.from({length: easy.samples.length / easy.channels}, (_, i) => easy.samples[i * easy.channels]!)
    : noise(10 * RATE, 5, 3000)
  const left = new Int16Array(tenSeconds.length * repeats)
  for (let k = 0; k < repeats; k++) left.set(tenSeconds, k * tenSeconds.length)
  const wav = join(dir, 'bench_long.wav')
  await writeFile(wav, stereoWav(left))
  const easyTruth = (await bundledTruth('short_wav_easy10s.wav'))!
  const windows = Array.from({length: repeats}, (_, k) => easyTruth.windows.map(([start, stop]) => [start + 10 * k, stop + 10 * k])).flat()
  await writeFile(join(dir, 'bench_long_test.json'), JSON.stringify([{wav_file: 'bench_long.wav', sample_rate: RATE, length_sec: LENGTH_S, detection_windows: windows}], null, 2))
  return {wav, source: easy ? 'short_wav_easy10s.wav 120 times' : 'generated noise (../shared is absent)'}
}

async function benchGolden(dir: string): Promise<SwwGoldenRun | string> {
  if (!tfliteRuntimeAvailable()) return 'skipped: the optional package tfjs-tflite-node is not installed'
  const folder = join(dir, 'golden')
  await mkdir(folder)
  const {wav, source} = await writeGoldenWav(folder)
  const run = await seconds(() => inferSww(wav, {log: join(folder, 'sww01-golden_log.txt')}))
  const model = await Int8Model.load(packageFile('models', SWW_REFERENCE_MODEL))
  const input = new Int8Array(model.inputSize).fill(model.input.zeroPoint)
  const bare = await seconds(async () => {
    for (let k = 0; k < run.value.inferences; k++) model.run(input)
  })
  return {
    audioSeconds: run.value.lengthSeconds,
    seconds: run.seconds,
    streamSeconds: run.value.lengthSeconds / run.value.realTimeFactor,
    inferences: run.value.inferences,
    modelOnlySeconds: bare.seconds,
    source,
  }
}

// ---- 3. prepare sww peak memory ----

/** One ustar header block (regular file, mode 644, mtime 0); names here fit the 100-byte name field. */
function ustarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512)
  header.write(name, 0, 100, 'ascii')
  header.write('0000644\0', 100, 'ascii')
  header.write('0000000\0', 108, 'ascii')
  header.write('0000000\0', 116, 'ascii')
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii')
  header.write('00000000000\0', 136, 'ascii')
  header.write('        ', 148, 'ascii')
  header.write('0', 156, 'ascii')
  header.write('ustar\0' + '00', 257, 'ascii')
  const checksum = header.reduce((sum, byte) => sum + byte, 0)
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii')
  return header
}

/** Writes a tar member by member, so that a few hundred MB of members are never held at once. */
async function writeTar(file: string, members: Array<{path: string; bytes: () => Uint8Array}>): Promise<number> {
  const handle = await open(file, 'w')
  let size = 0
  try {
    for (const member of members) {
      const bytes = member.bytes()
      const padding = (512 - (bytes.length % 512)) % 512
      await handle.write(ustarHeader(member.path, bytes.length))
      await handle.write(bytes)
      await handle.write(Buffer.alloc(padding))
      size += 512 + bytes.length + padding
    }
    await handle.write(Buffer.alloc(1024))
    return size + 1024
  } finally {
    await handle.close()
  }
}

/** A 1-s Speech Commands clip: a tone-and-noise burst between silences, so that the wakeword trim has work to do. */
function wordClip(seed: number): Int16Array {
  const burst = noise(9000, seed, 6000)
  for (let i = 0; i < burst.length; i++) {
    burst[i] = Math.round(Math.sin((Math.PI * i) / burst.length) * (burst[i]! + 4000 * Math.sin((i * (300 + 13 * (seed % 40))) / RATE * 2 * Math.PI)))
  }
  const clip = new Int16Array(RATE)
  clip.set(burst, 3000)
  return clip
}

interface SwwSpecJson {
  configs_background: Array<[string, number, number, number]>
  configs_wakeword: Array<[string, number, number]>
}

/** The Speech Commands tar.gz and MUSAN tar the official long spec names, padded with members it does not name. */
async function writePrepareSources(dir: string): Promise<{spec: string; speechCommands: string; musan: string; musanTarBytes: number}> {
  const spec = JSON.parse(await readFile(LONG_SPEC, 'utf8')) as SwwSpecJson
  const specFile = join(dir, 'bench_long_spec.json')
  await writeFile(specFile, JSON.stringify(spec))

  const words = ['yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go', 'marvin']
  const named = spec.configs_wakeword.map(([path]) => path.replace('{speech_commands_path}/', './'))
  const unnamed = Array.from({length: 550}, (_, i) => `./${words[i % words.length]}/${(0x10000000 + i * 7919).toString(16)}_nohash_0.wav`)
  const speechCommands = join(dir, 'speech_commands_v0.02.tar.gz')
  await writeFile(speechCommands, await buildTarGz([...named, ...unnamed].map((path, i) => ({path, bytes: encodeWav(wordClip(i + 1), RATE)}))))

  // Each named background as long as its longest segment; every clip a slice of one noise track, at its own offset.
  const neededSamples = new Map<string, number>()
  for (const [path, startS, stopS] of spec.configs_background) {
    const member = path.replace('{musan_path}/', 'musan/')
    neededSamples.set(member, Math.max(neededSamples.get(member) ?? 0, Math.ceil((stopS - startS) * RATE) + RATE))
  }
  const track = noise(400 * RATE, 9, 8000)
  const kinds = ['music/fma/music-fma', 'noise/free-sound/noise-free-sound', 'speech/us-gov/speech-us-gov']
  for (let i = 0; i < UNNAMED_MUSAN_MEMBERS; i++) {
    neededSamples.set(`musan/${kinds[i % kinds.length]}-${String(1000 + i).padStart(4, '0')}.wav`, UNNAMED_MUSAN_SECONDS * RATE)
  }
  const members = [...neededSamples].sort(([a], [b]) => a.localeCompare(b)).map(([path, length], i) => {
    const offset = (i * 7 * RATE) % (track.length - length)
    return {path, bytes: () => encodeWav(track.subarray(offset, offset + length), RATE)}
  })
  const musan = join(dir, 'musan.tar')
  const musanTarBytes = await writeTar(musan, members)
  return {spec: specFile, speechCommands, musan, musanTarBytes}
}

async function benchPrepare(dir: string): Promise<SwwPrepareRun> {
  const folder = join(dir, 'prepare')
  await mkdir(folder)
  const generated = await seconds(() => writePrepareSources(folder))
  const sources = generated.value
  const out = join(folder, 'out')
  const run = await runCliWithPeakRss(folder, ['prepare', 'sww', '--spec', sources.spec, '--speech-commands', sources.speechCommands,
    '--musan', sources.musan, '--out', out, '--no-verify', '--json'])
  const {wav_file: wavFile} = JSON.parse(run.stdout) as {wav_file: string}
  return {
    wavBytes: (await stat(wavFile)).size,
    musanTarBytes: sources.musanTarBytes,
    peakRssBytes: run.peakRssBytes,
    seconds: run.seconds,
    generateSeconds: generated.seconds,
  }
}

export async function benchSww(): Promise<SwwBench> {
  const dir = await mkdtemp(join(tmpdir(), 'tinydata-bench-sww-'))
  try {
    return {score: await benchScore(dir), golden: await benchGolden(dir), prepare: await benchPrepare(dir)}
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
