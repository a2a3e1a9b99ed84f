/** `tinydata score --json` against schemas/score.schema.json: one PATH, several (one failing), --against, and an error. */
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {REPO_ROOT, SHARED, skipMessage} from '../helpers/archives.js'
import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'
import {swwLog} from '../scoring/helpers.js'

const FIXTURES = join(REPO_ROOT, 'test/fixtures/logs')
const ER_ACCURACY = join(FIXTURES, 'er-vww-tiny/accuracy')
const ER_LABELS = join(FIXTURES, 'er-vww-tiny/y_labels.csv')
const PY_PERFORMANCE = join(FIXTURES, 'py-kws-tiny/performance')
const REAL_LOGS = join(SHARED, 'fixtures/logs')
const ER_REFERENCE = join(REAL_LOGS, 'tiny_results_v0.5/closed/reference/results/Nucleo-L4R5ZI')
const PY_ST = join(REAL_LOGS, 'tiny_results_v1.3/closed/STMicroelectronics/results/NUCLEO_L4R5ZI-P')
const HAS_REAL_RESULTS = existsSync(ER_REFERENCE) && existsSync(PY_ST)

if (!HAS_BUILT_CLI) console.log('skipped: the score schema tests need the built CLI (npm run build)')
if (!HAS_REAL_RESULTS) console.log(skipMessage('score --json on real result folders'))

async function scoreJson(expectedCode: number, ...args: string[]): Promise<unknown> {
  const run = await tinydata('score', ...args, '--json')
  expect(run.code, run.stderr).toBe(expectedCode)
  return JSON.parse(run.stdout)
}

describe.skipIf(!HAS_BUILT_CLI)('score --json matches schemas/score.schema.json', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-score-schema-'))
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('one accuracy PATH: an object with per_class and confusion', async () => {
    const json = await scoreJson(0, ER_ACCURACY, '--labels', ER_LABELS)
    expect(json).toMatchObject({mode: 'accuracy', runner: 'ER', files_scored: 6})
    expectMatchesSchema('score', json)
  })

  it('several PATHs, one missing: an array in their order, the missing one as {path, error}, exit code 2', async () => {
    const missing = join(work, 'no-such-folder')
    const json = await scoreJson(2, ER_ACCURACY, missing, PY_PERFORMANCE, '--labels', ER_LABELS)
    expect(json).toMatchObject([{mode: 'accuracy'}, {path: missing, error: {code: 'user_error'}}, {mode: 'performance', runner: 'PY'}])
    expectMatchesSchema('score', json)
  })

  it('--against a golden log that disagrees on one stimulus and holds a NaN output', async () => {
    const golden = join(work, 'golden_log.txt')
    const log = await readFile(join(ER_ACCURACY, 'log.txt'), 'utf8')
    await writeFile(golden, log.replace('m-results-[0.102,0.898]', 'm-results-[0.902,nan]'))
    const json = await scoreJson(0, ER_ACCURACY, '--against', golden, '--labels', ER_LABELS)
    expect(json).toMatchObject({compared: 6, agreeing: 5, max_difference: null, disagreements: [{golden_output: [0.902, null]}]})
    expectMatchesSchema('score', json)
  })

  it('sww01: the headline keys at the top level, a five-trial energy folder as a path_failure (exit code 2)', async () => {
    const performance = join(work, 'sww/performance')
    const energy = join(work, 'sww/energy')
    await mkdir(performance, {recursive: true})
    await mkdir(energy, {recursive: true})
    await writeFile(join(performance, 'log.txt'), swwLog({detections: '[500, 1700, 7260, 10000]', dutyEcho: ['0.5', '0.032', '62.5']}))
    const fiveTrials = Array.from({length: 5}, () => ({powerMw: '1.0000', microjoules: '1.000'}))
    await writeFile(join(energy, 'log.txt'), swwLog({detections: '[500, 1700]', trials: fiveTrials}))
    const json = await scoreJson(2, performance, energy)
    expect(json).toMatchObject([
      {
        benchmark: 'sww01', true_positives: 2, false_negatives: 1, false_positives: 1, f1: 2 / 3, duty_cycle: 0.5,
        period_s: 0.032, throughput_ips: 62.5, power_mw: null, sww: {wav_file: 'short_wav_easy10s.wav', false_positives_s: [9.5]},
      },
      {path: energy, error: {code: 'user_error', message: expect.stringMatching(/5 energy trials/)}},
    ])
    expectMatchesSchema('score', json)
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    const json = await scoreJson(2, join(work, 'no-such-log.txt'))
    expect(json).toMatchObject({error: {code: 'user_error'}})
    expectMatchesSchema('error', json)
  })

  it.skipIf(!HAS_REAL_RESULTS)('real folders of both runners in all three modes: windows with µJ, published figures', async () => {
    const json = await scoreJson(0, join(ER_REFERENCE, 'kws/accuracy'), join(ER_REFERENCE, 'kws/energy'), join(PY_ST, 'ad/energy'),
      join(PY_ST, 'ic/performance'), join(PY_ST, 'sww/performance'), join(PY_ST, 'sww/energy'))
    expect(json).toMatchObject([
      {mode: 'accuracy', runner: 'ER', published: {top1: '90.1'}},
      {mode: 'energy', runner: 'ER', windows: expect.arrayContaining([expect.objectContaining({microjoules: expect.any(Number)})])},
      {mode: 'energy', runner: 'PY', benchmark: 'ad01'},
      {mode: 'performance', runner: 'PY'},
      {mode: 'performance', benchmark: 'sww01', true_positives: 44, false_negatives: 6, false_positives: 4, power_mw: null},
      {mode: 'energy', benchmark: 'sww01', power_mw: 25.622, sww: {read_back: ['duty cycle', 'period', 'throughput', 'power', 'energy']}},
    ])
    expectMatchesSchema('score', json)
  })
})
