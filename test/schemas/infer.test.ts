/** `tinydata infer --json` against schemas/infer.schema.json (its `score` is score.schema.json's result), and an error. */
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tfliteRuntimeAvailable} from '../../src/inference/runtime.js'
import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

const HAS_RUNTIME = tfliteRuntimeAvailable()
if (!HAS_BUILT_CLI) console.log('skipped: the infer schema tests need the built CLI (npm run build)')
if (!HAS_RUNTIME) console.log('skipped: infer --json on the demo folder needs the optional tfjs-tflite-node, which does not load here')

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
    const run = await tinydata('infer', join(demo, 'mfcc/kws01'), '--log', join(work, 'kws01-golden_log.txt'), '--json')
    expect(run.code, run.stderr).toBe(0)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({benchmark: 'kws01', stimuli: 30, inferences: 30, score: {mode: 'accuracy', files_scored: 30}})
    expectMatchesSchema('infer', json)
  }, 120_000)

  it('an error: {"error": {"code", "message"}}', async () => {
    const run = await tinydata('infer', join(work, 'absent'), '--json')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error'}})
    expectMatchesSchema('error', json)
  })
})
