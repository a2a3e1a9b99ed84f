/**
 * prepare --shard i/n and merge: the n parts joined are byte for byte the folder of one unsharded run (kws01 from the
 * bundled sample, official and test subsets; ic01 and vww01 --subset all from generated archives), and which part a
 * stimulus goes to does not depend on the archive's order.
 */
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {extract} from 'tar-stream'
import {createGunzip} from 'node:zlib'
import {Readable} from 'node:stream'

import {ic01} from '../../datasets/ic01.js'
import {kws01} from '../../datasets/kws01.js'
import {vww01} from '../../datasets/vww01.js'
import {readManifestMeta} from '../../src/manifest/reader.js'
import {mergeShards} from '../../src/merge/merge.js'
import {inShard, parseShard, type Shard} from '../../src/merge/shard.js'
import {prepareIc} from '../../src/prepare/ic.js'
import {loadIcList} from '../../src/prepare/ic-list.js'
import {prepareKws} from '../../src/prepare/kws.js'
import type {PipelineOptions} from '../../src/prepare/pipeline.js'
import {prepareVww} from '../../src/prepare/vww.js'
import {buildTarGz, buildZip, REPO_ROOT, type ArchiveEntry} from '../helpers/archives.js'
import {buildCifarArchive, buildCifarBatch, noiseBytes, syntheticJpeg} from '../helpers/images.js'

const KWS_SAMPLE = join(REPO_ROOT, 'samples/kws01-sample.tar.gz')

/** Every file of a folder and its bytes. */
async function folderBytes(folder: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(folder)).sort()
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(folder, name))] as const)))
}

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tinydata-shard-'))
})
afterAll(async () => rm(work, {recursive: true, force: true}))

/**
 * Prepares the whole (into <case>/whole/<id>) and each of `count` shards (into <case>/parts/<id>-shard-i-of-n), merges
 * the parts into <case>/merged/<id>, and returns the three folders' contents and the shards' file counts.
 */
async function wholeAndMerged(name: string, id: string, count: number, prepare: (options: Pick<PipelineOptions, 'out' | 'shard'>) => Promise<unknown>) {
  const root = join(work, name)
  await prepare({out: join(root, 'whole')})
  const parts: string[] = []
  for (let index = 1; index <= count; index++) {
    await prepare({out: join(root, 'parts'), shard: {index, count}})
    parts.push(join(root, 'parts', `${id}-shard-${index}-of-${count}`))
  }
  const merged = await mergeShards({shards: [...parts].reverse(), out: join(root, 'merged')})
  return {whole: await folderBytes(join(root, 'whole', id)), merged: await folderBytes(merged.outputDir), parts: await Promise.all(parts.map(folderBytes)), result: merged}
}

function expectSameFolder(merged: Map<string, Buffer>, whole: Map<string, Buffer>): void {
  expect([...merged.keys()]).toEqual([...whole.keys()])
  for (const [file, bytes] of whole) expect(merged.get(file)!.equals(bytes), file).toBe(true)
}

