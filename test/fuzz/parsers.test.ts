/**
 * Every parser a user can feed, fuzzed (issue 16 item 9): runner logs (EnergyRunner and Python runner), results.json,
 * results.txt, EMON traces and timestamps, y_labels.csv, sww01 truth files, WAV files, JPEG files, manifest.arrow
 * files and tar, tar.gz and zip archives. Inputs are real ones (test fixtures, bundled samples and lists) with a few
 * edits, and random bytes. Whatever the input, a parser gives a result or one line of UserError, never another
 * exception. Fixed seed; each property stops when its share of the time budget is spent.
 */

import {readdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {sww01} from '../../datasets/sww01.js'
import {checkBoardWav} from '../../src/audio/sww-wav.js'
import {decodeWav, encodeWav, pcmWavHeader} from '../../src/audio/wav.js'
import {openSource} from '../../src/archives/source-reader.js'
import {parseSwwTruth, swwTruthEntry} from '../../src/formats/sww-truth.js'
import {parseYLabels} from '../../src/formats/y-labels.js'
import {decodeRgb} from '../../src/image/decode.js'
import {decodeManifest, readManifestRows} from '../../src/manifest/reader.js'
import type {StimulusRecord} from '../../src/manifest/schema.js'
import {encodeManifest} from '../../src/manifest/writer.js'
import {erTraceWindows, parseTimestamps} from '../../src/scoring/energy.js'
import type {Inference} from '../../src/scoring/events.js'
import {scoreResultPath, type ScoreOptions} from '../../src/scoring/index.js'
import {parsePyResults} from '../../src/scoring/py-results.js'
import {parseSwwResults} from '../../src/scoring/sww-results.js'
import {buildTar, buildZip, REPO_ROOT} from '../helpers/archives.js'
import {HAS_VWW_FIXTURES, syntheticJpeg, VWW_ORIGINALS} from '../helpers/images.js'
import {folderWith, swwLog} from '../scoring/helpers.js'
import {expectOneLine, expectResultOrOneLineError, fuzzOptions, variantsOf} from './mutate.js'

const LOG_FIXTURES = join(REPO_ROOT, 'test/fixtures/logs')
const fixture = (path: string): Buffer => readFileSync(join(LOG_FIXTURES, path))
const packaged = (path: string): Buffer => readFileSync(join(REPO_ROOT, path))

/** Runs, and the time each property may take at most: about 20 s for the file on a busy 2-core machine. */
const RUNS = 300
const FILE_BUDGET_MS = 1500
const PURE_BUDGET_MS = 700

const folders: string[] = []
afterAll(() => {
  for (const folder of folders) rmSync(folder, {recursive: true, force: true})
})

/** A result folder of the given files, scored; its warnings must be one line each. */
async function scoreFiles(files: Record<string, Buffer | string>, target: string, options: (root: string) => ScoreOptions = () => ({})) {
  const root = folderWith(files)
  folders.push(root)
  try {
    const result = await expectResultOrOneLineError(() => scoreResultPath(join(root, target), options(root)))
    if (result) expectOneLine(result.warnings)
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
}

/** An EnergyRunner energy session: two `io dut infer` windows, their EMON trace and GPIO timestamps. */
const ER_ENERGY_LOG = [
  '00001.000 session: m-session-start-id[1]',
  '00001.001 parser: m-bm-cfg-name[ulp-mlperf]-key[runMode]-val[bmark]',
  '00001.002 io: [dut]: m-model-[kws01]',
  '00001.003 parser: Command "bloadp "C:\\data\\tst_000000_Stop_7.bin""',
  '00001.004 parser: Command "io dut infer 20 1"',
  '00001.005 io: [dut]: m-results-[0.000,0.996,0.004]',
  '00002.003 parser: Command "bloadp "C:\\data\\tst_000001_Left_2.bin""',
  '00002.004 parser: Command "io dut infer 20 1"',
  '00002.005 io: [dut]: m-results-[0.100,0.900,0.000]',
].join('\n')
const TRACE_RATE = 1000
const ER_TRACE = Buffer.concat([
  Buffer.from([0xf1]),
  Buffer.from(new Float32Array([TRACE_RATE]).buffer),
  Buffer.from(new Float32Array(Array.from({length: 64}, (_, index) => 1 + (index % 7))).buffer),
])
const ER_TIMESTAMPS = '[0.001, 0.004, 0.020, 0.030, 0.050]'

/** A Python-runner sww01 results.json record: detections, the truth windows, the processing edges and LPM01A samples. */
const SWW_RESULTS = JSON.stringify([{
  infer: {wav_file: 'short_wav_easy10s.wav', length_sec: 10, detections: [0, 1200, 4100, 9000], detection_windows: [[1, 1.5], [4, 4.5]]},
  dutycycle: {start_times_s: [0.1, 0.2, 0.3, 0.4], stop_times_s: [0.15, 0.26, 0.35, 0.46]},
  power: {samples: [0.001, 0.002, 0.001, 0.003, 0.002], timestamps: [[0, 0], [1, 1], [2, 4]]},
}])

describe('fuzzed runner logs and result files are scored or refused in one line', () => {
  const erLog = fixture('er-vww-tiny/accuracy/log.txt')
  const erLabels = fixture('er-vww-tiny/y_labels.csv')
  const erResults = fixture('er-vww-tiny/accuracy/results.txt')
  const pyLog = fixture('py-kws-tiny/performance/log.txt')
  const pyResultsJson = fixture('py-kws-tiny/performance/results.json')
  const pyResults = fixture('py-kws-tiny/performance/results.txt')
  const labelsOption = (root: string) => ({labels: join(root, 'y_labels.csv')})

  it('EnergyRunner accuracy logs and their label lists', async () => {
    await fc.assert(fc.asyncProperty(variantsOf(erLog), variantsOf(erLabels, 256), async (log, labels) => {
      await scoreFiles({'accuracy/log.txt': log, 'accuracy/results.txt': erResults, 'y_labels.csv': labels}, 'accuracy', labelsOption)
    }), fuzzOptions(RUNS, FILE_BUDGET_MS))
  })

  it('Python-runner logs, results.json and results.txt', async () => {
    await fc.assert(fc.asyncProperty(
      fc.oneof(
        variantsOf(pyLog).map((log) => ({log, json: pyResultsJson, txt: pyResults})),
        variantsOf(pyResultsJson).map((json) => ({log: pyLog, json, txt: pyResults})),
        variantsOf(pyResults).map((txt) => ({log: pyLog, json: pyResultsJson, txt})),
      ),
      async ({log, json, txt}) => {
        await scoreFiles({'performance/log.txt': log, 'performance/results.json': json, 'performance/results.txt': txt}, 'performance')
      },
    ), fuzzOptions(RUNS, FILE_BUDGET_MS))
  })

  it('EnergyRunner energy logs, EMON traces and timestamps', async () => {
    await fc.assert(fc.asyncProperty(
      fc.oneof(
        variantsOf(Buffer.from(ER_ENERGY_LOG)).map((log) => ({log, trace: ER_TRACE, stamps: Buffer.from(ER_TIMESTAMPS)})),
        variantsOf(ER_TRACE).map((trace) => ({log: Buffer.from(ER_ENERGY_LOG), trace, stamps: Buffer.from(ER_TIMESTAMPS)})),
        variantsOf(Buffer.from(ER_TIMESTAMPS)).map((stamps) => ({log: Buffer.from(ER_ENERGY_LOG), trace: ER_TRACE, stamps})),
      ),
      async ({log, trace, stamps}) => {
        await scoreFiles({'energy/log.txt': log, 'energy/trace1-energy.bin': trace, 'energy/trace1-timestamps.json': stamps}, 'energy')
      },
    ), fuzzOptions(RUNS, FILE_BUDGET_MS))
  })

  it('sww01 logs and results.json', async () => {
    const log = Buffer.from(swwLog({detections: '[0, 1200, 4100]', trials: [{powerMw: '1.5', microjoules: '15000.0'}], dutyEcho: ['0.25', '0.032', '31.2']}))
    await fc.assert(fc.asyncProperty(
      fc.oneof(
        variantsOf(log).map((text) => ({text, json: null})),
        variantsOf(Buffer.from(SWW_RESULTS)).map((json) => ({text: log, json})),
      ),
      async ({text, json}) => {
        await scoreFiles({'energy/log.txt': text, ...(json ? {'energy/results.json': json} : {})}, 'energy')
      },
    ), fuzzOptions(RUNS, FILE_BUDGET_MS))
  })

  it('results.json, timestamps and traces, parsed directly', async () => {
    const inferences: Inference[] = [0, 1].map(() => ({file: 'a.bin', measured: 20, energyMode: true, outputs: [], laps: [], printedThroughput: null}))
    await fc.assert(fc.asyncProperty(
      variantsOf(pyResultsJson), variantsOf(Buffer.from(SWW_RESULTS)), variantsOf(Buffer.from(ER_TIMESTAMPS)), variantsOf(ER_TRACE),
      async (py, sww, stamps, trace) => {
        await expectResultOrOneLineError(() => parsePyResults(Buffer.from(py).toString('utf8'), 'results.json'))
        await expectResultOrOneLineError(() => parseSwwResults(Buffer.from(sww).toString('utf8'), 'results.json'))
        const timestamps = await expectResultOrOneLineError(() => parseTimestamps(Buffer.from(stamps).toString('utf8'), 'stamps.json'))
        await expectResultOrOneLineError(() => erTraceWindows(Buffer.from(trace), 'trace1-energy.bin', timestamps ?? [0, 0.001, 0.02], inferences))
      },
    ), fuzzOptions(RUNS, PURE_BUDGET_MS))
  })
})

describe('fuzzed lists and truth files are read or refused in one line', () => {
  it('y_labels.csv (kws01 and ad01 lists)', async () => {
    const lists = ['kws01.csv', 'ad01.csv'].map((name) => packaged(`manifests/labels/${name}`).subarray(0, 2048))
    await fc.assert(fc.asyncProperty(fc.oneof(...lists.map((list) => variantsOf(list))), async (text) => {
      await expectResultOrOneLineError(() => parseYLabels(Buffer.from(text).toString('utf8'), 'y_labels.csv'))
    }), fuzzOptions(RUNS, PURE_BUDGET_MS))
  })

  it('sww01 truth files', async () => {
    const truth = packaged('manifests/sww01/truth/sww_short_test.json')
    await fc.assert(fc.asyncProperty(variantsOf(truth), async (bytes) => {
      const text = Buffer.from(bytes).toString('utf8')
      expectOneLine(parseSwwTruth(text).problems)
      await expectResultOrOneLineError(() => swwTruthEntry(text, 'truth.json', 'short_wav_easy10s.wav'))
    }), fuzzOptions(RUNS, PURE_BUDGET_MS))
  })
})

describe('fuzzed audio, images, manifests and archives are read or refused in one line', () => {
  let wav: Uint8Array
  let archiveEntries: {path: string; bytes: Uint8Array}[]

  beforeAll(async () => {
    const reader = await openSource(join(REPO_ROOT, 'samples/kws01-sample.tar.gz'))
    archiveEntries = []
    for await (const member of reader.members()) if (archiveEntries.length < 3) archiveEntries.push(member)
    wav = archiveEntries[0]!.bytes
  })

  it('WAV files (the bundled kws01 sample), and the sww01 board check', async () => {
    const samples = Int16Array.from({length: 64}, (_, index) => (index * 977) % 2000 - 1000)
    const stereo = Int16Array.from({length: 128}, (_, index) => samples[index >> 1]!)
    const boardWav = Buffer.concat([pcmWavHeader(64, 16_000, 2), Buffer.from(stereo.buffer)])
    await fc.assert(fc.asyncProperty(fc.oneof(variantsOf(wav), variantsOf(encodeWav(samples, 16_000))), variantsOf(boardWav), async (bytes, board) => {
      await expectResultOrOneLineError(() => decodeWav(bytes, 'clip.wav'))
      const check = checkBoardWav(board, sww01.boardWav)
      if (!check.ok) expectOneLine([check.problem])
    }), fuzzOptions(RUNS, PURE_BUDGET_MS))
  })

  it('JPEG files', async () => {
    const jpegs = [await syntheticJpeg(40, 30, 1), await syntheticJpeg(24, 24, 2, {grey: true})]
    if (HAS_VWW_FIXTURES) jpegs.push(readFileSync(join(VWW_ORIGINALS, readdirSync(VWW_ORIGINALS).find((name) => name.endsWith('.jpg'))!)))
    await fc.assert(fc.asyncProperty(fc.oneof(...jpegs.map((jpeg) => variantsOf(jpeg))), async (bytes) => {
      await expectResultOrOneLineError(() => decodeRgb(bytes, 'val2017/000000000139.jpg'))
    }), fuzzOptions(RUNS, FILE_BUDGET_MS))
  })

  it('manifest.arrow files, decoded whole and read batch by batch', async () => {
    const records: StimulusRecord[] = archiveEntries.map((entry, index) => ({
      file: `tst_00000${index}_Stop_7.bin`, label: 7, className: 'Stop', sourceMember: entry.path, sourceSha256: '0'.repeat(64),
      stimulusSha256: '1'.repeat(64), dtype: 'int8', shape: [4], scale: 0.5, zeroPoint: 0, subset: 'official',
      bytes: entry.bytes.subarray(44, 48),
    }))
    const manifest = encodeManifest(records, {benchmark: 'kws01', recipe: {features: 'mfcc'}, tinydataVersion: '0.1.0'})
    await fc.assert(fc.asyncProperty(variantsOf(manifest), async (bytes) => {
      await expectResultOrOneLineError(() => decodeManifest(bytes, 'manifest.arrow'))
      const root = folderWith({'manifest.arrow': bytes})
      folders.push(root)
      await expectResultOrOneLineError(() => readManifestRows(join(root, 'manifest.arrow')))
      rmSync(root, {recursive: true, force: true})
    }), fuzzOptions(RUNS, FILE_BUDGET_MS))
  })

  it('tar.gz (the bundled kws01 sample), tar and zip archives and their members', async () => {
    const sample = packaged('samples/kws01-sample.tar.gz')
    const small = archiveEntries.map((entry) => ({path: entry.path, bytes: entry.bytes.subarray(0, 256)}))
    const archives = [sample, await buildTar(small), buildZip(small)]
    await fc.assert(fc.asyncProperty(fc.oneof(...archives.map((archive) => variantsOf(archive))), async (bytes) => {
      const root = folderWith({archive: bytes})
      folders.push(root)
      await expectResultOrOneLineError(async () => {
        const reader = await openSource(join(root, 'archive'))
        let members = 0
        for await (const member of reader.members()) members += member.bytes.length >= 0 ? 1 : 0
        return members
      })
      rmSync(root, {recursive: true, force: true})
    }), fuzzOptions(RUNS, FILE_BUDGET_MS))
  })
})

it('the fuzz inputs are real: the unedited fixtures are scored', async () => {
  const root = folderWith({
    'accuracy/log.txt': fixture('er-vww-tiny/accuracy/log.txt'), 'y_labels.csv': fixture('er-vww-tiny/y_labels.csv'),
    'energy/log.txt': ER_ENERGY_LOG, 'energy/trace1-energy.bin': ER_TRACE, 'energy/trace1-timestamps.json': ER_TIMESTAMPS,
    'sww/energy/log.txt': swwLog({detections: '[0, 1200, 4100]', trials: [{powerMw: '1.5', microjoules: '15000.0'}]}),
    'sww/energy/results.json': SWW_RESULTS,
  })
  folders.push(root)
  expect((await scoreResultPath(join(root, 'accuracy'), {labels: join(root, 'y_labels.csv')})).filesScored).toBe(6)
  expect((await scoreResultPath(join(root, 'energy'))).windows).toHaveLength(2)
  expect((await scoreResultPath(join(root, 'sww/energy'))).sww?.powerMw).toBeGreaterThan(0)
})
