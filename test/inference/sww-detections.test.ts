/** The runner's sww matching (scoring.md §6) as the golden run applies it, and the log.txt lines it writes. */
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {matchSwwDetectionsAsRunner} from '../../src/inference/sww-detections.js'
import {numpyFloatArray, pythonFloat, swwLogText} from '../../src/inference/sww-log.js'
import {SHARED, skipMessage} from '../helpers/archives.js'

const PUBLISHED = join(SHARED, 'fixtures/logs/tiny_results_v1.3/closed/STMicroelectronics/results/NUCLEO_L4R5ZI-P/sww/performance')
const HAS_PUBLISHED = existsSync(join(PUBLISHED, 'results.json.gz'))
if (!HAS_PUBLISHED) console.warn(skipMessage('the published sww01 performance folder'))

describe('matchSwwDetectionsAsRunner', () => {
  const window = [[1.0, 1.5]] as const

  it('the first pulse is t = 0; a window matches detections up to 2 s past its end, inclusive', () => {
    expect(matchSwwDetectionsAsRunner([500, 500 + 3500], window)).toMatchObject({truePositives: 1, falseNegatives: 0, falsePositives: 0})
    expect(matchSwwDetectionsAsRunner([500, 500 + 3501], window)).toMatchObject({
      truePositives: 0, falseNegatives: 1, falsePositives: 1, falseNegativeStarts: [1.0], falsePositiveTimes: [3.501],
    })
    expect(matchSwwDetectionsAsRunner([500, 500 + 999], window)).toMatchObject({truePositives: 0, falsePositives: 1})
  })

  it('a true positive consumes every detection in its range; a window with none is a false negative', () => {
    const counts = matchSwwDetectionsAsRunner([0, 1000, 1032, 1064, 3400, 9000], [[1.0, 1.5], [5.0, 5.5]])
    expect(counts).toEqual({
      truePositives: 1, falseNegatives: 1, falsePositives: 1, falseNegativeStarts: [5.0], falsePositiveTimes: [9],
    })
  })

  it('false positives are debounced: each kept one removes the later ones in (d, d + 1 s]', () => {
    const counts = matchSwwDetectionsAsRunner([0, 10000, 10500, 11000, 11001, 12500], [])
    expect(counts.falsePositiveTimes).toEqual([10, 11.001, 12.5])
  })

  it('no pulse at all is an error (there is no t = 0)', () => {
    expect(() => matchSwwDetectionsAsRunner([], window)).toThrow(UserError)
  })

  it.skipIf(!HAS_PUBLISHED)('reproduces a published v1.3 run (NUCLEO_L4R5ZI-P performance): counts and the printed lists', async () => {
    const [run] = JSON.parse(gunzipSync(await readFile(join(PUBLISHED, 'results.json.gz'))).toString('utf8')) as
      [{infer: {detections: number[]; detection_windows: [number, number][]}}]
    const log = gunzipSync(await readFile(join(PUBLISHED, 'log.txt.gz'))).toString('utf8').replaceAll('\r', '')
    const counts = matchSwwDetectionsAsRunner(run.infer.detections, run.infer.detection_windows)
    expect(counts).toMatchObject({truePositives: 44, falseNegatives: 6, falsePositives: 4})
    const text = swwLogText({
      wavFile: 'long_wav.wav', lengthSeconds: 1200, timestampsMs: run.infer.detections, counts, model: 'm', tinydataVersion: 'v',
      started: new Date(0),
    })
    for (const prefix of ['== File', 'Accuracy:', 'False negatives:', 'False positives:']) {
      const published = log.split('\n').find((line) => line.startsWith(prefix))
      expect(text.split('\n').find((line) => line.startsWith(prefix)), prefix).toBe(published)
    }
    expect(text).toContain(`\n[${run.infer.detections.join(', ')}]\n`)
  })
})

describe('Python and numpy printing', () => {
  it('floats as Python repr', () => {
    expect(pythonFloat(570)).toBe('570.0')
    expect(pythonFloat(127.87707248408691)).toBe('127.87707248408691')
  })

  // Expected strings as numpy 2.4 prints them.
  it('float arrays as numpy str: one width, shortest digits padded, wrapped at 75 characters, scientific over 1000×', () => {
    expect(numpyFloatArray([])).toBe('[]')
    expect(numpyFloatArray([612.555, 715.31, 853.826, 980.867])).toBe('[612.555 715.31  853.826 980.867]')
    expect(numpyFloatArray([5.5, 612])).toBe('[  5.5 612. ]')
    const wrapped = numpyFloatArray(Array.from({length: 12}, (_, i) => 100.125 + i))
    expect(wrapped).toBe('[100.125 101.125 102.125 103.125 104.125 105.125 106.125 107.125 108.125\n 109.125 110.125 111.125]')
    expect(numpyFloatArray([0.5, 980.845])).toBe('[5.00000e-01 9.80845e+02]')
    expect(numpyFloatArray([0, 3.25, 12])).toBe('[ 0.    3.25 12.  ]')
  })
})
