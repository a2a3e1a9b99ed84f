/**
 * merge's proof of the whole on shard records that disagree with each other (as a damaged or hand-edited manifest
 * would): positions taken twice, positions no shard holds, and a shard record that is not one.
 */
import {cp, mkdtemp, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {kws01} from '../../datasets/kws01.js'
import {readManifest, readManifestRows} from '../../src/manifest/reader.js'
import type {ManifestMetadata} from '../../src/manifest/schema.js'
import {writeManifest} from '../../src/manifest/writer.js'
import {mergeShards} from '../../src/merge/merge.js'
import {prepareKws} from '../../src/prepare/kws.js'
import {REPO_ROOT} from '../helpers/archives.js'

let work: string
const parts: string[] = []

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tinydata-merge-'))
  for (const index of [1, 2]) {
    await prepareKws({benchmark: kws01, source: join(REPO_ROOT, 'samples/kws01-sample.tar.gz'), out: join(work, 'parts'), verify: false, allowMissing: true, threads: 1, shard: {index, count: 2}})
    parts.push(join(work, 'parts', `kws01-shard-${index}-of-2`))
  }
})
afterAll(async () => rm(work, {recursive: true, force: true}))

/** A copy of a shard folder whose manifest metadata is `edit`ed. */
async function edited(shard: string, name: string, edit: (meta: ManifestMetadata) => ManifestMetadata): Promise<string> {
  const copy = join(work, name)
  await cp(shard, copy, {recursive: true})
  const {records, meta} = await readManifest(join(shard, 'manifest.arrow'))
  await writeManifest(join(copy, 'manifest.arrow'), records, edit(meta))
  return copy
}

async function expectNothingWritten(shards: string[], message: string): Promise<void> {
  const out = await mkdtemp(join(work, 'out-'))
  await expect(mergeShards({shards, out})).rejects.toThrow(message)
  expect(await readdir(out)).toEqual([])
}

describe('merge proves nothing twice and nothing missing', () => {
  it('refuses a row at a position another shard holds', async () => {
    const first = (await readManifestRows(join(parts[0]!, 'manifest.arrow'))).meta.shard!
    const overlapping = await edited(parts[1]!, 'overlap', (meta) => ({...meta, shard: {...meta.shard!, positions: meta.shard!.positions.map((_, n) => first.positions[n % first.positions.length]!)}}))
    await expectNothingWritten([parts[0]!, overlapping], 'which tst_')
    await expectNothingWritten([parts[0]!, overlapping], ': the shards overlap')
  })

  it('refuses shards that leave positions of their selection empty', async () => {
    const grow = (meta: ManifestMetadata): ManifestMetadata => ({...meta, shard: {...meta.shard!, selection: {...meta.shard!.selection, files: meta.shard!.selection.files + 1}}})
    const shards = [await edited(parts[0]!, 'grown-1', grow), await edited(parts[1]!, 'grown-2', grow)]
    const {files} = (await readManifestRows(join(parts[0]!, 'manifest.arrow'))).meta.shard!.selection
    await expectNothingWritten(shards, `hold ${files} of the ${files + 1} files of their selection (1 missing, the first at position ${files})`)
  })

  it('reads a shard record only when it is one', async () => {
    const broken = await edited(parts[0]!, 'broken', (meta) => ({...meta, shard: {...meta.shard!, index: 3}}))
    await expect(readManifestRows(join(broken, 'manifest.arrow'))).rejects.toThrow('schema metadata tinydata.shard is not a shard record')
  })
})