describe('merge of prepare --shard parts equals one unsharded prepare, byte for byte', () => {
  it('kws01 official subset from the bundled sample, in 3 parts', async () => {
    const {whole, merged, parts, result} = await wholeAndMerged('kws-official', 'kws01', 3, (options) =>
      prepareKws({benchmark: kws01, source: KWS_SAMPLE, verify: false, allowMissing: true, threads: 1, ...options}))
    expectSameFolder(merged, whole)
    // Each part is a real share: no part holds everything, and together they hold each stimulus once.
    const stimuli = (folder: Map<string, Buffer>) => [...folder.keys()].filter((file) => file.endsWith('.bin'))
    expect(parts.map((part) => stimuli(part).length).every((files) => files > 0 && files < stimuli(whole).length)).toBe(true)
    expect(parts.flatMap(stimuli).sort()).toEqual(stimuli(whole))
    expect(result).toMatchObject({benchmark: 'kws01', filesWritten: stimuli(whole).length})
  })

  it('kws01 --subset test, whose names number the whole split in TFDS order, in 2 parts', async () => {
    const {whole, merged} = await wholeAndMerged('kws-test', 'kws01', 2, (options) =>
      prepareKws({benchmark: kws01, source: KWS_SAMPLE, verify: false, subset: 'test', threads: 1, ...options}))
    expectSameFolder(merged, whole)
  })

  it('ic01 v0.7 list from a generated CIFAR-10 archive, in 4 parts', async () => {
    const listed = loadIcList(ic01.lists[ic01.defaultList].indexTable).map(({index, label}) => [index, {planar: noiseBytes(3072, index + 1), label}] as const)
    const source = join(work, 'cifar-10-binary.tar.gz')
    await writeFile(source, await buildCifarArchive(buildCifarBatch(new Map(listed))))
    const {whole, merged} = await wholeAndMerged('ic', 'ic01', 4, (options) => prepareIc({benchmark: ic01, source, verify: false, ...options}))
    expectSameFolder(merged, whole)
  })

  it('vww01 --subset all with images outside the pinned shapes: the per-file metadata lists are joined in order', async () => {
    const shapes = [[640, 480], [256, 256], [400, 300], [300, 400], [500, 375], [320, 240], [200, 150], [123, 77], [350, 350], [100, 300]] as const
    const entries = await Promise.all(shapes.map(async ([width, height], n) => ({path: `val2017/${String(n + 1).padStart(12, '0')}.jpg`, bytes: await syntheticJpeg(width, height, n + 1)})))
    const source = join(work, 'val2017.zip')
    await writeFile(source, buildZip(entries))
    const annotations = join(work, 'instances_val2017.json')
    await writeFile(annotations, JSON.stringify({
      images: shapes.map(([width, height], n) => ({id: n + 1, file_name: `${String(n + 1).padStart(12, '0')}.jpg`, width, height})),
      // Odd ids hold a large person; even ones nothing.
      annotations: shapes.flatMap(([width, height], n) => (n % 2 === 0 ? [{id: n + 1, image_id: n + 1, category_id: 1, iscrowd: 0, bbox: [0, 0, width, height / 2], area: (width * height) / 2}] : [])),
      categories: [{id: 1, name: 'person', supercategory: 'person'}],
    }))
    const {whole, merged} = await wholeAndMerged('vww-all', 'vww01', 2, (options) =>
      prepareVww({benchmark: vww01, source, annotations, subset: 'all', verify: false, threads: 1, ...options}))
    expectSameFolder(merged, whole)
    // Each part lists the ideal-affine files of its own: the merged list is theirs, in the whole's order.
    const idealFiles = async (folder: string) => (await readManifestMeta(join(work, 'vww-all', folder, 'manifest.arrow'))).ideal_affine_files as string[]
    const inParts = [await idealFiles('parts/vww01-shard-1-of-2'), await idealFiles('parts/vww01-shard-2-of-2')]
    expect(inParts.every((files) => files.length > 0)).toBe(true)
    expect([...inParts.flat()].sort()).toEqual([...await idealFiles('whole/vww01')].sort())
  })
})

describe('the partition', () => {
  /** The bundled sample's members, for repacking in another order. */
  async function sampleEntries(): Promise<ArchiveEntry[]> {
    const entries: ArchiveEntry[] = []
    const reader = extract()
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        if (header.type === 'file') entries.push({path: header.name, bytes: Buffer.concat(chunks)})
        next()
      })
    })
    Readable.from(await readFile(KWS_SAMPLE)).pipe(createGunzip()).pipe(reader)
    await new Promise((resolve, reject) => reader.on('finish', resolve).on('error', reject))
    return entries
  }

  it('gives each stimulus the same part whatever the order of the archive', async () => {
    const reversed = join(work, 'reversed.tar.gz')
    await writeFile(reversed, await buildTarGz((await sampleEntries()).reverse()))
    const shard: Shard = {index: 2, count: 3}
    const files = async (source: string, out: string) => {
      await prepareKws({benchmark: kws01, source, out: join(work, out), verify: false, allowMissing: true, threads: 1, shard})
      const folder = await folderBytes(join(work, out, 'kws01-shard-2-of-3'))
      return [...folder].filter(([file]) => file !== 'manifest.arrow') // the manifest names the archive's sha256
    }
    const inOrder = await files(KWS_SAMPLE, 'order-a')
    const inReverse = await files(reversed, 'order-b')
    expect(inReverse.map(([file]) => file)).toEqual(inOrder.map(([file]) => file))
    inReverse.forEach(([file, bytes], index) => expect(bytes.equals(inOrder[index]![1]), file).toBe(true))
  })

  it('puts each key in exactly one of the n parts, about evenly', () => {
    const keys = Array.from({length: 4000}, (_, n) => `${n}.bin`)
    const count = 4
    const parts = Array.from({length: count}, (_, index) => keys.filter((key) => inShard(key, {index: index + 1, count})))
    expect(parts.flat().sort()).toEqual([...keys].sort())
    for (const part of parts) expect(Math.abs(part.length - keys.length / count)).toBeLessThan(150)
  })

  it('reads --shard as i/n with 1 ≤ i ≤ n', () => {
    expect(parseShard('3/4')).toEqual({index: 3, count: 4})
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '1/4/2', '-1/4']) expect(() => parseShard(bad), bad).toThrow(/^--shard .*: expected i\/n/)
  })
})
