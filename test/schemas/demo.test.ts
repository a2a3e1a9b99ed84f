/** `tinydata demo --json` against schemas/demo.schema.json (its results are prepare-kws.schema.json's), and an error. */
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

if (!HAS_BUILT_CLI) console.log('skipped: the demo schema tests need the built CLI (npm run build)')

describe.skipIf(!HAS_BUILT_CLI)('demo --json matches schemas/demo.schema.json', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-demo-schema-'))
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('the bundled sample in each variant: one prepare kws result each', async () => {
    const run = await tinydata('demo', '--out', join(work, 'demo'), '--json')
    expect(run.code, run.stderr).toBe(0)
    const json = JSON.parse(run.stdout)
    expect(json.sample).toMatch(/samples\/kws01-sample\.tar\.gz$/)
    expect(json.results.map((result: {variant: string; files_written: number}) => [result.variant, result.files_written])).toEqual([['mfcc', 30], ['lfbe', 30], ['td_samples', 30]])
    expectMatchesSchema('demo', json)
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    const file = join(work, 'a-file')
    await writeFile(file, '')
    const run = await tinydata('demo', '--out', file, '--json')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error', message: expect.stringContaining(`${file}/mfcc: cannot create the output folder`)}})
    expectMatchesSchema('error', json)
  })
})
