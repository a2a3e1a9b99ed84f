/** sww01 (streaming wake word) scoring: the runner's rules on small generated runs, then every published sww folder. */

import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {compareWithGolden} from '../../src/scoring/against.js'
import {scoreResultPath} from '../../src/scoring/index.js'
import {detectionStats, dutyCycle, formatSignificant} from '../../src/scoring/metrics-sww.js'
import {SHARED, skipMessage} from '../helpers/archives.js'
import {folderWith, swwLog} from './helpers.js'

/** short_wav_easy10s.wav's truth windows (the runner's sww_short_test.json). */
const SHORT_WINDOWS: [number, number][] = [[1, 1.647625], [4, 4.76175], [7, 7.358625]]
/**
 * t0 = 500 ms; two detections in window 1 (one consumed with the other); 6.76 s, 2 s past window 2's end (1 s would
 * miss it); none in window 3; 9.5 s a false positive, 10.3 s debounced into it, 11.0 s a second one (the debounce
 * does not chain through the suppressed 10.3 s).
 */
const DETECTIONS = [500, 1700, 2000, 7260, 10000, 10800, 11500]
const DETECTION_LINE = `[${DETECTIONS.join(', ')}]`

describe('detectionStats (calc_detection_stats)', () => {
  it('matches [start, stop + 2 s], consumes every match, debounces the rest over 1 s', () => {
    const stats = detectionStats(DETECTIONS, SHORT_WINDOWS)
    expect([stats.truePositives, stats.falseNegatives, stats.falsePositives]).toEqual([2, 1, 2])
    expect(stats.matches).toEqual([[0, 1], [2], []])
    expect(stats.falsePositiveIndices.map((index) => stats.detectionsS[index])).toEqual([9.5, 11])
    expect(stats.f1).toBeCloseTo(4 / 7, 12)
  })

  it('a detection just past stop + 2 s is a false positive, not a match', () => {
    const stats = detectionStats([0, 6762], [[4, 4.76175]])
    expect([stats.truePositives, stats.falseNegatives, stats.falsePositives]).toEqual([0, 1, 1])
  })

  it('scores a list out of time order in list order', () => {
    const stats = detectionStats([0, 9500, 9000], [[1, 2]])
    // 9.5 s suppresses nothing before it in the list: 9.0 s is later in the list but earlier in time
    expect(stats.falsePositives).toBe(2)
  })
})

describe('dutyCycle (process_dutycycle) and the runner\'s 5-significant-digit print', () => {
  it('mean(on) / mean(period), throughput 1 / mean(on)', () => {
    const figures = dutyCycle([0, 0.032, 0.064, 0.096], [0.02, 0.052, 0.084, 0.116])!
    expect(formatSignificant(figures.dutyCycle)).toBe('0.625')
    expect(formatSignificant(figures.periodS)).toBe('0.032')
    expect(formatSignificant(figures.throughputIps)).toBe('50.0')
    expect(figures.frames).toBe(4)
    expect(figures.warnings).toEqual([])
  })

  it('cuts unequal edge counts to the shorter, and warns on an uneven period', () => {
    const figures = dutyCycle([0, 0.032, 0.07, 0.1], [0.02, 0.052, 0.09])!
    expect(figures.frames).toBe(3)
    expect(figures.warnings.join('\n')).toMatch(/4 duty-cycle start edges but 3 stop edges/)
    expect(figures.warnings.join('\n')).toMatch(/period varies/)
  })

  it('formats as Python format(x, "1.5")', () => {
    expect(formatSignificant(166.27999)).toBe('166.28')
    expect(formatSignificant(0.0320613131)).toBe('0.032061')
    expect(formatSignificant(0.03207)).toBe('0.03207')
    expect(formatSignificant(123456.7)).toBe('1.2346e+05')
    expect(formatSignificant(0.0000123456)).toBe('1.2346e-05')
    expect(formatSignificant(99999.7)).toBe('1e+05')
  })
})

