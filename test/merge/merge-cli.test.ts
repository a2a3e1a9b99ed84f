/**
 * `tinydata merge` as a user runs it on the bundled kws01 sample in three parts: --json against
 * schemas/merge.schema.json, and every refusal one line naming what is wrong, with nothing written.
 */
import {cp, mkdtemp, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {REPO_ROOT} from '../helpers/archives.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

const SAMPLE = join(REPO_ROOT, 'samples/kws01-sample.tar.gz')

if (!HAS_BUILT_CLI) console.log('skipped: the merge CLI tests need the built CLI (npm run build)')

describe.skipIf(!HAS_BUILT_CLI)('tinydata merge', () => {
  let work: string
  const part = (index: number, count = 3, out = 'parts') => join(work, out, `kws01-shard-${index}-of-${count}`)
  const prepareShard = async (shard: string, out: string, ...args: string[]) => {
    const run = await tinydata('prepare', 'kws', '--source', SAMPLE, '--no-verify', '--allow-missing', '--threads', '1', '--out', join(work, out), '--shard', shard, ...args)
    expect(run.code, run.stderr).toBe(0)
    return run
  }
  /** A refused merge into a fresh --out: one line containing `text`, exit code 2, and the --out folder left empty. */
  const expectRefused = async (shards: string[], text: string) => {
    const out = await mkdtemp(join(work, 'refused-'))
    const run = await tinydata('merge', ...shards, '--out', out)
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, text)
    expect(await readdir(out)).toEqual([])
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-merge-cli-'))
    for (const index of [1, 2, 3]) await prepareShard(`${index}/3`, 'parts')
  })
  afterAll(async () => rm(work, {recursive: true, force: true}))

  it('prepare --shard writes <out>/<id>-shard-<i>-of-<n>/ and says which part', async () => {
    const run = await prepareShard('2/3', 'again')
    expect(run.stdout).toContain(`${part(2, 3, 'again')}/`)
    expect(run.stdout).toContain('shard      part 2 of 3; tinydata merge joins the 3 parts')
  })

  it('--json matches schemas/merge.schema.json', async () => {
    const run = await tinydata('merge', part(3), part(1), part(2), '--out', join(work, 'merged'), '--json')
    expect(run.code, run.stderr).toBe(0)
    const output = JSON.parse(run.stdout) as {shards: {index: number}[]; files_written: number; output_dir: string}
    expectMatchesSchema('merge', output)
    expect(output.shards.map((shard) => shard.index)).toEqual([1, 2, 3])
    expect(output.output_dir).toBe(join(work, 'merged', 'kws01'))
    expect((await readdir(output.output_dir)).filter((file) => file.endsWith('.bin'))).toHaveLength(output.files_written)
  })

  it('refuses a part given twice (the shards overlap)', async () => {
    await expectRefused([part(1), part(2), part(2)], `${part(2)}: is shard 2/3, as is ${part(2)}: each part is merged once`)
  })

  it('refuses a missing part', async () => {
    await expectRefused([part(1), part(3)], `merge is missing shard 2/3 of ${part(1)}'s run (given: 1/3, 3/3)`)
  })

  it('refuses parts of runs with other options or another number of parts', async () => {
    await prepareShard('2/3', 'lfbe', '--variant', 'lfbe')
    await expectRefused([part(1), part(2, 3, 'lfbe'), part(3)], `${part(2, 3, 'lfbe')}: is not a part of the same run as ${part(1)}: its manifest's recipe differs`)
    await prepareShard('2/2', 'halves')
    await expectRefused([part(1), part(2, 2, 'halves')], `is not a part of the same run as ${part(1)}: shard 2/2, where that one is 1/3`)
  })

  it('refuses a folder that is not a shard', async () => {
    const whole = join(work, 'whole')
    const run = await tinydata('prepare', 'kws', '--source', SAMPLE, '--no-verify', '--allow-missing', '--out', whole)
    expect(run.code, run.stderr).toBe(0)
    await expectRefused([join(whole, 'kws01'), part(2)], `${join(whole, 'kws01')}: is not a shard: its manifest has no shard record`)
  })

  it('refuses a stimulus changed since prepare', async () => {
    const damaged = join(work, 'damaged')
    await cp(part(1), damaged, {recursive: true})
    const file = (await readdir(damaged)).find((name) => name.endsWith('.bin'))!
    await writeFile(join(damaged, file), new Uint8Array(490))
    await expectRefused([damaged, part(2), part(3)], `${join(damaged, file)}: is not the stimulus its manifest lists (sha256 differs)`)
  })

  it('prepare refuses a --shard that is not i/n, before reading anything', async () => {
    const run = await tinydata('prepare', 'kws', '--source', join(work, 'no-such.tar.gz'), '--shard', '4/3')
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, '--shard 4/3: expected i/n, the i-th of n parts with 1 ≤ i ≤ n')
  })
})
