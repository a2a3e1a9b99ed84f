/**
 * `tinydata infer --json` and `tinydata infer sww --json` against schemas/infer.schema.json (the folder run's `score`
 * is score.schema.json's result), and an error.
 */
import {existsSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tfliteRuntimeAvailable} from '../../src/inference/runtime.js'
import {REPO_ROOT, SHARED, skipMessage} from '../helpers/archives.js'
import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

const HAS_RUNTIME = tfliteRuntimeAvailable()
if (!HAS_BUILT_CLI) console.log('skipped: the infer schema tests need the built CLI (npm run build)')
if (!HAS_RUNTIME) console.log('skipped: infer --json on the demo folder needs the optional tfjs-tflite-node, which does not load here')
const SHORT_WAV = join(SHARED, 'fixtures/sww01/runner/short_wav_easy10s.wav')
const HAS_SHORT_WAV = existsSync(SHORT_WAV)
if (!HAS_SHORT_WAV) console.log(skipMessage('infer sww --json on short_wav_easy10s.wav'))

describe.skipIf(!HAS_BUILT_CLI)('infer --json matches schemas/infer.schema.json', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-infer-schema-'))
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it.skipIf(!HAS_RUNTIME)('the demo\'s kws01 mfcc folder, with its score', async () => {
    const demo = join(work, 'demo')
    expect((await tinydata('demo', '--out', demo, '--json')).code).toBe(0)
    // no --log: the golden log goes beside the runner folder, not into the working folder (the repository root here)
    const run = await tinydata('infer', join(demo, 'mfcc/kws01'), '--json')
    expect(run.code, run.stderr).toBe(0)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({benchmark: 'kws01', stimuli: 30, inferences: 30, score: {mode: 'accuracy', files_scored: 30}})
    expect(json.log).toBe(join(demo, 'mfcc/kws01-golden_log.txt'))
    expect(existsSync(json.log)).toBe(true)
    expect(existsSync(join(REPO_ROOT, 'kws01-golden_log.txt'))).toBe(false)
    expectMatchesSchema('infer', json)
  }, 120_000)

  it.skipIf(!HAS_RUNTIME || !HAS_SHORT_WAV)('infer sww on short_wav_easy10s.wav, in snake_case', async () => {
    const run = await tinydata('infer', 'sww', SHORT_WAV, '--log', join(work, 'sww01-golden_log.txt'), '--json')
    expect(run.code, run.stderr).toBe(0)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({inferences: 312, true_positives: 2, false_negatives: 1, false_positives: 0, length_seconds: 10})
    expectMatchesSchema('infer', json)
  }, 120_000)

  it('infer sww, an error: a WAV that does not exist', async () => {
    const run = await tinydata('infer', 'sww', join(work, 'absent.wav'), '--json')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error'}})
    expect(json.error.message).toBe(`${join(work, 'absent.wav')}: no such file`)
    expectMatchesSchema('error', json)
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    const run = await tinydata('infer', join(work, 'absent'), '--json')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error'}})
    expectMatchesSchema('error', json)
  })
})