describe('scoring generated sww01 folders', () => {
  it('log.txt only: counts recomputed against the bundled truth of the WAV it names, the rest read back', async () => {
    const folder = folderWith({
      'performance/log.txt': swwLog({detections: DETECTION_LINE, dutyEcho: ['0.60618', '0.03207', '51.44']}),
    })
    const result = await scoreResultPath(join(folder, 'performance'))
    expect(result.benchmark).toBe('sww01')
    expect(result.mode).toBe('performance')
    expect(result.sww?.truthSource).toBe('manifests/sww01/truth/sww_short_test.json')
    expect(result.sww?.printed).toEqual({
      accuracy: '2 True positives, 1 False negatives, 2 False positives',
      dutyCycle: '0.60618', periodS: '0.03207', throughputIps: '51.44', powerMw: null,
    })
    expect(result.sww?.readBack).toEqual(['duty cycle', 'period', 'throughput'])
    expect(result.warnings.join('\n')).toMatch(/TP \+ FN = 3, not the 50 windows/)
    expect(result.warnings.join('\n')).toMatch(/read back from the log/)
  })

  it('results.json: its own windows, the duty cycle from the edges, the power of the one energy trial', async () => {
    const record = {
      infer: {wav_file: 'mine.wav', length_sec: 12, detection_windows: SHORT_WINDOWS, detections: DETECTIONS},
      dutycycle: {start_times_s: [0, 0.032, 0.064, 0.096], stop_times_s: [0.02, 0.052, 0.084, 0.116]},
      power: {samples: Array.from({length: 1200}, () => 1e-5), timestamps: [[0, 0], [1, 100], [2, 1100]]},
    }
    const folder = folderWith({
      'energy/log.txt': swwLog({wav: 'mine.wav', detections: '[1, 2]', trials: [{powerMw: '9.9999', microjoules: '1.0'}]}),
      'energy/results.json': JSON.stringify([record]),
    })
    const result = await scoreResultPath(join(folder, 'energy'))
    expect(result.mode).toBe('energy')
    expect(result.sww?.truthSource).toBe(join(folder, 'energy/results.json'))
    expect(result.sww?.stats.truePositives).toBe(2)
    expect(result.sww?.printed).toMatchObject({dutyCycle: '0.625', periodS: '0.032', throughputIps: '50.0', powerMw: '10.0000'})
    expect(result.printed.medianUjPerInference).toBe('10000.0000')
    expect(result.sww?.readBack).toEqual([])
    expect(result.warnings.join('\n')).toMatch(/first 4 processing frames only/)
  })

  it('warns on FP or FN over the closed-division limit and on a non-monotonic list', async () => {
    const many = [0, ...Array.from({length: 9}, (_, index) => 20000 + 2000 * index), 1500]
    const folder = folderWith({'performance/log.txt': swwLog({detections: `[${many.join(', ')}]`})})
    const result = await scoreResultPath(join(folder, 'performance'))
    expect(result.sww?.stats.falsePositives).toBe(9)
    const warnings = result.warnings.join('\n')
    expect(warnings).toMatch(/9 false positives: over the closed division's limit of 8/)
    expect(warnings).toMatch(/not in time order \(1500 ms after 36000 ms at position 11\)/)
  })

  it.each([
    ['a truncated log (the list cut off)', {detections: '[500, 1700, 20'}, /log\.txt: the detection list is cut off/],
    ['a garbled list', {detections: '[500, 17x0, 2000]'}, /log\.txt: the detection list holds "17x0"/],
    ['a log without a list', {}, /log\.txt: no detection list/],
    ['an empty list', {detections: '[]'}, /log\.txt: no detection at all/],
    ['an unknown WAV', {wav: 'other.wav', detections: DETECTION_LINE}, /no truth windows for other\.wav/],
    ['five energy trials', {detections: DETECTION_LINE, trials: Array.from({length: 5}, () => ({powerMw: '1.0000', microjoules: '1.000'}))},
      /log\.txt: 5 energy trials: a sww01 energy run has exactly one/],
  ])('%s: one line naming the file', async (_, options, message) => {
    const folder = folderWith({'energy/log.txt': swwLog(options)})
    await expect(scoreResultPath(join(folder, 'energy'))).rejects.toThrow(message)
  })

  it('--against refuses a sww01 run with a pointer to the timeline', async () => {
    const folder = folderWith({'accuracy/log.txt': swwLog({detections: DETECTION_LINE})})
    const result = await scoreResultPath(join(folder, 'accuracy'))
    expect(result.mode).toBe('accuracy')
    expect(() => compareWithGolden(result, result)).toThrow(/log\.txt: a sww01 run has detections, not per-stimulus outputs/)
  })

  it('results.json without dutycycle: one line naming it', async () => {
    const folder = folderWith({
      'performance/log.txt': swwLog({detections: DETECTION_LINE}),
      'performance/results.json': JSON.stringify([{infer: {wav_file: 'short_wav_easy10s.wav', detections: DETECTIONS}}]),
    })
    await expect(scoreResultPath(join(folder, 'performance'))).rejects.toThrow(/results\.json: no "dutycycle"/)
  })
})

const LOGS = join(SHARED, 'fixtures/logs')
const EXPECTED = join(LOGS, 'expected.tsv')
const PUBLISHED_SWW = existsSync(EXPECTED)
  ? readFileSync(EXPECTED, 'utf8').split('\n').map((line) => line.split('\t')).filter((fields) => fields[2] === 'sww')
    .map((fields) => fields[1])
  : []
if (PUBLISHED_SWW.length === 0) console.log(skipMessage('sww01 scoring on the published v1.3 folders'))

describe.skipIf(PUBLISHED_SWW.length === 0)('every published sww folder reproduces its results.txt', () => {
  it.each(PUBLISHED_SWW)('%s', async (folder) => {
    const result = await scoreResultPath(join(LOGS, folder))
    const published = readFileSync(join(LOGS, folder, 'results.txt'), 'utf8')
    const sww = result.sww!
    expect(published).toContain(`Accuracy: ${sww.printed.accuracy}`)
    expect(published).toContain(`Average duty cycle: ${sww.printed.dutyCycle}`)
    expect(published).toContain(`Average period: ${sww.printed.periodS} s`)
    expect(published).toContain(`Estimated throughput: ${sww.printed.throughputIps} inf./sec.`)
    if (folder.endsWith('/energy')) expect(published).toMatch(new RegExp(`Power\\s+: ${sww.printed.powerMw} mW`))
    else expect(sww.powerMw).toBeNull()
    // performance folders keep the edges, so their duty cycle is recomputed, not read back
    if (folder.endsWith('/performance')) expect(sww.readBack).toEqual([])
  })
})
