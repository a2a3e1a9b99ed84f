/**
 * `tinydata prepare <benchmark> --split` through the built CLI: the --json document against its schema, the summary,
 * and one-line errors with nothing written.
 */
import {mkdtemp, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {encodeWav} from '../../src/audio/wav.js'
import {buildTarGz} from '../helpers/archives.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

if (!HAS_BUILT_CLI) console.log('skipped: the --split CLI tests need the built CLI (npm run build)')

const clip = (seed: number) => encodeWav(Int16Array.from({length: 16000}, (_, i) => ((i * seed) % 2001) - 1000), 16000)
const text = (path: string, value: string) => ({path, bytes: new TextEncoder().encode(value)})

describe.skipIf(!HAS_BUILT_CLI)('prepare kws --split (built CLI)', () => {
  let work: string
  let archive: string

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-split-cli-'))
    archive = join(work, 'speech_commands_v0.02.tar.gz')
    await writeFile(archive, await buildTarGz([
      text('validation_list.txt', 'yes/a_nohash_0.wav\n'),
      text('testing_list.txt', 'no/b_nohash_0.wav\n'),
      {path: 'yes/a_nohash_0.wav', bytes: clip(3)},
      {path: 'no/b_nohash_0.wav', bytes: clip(5)},
      {path: 'go/c_nohash_0.wav', bytes: clip(7)},
      {path: 'sheila/d_nohash_0.wav', bytes: clip(11)},
    ]))
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('--json: the split document, valid against prepare-kws.schema.json', async () => {
    const run = await tinydata('prepare', 'kws', '--split', 'train', '--source', archive, '--no-verify', '--out', join(work, 'out'), '--json')
    expect(run.code, run.stderr).toBe(0)
    const json = JSON.parse(run.stdout) as Record<string, unknown>
    expectMatchesSchema('prepare kws', json)
    expect(json).toMatchObject({
      benchmark: 'kws01', split: 'train', rows: 2, output: join(work, 'out', 'kws01-train.arrow'), variant: 'mfcc',
      class_counts: [{label: 1, label_name: 'Go', rows: 1}, {label: 11, label_name: 'Unknown', rows: 1}],
      published: {count: 85_511, matches: false}, tensor: {dtype: 'int8', shape: [49, 10, 1]},
    })
  })

  it('the summary names the file, the rows and the published count', async () => {
    const run = await tinydata('prepare', 'kws', '--split', 'validation', '--source', archive, '--no-verify', '--out', join(work, 'summary'))
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(`wrote ${join(work, 'summary', 'kws01-validation.arrow')}: 1 kws01 validation examples`)
    expect(run.stdout).toContain('published  10102 examples: differs (1 here)')
  })

  it('an archive without its lists: exit 2, one line naming it, nothing written', async () => {
    const bare = join(work, 'bare.tar.gz')
    await writeFile(bare, await buildTarGz([{path: 'yes/a_nohash_0.wav', bytes: clip(3)}]))
    const run = await tinydata('prepare', 'kws', '--split', 'train', '--source', bare, '--no-verify', '--out', join(work, 'bare'))
    expect(run.code).toBe(2)
    expect(run.stderr.trim().split('\n')).toEqual([`Error: ${bare}: holds no validation_list.txt or testing_list.txt at its top: the train split is decided by the lists of the full Speech Commands archive (speech_commands_v0.02.tar.gz)`])
    expect(await readdir(join(work, 'bare')).catch(() => [])).toEqual([])
  })

  it('--format model is refused with --split', async () => {
    const run = await tinydata('prepare', 'kws', '--split', 'train', '--source', archive, '--format', 'model', '--out', join(work, 'model'))
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--format model and --model do not apply to it')
  })

  it('--shard is refused with --split (merge joins runner folders, not split files)', async () => {
    const run = await tinydata('prepare', 'ic', '--split', 'train', '--source', archive, '--shard', '1/2', '--out', join(work, 'shard'))
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, '--split writes one Arrow file of the whole split; --shard does not apply to it')
  })
})
