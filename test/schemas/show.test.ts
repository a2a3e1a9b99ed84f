/** `tinydata show --json` against schemas/show.schema.json: one file, a folder, and an error. */
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {noiseBytes} from '../helpers/images.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

if (!HAS_BUILT_CLI) console.log('skipped: the show schema tests need the built CLI (npm run build)')

async function showJson(expectedCode: number, ...args: string[]): Promise<unknown> {
  const run = await tinydata('show', ...args, '--json')
  expect(run.code, run.stderr).toBe(expectedCode)
  return JSON.parse(run.stdout)
}

describe.skipIf(!HAS_BUILT_CLI)('show --json matches schemas/show.schema.json', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-show-schema-'))
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('one ic01 file: no variant, no listed count, a stimulus without label', async () => {
    const file = join(work, 'emu_s_000001.bin')
    await writeFile(file, noiseBytes(3072, 1))
    const json = await showJson(0, file, '--out', join(work, 'one.png'))
    expect(json).toMatchObject({benchmark: 'ic01', stimuli: [{label: null, label_text: null}]})
    expect(json).not.toHaveProperty('variant')
    expect(json).not.toHaveProperty('listed')
    expectMatchesSchema('show', json)
  })

  it('a kws01 folder: its variant, how many it lists, and the labels of those drawn', async () => {
    const demo = join(work, 'demo')
    expect((await tinydata('demo', '--out', demo, '--json')).code).toBe(0)
    const json = await showJson(0, join(demo, 'mfcc/kws01'), '--count', '3', '--out', join(work, 'sheet.png'))
    expect(json).toMatchObject({benchmark: 'kws01', variant: 'mfcc', listed: 30, stimuli: [{label_text: 'Stop (7)'}, {}, {}]})
    expectMatchesSchema('show', json)
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    await mkdir(join(work, 'empty'))
    const json = await showJson(2, join(work, 'empty', 'nothing.bin'))
    expect(json).toMatchObject({error: {code: 'user_error'}})
    expectMatchesSchema('error', json)
  })
})
