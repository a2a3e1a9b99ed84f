/** `tinydata score` on ic02 (MLPerf Tiny v1.4): its logs run ic01's stimuli and are scored with ic01's label list. */

import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'
import {afterEach, describe, expect, it} from 'vitest'

import {SHARED, skipMessage} from '../helpers/archives.js'
import {folderWith, runScore} from './helpers.js'

const PY_IC_ACCURACY = join(SHARED, 'fixtures/logs/tiny_results_v1.3/closed/STMicroelectronics/results/NUCLEO_L4R5ZI-P/ic/accuracy')
const HAS_FIXTURE = existsSync(PY_IC_ACCURACY)
if (!HAS_FIXTURE) console.log(skipMessage('score on an ic02 log'))

afterEach(() => {
  process.exitCode = undefined
})

describe.skipIf(!HAS_FIXTURE)('score ic02', () => {
  it('a system folder with an ic2 model folder: the ic02 log is scored with the ic01 list, beside ic', async () => {
    const log = gunzipSync(readFileSync(join(PY_IC_ACCURACY, 'log.txt.gz'))).toString('utf8')
    expect(log).toContain('Device model retrieved: ic01')
    const results = readFileSync(join(PY_IC_ACCURACY, 'results.txt'))
    // A v1.4 submission names the model folder ic2; the device reports ic02 (the key of the runner's tests_*.yaml).
    const system = folderWith({
      'ic/accuracy/log.txt': log,
      'ic/accuracy/results.txt': results,
      'ic2/accuracy/log.txt': log.replace('Device model retrieved: ic01', 'Device model retrieved: ic02'),
      'ic2/accuracy/results.txt': results,
    })
    const {stdout, error} = await runScore([system, '--json'])
    expect(error).toBeNull()
    const [ic, ic2] = JSON.parse(stdout)
    expect(ic).toMatchObject({benchmark: 'ic01', labels: 'ic01', files_scored: 200, top1: 87})
    expect(ic2).toMatchObject({
      path: join(system, 'ic2/accuracy'), benchmark: 'ic02', labels: 'ic01', mode: 'accuracy',
      files_scored: 200, files_expected: 200, coverage_complete: true, top1: 87, published: {top1: '87.0'},
    })
  })
})
