/** The golden run's counts (the scorer's rule) and the log.txt lines it writes, against a published run. */
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {pythonFloat} from '../../src/formats/python-float.js'
import {numpyFloatArray, runnerCounts, swwLogText} from '../../src/inference/sww-log.js'
import {SHARED, skipMessage} from '../helpers/archives.js'

const PUBLISHED = join(SHARED, 'fixtures/logs/tiny_results_v1.3/closed/STMicroelectronics/results/NUCLEO_L4R5ZI-P/sww/performance')
const HAS_PUBLISHED = existsSync(join(PUBLISHED, 'results.json.gz'))
if (!HAS_PUBLISHED) console.warn(skipMessage('the published sww01 performance folder'))

describe('the golden run\'s counts and log lines, through the scorer\'s rule', () => {
  it.skipIf(!HAS_PUBLISHED)('reproduces a published v1.3 run (NUCLEO_L4R5ZI-P performance): counts and the printed lists', async () => {
    const [run] = JSON.parse(gunzipSync(await readFile(join(PUBLISHED, 'results.json.gz'))).toString('utf8')) as
      [{infer: {detections: number[]; detection_windows: [number, number][]}}]
    const log = gunzipSync(await readFile(join(PUBLISHED, 'log.txt.gz'))).toString('utf8').replaceAll('\r', '')
    const counts = runnerCounts(run.infer.detections, run.infer.detection_windows)
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
