/**
 * Inputs far larger than any real result folder (issue 16 item 4): each must give one line naming the file, or be
 * scored, never an out-of-memory abort, a stack overflow or ERR_STRING_TOO_LONG.
 */

import {rmSync, truncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {scoreResultPath, type ScoreOptions, writePredictions} from '../../src/scoring/index.js'
import {dutyCycle} from '../../src/scoring/metrics-sww.js'
import {MAX_LINE_BYTES, MAX_RESULT_FILE_BYTES, readMaybeGzip} from '../../src/scoring/result-files.js'
import {MIN_WINDOW_SECONDS, windowWarnings} from '../../src/scoring/windows.js'
import {erAccuracyLog, folderWith, labelsCsv, parseLogText} from './helpers.js'

const MIB = 2 ** 20

async function userErrorOf(path: string, options: ScoreOptions = {}): Promise<string> {
  const error = await scoreResultPath(path, options).then(() => null, (error_: unknown) => error_)
  expect(error).toBeInstanceOf(UserError)
  const {message} = error as UserError
  expect(message).not.toContain('\n')
  return message
}

/** Gzip members of long lines, concatenated (a valid gzip stream): more than the bound once decompressed. */
function gzipBomb(): Buffer {
  const line = `${'x'.repeat(MIB / 16 - 1)}\n`
  const member = gzipSync(line.repeat(16 * 16))
  return Buffer.concat(Array.from({length: MAX_RESULT_FILE_BYTES / (16 * MIB) + 1}, () => member))
}

describe('the class count of a label list is bounded by the benchmark', () => {
  const log = erAccuracyLog('kws01', [{path: '/d/tst_000000_Stop_7.bin', results: '0,0,0,0,0,0,0,1,0,0,0,0'}])

  it('a kws01 list claiming more than its 12 classes', async () => {
    const folder = folderWith({'accuracy/log.txt': log, 'y.csv': labelsCsv(100_000, [['tst_000000_Stop_7.bin', 7]])})
    expect(await userErrorOf(`${folder}/accuracy`, {labels: `${folder}/y.csv`}))
      .toBe(`${folder}/y.csv: 100000 classes, but kws01 has 12`)
  })

  it('a list for a benchmark tinydata does not know gets a generic bound', async () => {
    const mine = erAccuracyLog('mine01', [{path: '/d/a.bin', results: '0,1'}])
    const folder = folderWith({
      'accuracy/log.txt': mine, 'big.csv': labelsCsv(1001, [['a.bin', 1]]), 'ok.csv': labelsCsv(1000, [['a.bin', 1]]),
    })
    expect(await userErrorOf(`${folder}/accuracy`, {labels: `${folder}/big.csv`}))
      .toBe(`${folder}/big.csv: 1001 classes: more than the 1000 a list may have`)
    expect((await scoreResultPath(`${folder}/accuracy`, {labels: `${folder}/ok.csv`})).filesScored).toBe(1)
  })
})

describe('many stimuli or windows overflow no stack', () => {
  const COUNT = 150_000

  it('scores a log of 150,000 stimuli', async () => {
    const files = Array.from({length: COUNT}, (_, index) => `s${index}.bin`)
    const lines = files.flatMap((file, index) => [
      `00001.000 parser: Command "bload dut "/d/${file}""`,
      '00001.001 parser: Command "dut infer 1 0"',
      `00001.002 dut: m-results-[${index % 2 === 0 ? '0.9,0.1' : '0.2,0.8'}]`,
    ])
    const folder = folderWith({
      'accuracy/log.txt': ['00000.000 session: m-session-start-id[1]', ...lines].join('\n'),
      'y.csv': labelsCsv(2, files.map((file, index) => [file, index % 2])),
    })
    const result = await scoreResultPath(`${folder}/accuracy`, {labels: `${folder}/y.csv`})
    expect([result.filesScored, result.top1]).toEqual([COUNT, 100])
    expect(await writePredictions(join(folder, 'predictions.csv'), [result])).toBe(COUNT)
    rmSync(folder, {recursive: true})
  })

  it('reports on 150,000 short windows and 150,000 duty-cycle edges', () => {
    const windows = Array.from({length: COUNT}, (_, index) => ({
      file: null, inferences: 10, seconds: 1 + index / COUNT, inferencesPerSecond: 10, microjoules: null,
      microjoulesPerInference: null,
    }))
    expect(windowWarnings(windows)[1]).toMatch(`${COUNT} of ${COUNT} window(s) ran less than ${MIN_WINDOW_SECONDS} s`
      + ' (shortest 1.000 s)')
    const startS = Array.from({length: COUNT}, (_, index) => index * 0.01)
    expect(dutyCycle(startS, startS.map((start) => start + 0.005))?.frames).toBe(COUNT)
  })
})

describe('a long line is parsed in linear time', () => {
  /** Lines just under the line bound that repeat what a grammar searches for; quadratic matching took minutes. */
  const LINES = {
    ER: [`00001.000 dut: ${'m-results-['.repeat(80_000)}`, `00001.000 dut: ${'m-model-['.repeat(100_000)}`],
    PY: ['ulp-mlperf: Loading file '.repeat(40_000), 'ulp-mlperf:   m-results    : ['.repeat(30_000)],
  } as const

  it.each(['ER', 'PY'] as const)('%s', (runner) => {
    const start = performance.now()
    const log = parseLogText(runner, LINES[runner].join('\n'))
    expect(performance.now() - start).toBeLessThan(5000)
    expect([log.inferences, log.model]).toEqual([[], null])
  })
})

describe('result files are read within a size bound', () => {
  it('a log larger than the bound (a sparse 1 GiB file)', async () => {
    const log = join(folderWith({}), 'log.txt')
    writeFileSync(log, '00001.000 dut: x\n')
    truncateSync(log, 2 ** 30)
    expect(await userErrorOf(log)).toBe(`${log}: more than 256 MiB: far more than any runner writes, so not read`)
    rmSync(log)
  })

  it('a gzip bomb stops at the bound, in a log and in results.json', async () => {
    const bomb = gzipBomb()
    const folder = folderWith({'log.txt.gz': bomb, 'results.json': bomb})
    expect(await userErrorOf(join(folder, 'log.txt.gz')))
      .toBe(`${folder}/log.txt.gz: more than 256 MiB once decompressed: far more than any runner writes, so not read`)
    const error = await readMaybeGzip(join(folder, 'results.json')).then(() => null, (error_: unknown) => error_)
    expect((error as Error).message).toBe(`${folder}/results.json: more than 256 MiB once decompressed: far more than any`
      + ' runner writes, so not read')
  })

  it('a line longer than the bound', async () => {
    const folder = folderWith({'log.txt': `00001.000 dut: m-results-[${'1,'.repeat(MAX_LINE_BYTES)}1]\n`})
    expect(await userErrorOf(join(folder, 'log.txt')))
      .toBe(`${folder}/log.txt: a line longer than 1 MiB: far longer than any runner writes`)
  })
})
