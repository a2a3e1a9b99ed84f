import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {scoreResultPath, type ScoreOptions} from '../../src/scoring/index.js'
import {erAccuracyLog, erPerformanceLog, folderWith, labelsCsv} from './helpers.js'

/** Deterministic bytes that look nothing like a log. */
function garbage(length: number): Buffer {
  const bytes = Buffer.alloc(length)
  let state = 12_345
  for (let index = 0; index < length; index++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    bytes[index] = state >> 16
  }
  return bytes
}

/** Scoring must fail with a one-line UserError that starts with the file it is about. */
async function expectUserError(path: string, file: string, problem: RegExp, options: ScoreOptions = {}) {
  const error = await scoreResultPath(path, options).then(() => null, (error_: unknown) => error_)
  expect(error).toBeInstanceOf(UserError)
  const {message} = error as UserError
  expect(message.startsWith(`${file}: `)).toBe(true)
  expect(message).toMatch(problem)
  expect(message).not.toContain('\n')
}

const stimuli = [
  {path: '/d/vww01/000000343218.bin', results: '0.1,0.9'},
  {path: '/d/vww01/000000332570.bin', results: '0.3,0.7'},
]

describe('malformed inputs give clear errors, never a crash', () => {
  it('binary garbage', async () => {
    const folder = folderWith({'accuracy/log.txt': garbage(4096)})
    await expectUserError(`${folder}/accuracy`, `${folder}/accuracy/log.txt`, /not an EnergyRunner or Python-runner log/)
  })

  it('an empty log, plain or gzip-compressed', async () => {
    const folder = folderWith({'a/log.txt': '', 'b/log.txt.gz': gzipSync('\r\n\n')})
    await expectUserError(`${folder}/a`, `${folder}/a/log.txt`, /empty log/)
    await expectUserError(`${folder}/b`, `${folder}/b/log.txt.gz`, /empty log/)
  })

  it('corrupt gzip data', async () => {
    const folder = folderWith({'log.txt.gz': Buffer.concat([gzipSync('00001.000 dut: x').subarray(0, 12), garbage(64)])})
    await expectUserError(`${folder}/log.txt.gz`, `${folder}/log.txt.gz`, /corrupt gzip data/)
  })

  it('an accuracy log without any m-results line', async () => {
    const log = erAccuracyLog('vww01', stimuli).replaceAll(/.*m-results.*\n/g, '')
    const folder = folderWith({'accuracy/log.txt': log})
    await expectUserError(`${folder}/accuracy`, `${folder}/accuracy/log.txt`, /no m-results lines: nothing to score/)
  })

  it('a performance log without laps', async () => {
    const log = erPerformanceLog('kws01', 'bmark', [
      {file: 'tst_000000_Stop_7.bin', measured: 100, warmups: 1, lapStart: 1, lapEnd: 2},
    ]).replaceAll(/.*m-lap-us.*\n/g, '')
    const folder = folderWith({'performance/log.txt': log})
    await expectUserError(`${folder}/performance`, `${folder}/performance/log.txt`, /no timed window/)
  })

  it('files that are in no official list, without --labels', async () => {
    const folder = folderWith({'accuracy/log.txt': erAccuracyLog('vww01', [{path: '/d/mine.bin', results: '0,1'}])})
    await expectUserError(`${folder}/accuracy`, `${folder}/accuracy/log.txt`, /in an official label list: pass --labels/)
  })

  it('results for files not in the given labels: a warning for some, an error for all', async () => {
    const folder = folderWith({
      'accuracy/log.txt': erAccuracyLog('vww01', stimuli),
      'some.csv': labelsCsv(2, [['000000343218.bin', 1]]),
      'none.csv': labelsCsv(2, [['other.bin', 1]]),
    })
    const result = await scoreResultPath(`${folder}/accuracy`, {labels: `${folder}/some.csv`})
    expect(result.filesScored).toBe(1)
    expect(result.warnings).toContain('1 file(s) with results are not in the label list some.csv and were ignored:'
      + ' 000000332570.bin')
    await expectUserError(`${folder}/accuracy`, `${folder}/accuracy/log.txt`, /no file with results is in the label list/,
      {labels: `${folder}/none.csv`})
  })

  it('unreadable m-results payloads are counted and skipped', async () => {
    const log = erAccuracyLog('vww01', [
      ...stimuli, {path: '/d/vww01/000000352684.bin', results: '0.5,#ERR'}, {path: '/d/vww01/000000003934.bin', results: ''},
    ])
    const folder = folderWith({'accuracy/log.txt': log})
    const result = await scoreResultPath(`${folder}/accuracy`)
    expect(result.filesScored).toBe(2)
    expect(result.warnings).toContain('2 m-results line(s) are empty or not lists of numbers and were ignored')
    expect(result.warnings).toContain('2 inference(s) have no usable m-results')
  })

  it('paths that are not result folders', async () => {
    const folder = folderWith({'empty/readme.md': 'x', 'two/log.txt': 'a', 'two/accuracy_log.txt': 'b'})
    await expectUserError(`${folder}/missing`, `${folder}/missing`, /no such file or folder/)
    await expectUserError(`${folder}/empty`, `${folder}/empty`, /no log.txt or \*_log.txt here/)
    await expectUserError(`${folder}/two`, `${folder}/two`, /several logs \(accuracy_log.txt, log.txt\)/)
  })

  it('a broken results.json or energy trace', async () => {
    const pyLog = 'Logging initialized.\nDevice model retrieved: kws01\nRunning inference with 1/70 (warmup/measured) iterations'
    const erLog = '00050.000 parser: Command "io dut infer 10 1"'
    const folder = folderWith({
      'py/performance/log.txt': pyLog,
      'py/performance/results.json': '{"truncated": [',
      'er/energy/log.txt': erLog,
      'er/energy/trace1-energy.bin': Buffer.from([0x00, 0, 0, 0x7a, 0x44]),
      'er/energy/trace1-timestamps.json': '[0.001, 1.0, 2.0]',
    })
    await expectUserError(`${folder}/py/performance`, `${folder}/py/performance/results.json`, /not valid JSON/)
    await expectUserError(`${folder}/er/energy`, `${folder}/er/energy/trace1-energy.bin`, /not an EMON trace/)
  })
})
