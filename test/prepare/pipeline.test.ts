/**
 * The shared stages on a toy benchmark defined in this file: what any new benchmark gets from runPipeline without
 * writing it again (member filter, duplicate rule, staged names, list order, missing errors, y_labels, manifest,
 * the atomic swap, and nothing left behind on failure).
 */
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {sha256Hex} from '../../src/io/hash.js'
import {readManifest} from '../../src/manifest/reader.js'
import {inListOrder, runPipeline, type BenchmarkPipeline, type Recipe} from '../../src/prepare/pipeline.js'
import {buildTarGz} from '../helpers/archives.js'

/** The toy recipe: each byte of the member, plus one. */
const plusOne: Recipe<Uint8Array, {bytes: Uint8Array}, number> = {
  module: new URL(import.meta.url),
  make: (bytes, add) => ({bytes: bytes.map((byte) => byte + add)}),
  transferOfTask: () => [],
}

type Toy = BenchmarkPipeline<Uint8Array, {bytes: Uint8Array}, number>

/** `<label>/<name>.raw` members become `<name>.bin`, in the order of `list`; `rename` stages them under another key. */
function toy(list: readonly string[], overrides: Partial<Toy> = {}): Toy {
  return {
    id: 'toy01',
    classNames: ['zero', 'one'],
    subset: 'official',
    stimulus: {dtype: 'uint8', shape: [4], scale: 1, zeroPoint: 0},
    sourceFiles: [{name: 'toy.tar.gz', url: 'http://127.0.0.1/toy.tar.gz', format: 'tar.gz'}],
    recipe: plusOne,
    setup: 1,
    inFlightPerThread: 2,
    threads: 1,
    wants: (path) => path.endsWith('.raw'),
    select: (member) => {
      const [label, name] = member.path.split('/').slice(-2)
      return [{key: name!.replace('.raw', '.bin'), member: member.path, sourceSha256: sha256Hex(member.bytes), label: Number(label), task: member.bytes}]
    },
    sameKey: 'first',
    arrange: (made) => inListOrder(made, list),
    describe: {none: () => 'holds none of the toy stimuli', selection: 'toy stimuli'},
    recipeMeta: {add: 1},
    ...overrides,
  }
}

describe('runPipeline: the stages every benchmark shares', () => {
  let dir: string
  let source: string
  const bytes = (...values: number[]) => Buffer.from(values)

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-pipeline-'))
    source = join(dir, 'toy.tar.gz')
    await writeFile(source, await buildTarGz([
      {path: 'README', bytes: Buffer.from('not a member of interest')},
      {path: '0/a.raw', bytes: bytes(1, 2, 3, 4)},
      {path: '1/b.raw', bytes: bytes(5, 6, 7, 8)},
      {path: 'copy/1/b.raw', bytes: bytes(9, 9, 9, 9)},
      {path: '0/c.raw', bytes: bytes(0, 0, 0, 0)},
    ]))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('writes the list in its order, warns once about a second copy, and records everything in y_labels and the manifest', async () => {
    const warnings: string[] = []
    const out = join(dir, 'ordered')
    const result = await runPipeline(toy(['c.bin', 'b.bin', 'a.bin']), {source, out, verify: false}, warnings)
    expect(result.rows.map((row) => row.file)).toEqual(['c.bin', 'b.bin', 'a.bin'])
    expect(warnings).toEqual(['copy/1/b.raw: a second copy of 1/b.raw; the first is used'])
    expect(await readFile(join(out, 'toy01/y_labels.csv'), 'utf8')).toBe('c.bin,2,0\nb.bin,2,1\na.bin,2,0\n')
    expect([...await readFile(join(out, 'toy01/b.bin'))]).toEqual([6, 7, 8, 9])
    const {meta, records} = await readManifest(join(out, 'toy01/manifest.arrow'))
    expect(records.map((record) => [record.file, record.className, record.sourceMember, record.stimulusSha256])).toEqual([
      ['c.bin', 'zero', '0/c.raw', sha256Hex(bytes(1, 1, 1, 1))],
      ['b.bin', 'one', '1/b.raw', sha256Hex(bytes(6, 7, 8, 9))],
      ['a.bin', 'zero', '0/a.raw', sha256Hex(bytes(2, 3, 4, 5))],
    ])
    expect(meta).toMatchObject({benchmark: 'toy01', recipe: {add: 1}, subset: 'official', source: {file: 'toy.tar.gz', kind: 'tar.gz'}})
    expect((await readdir(out)).sort()).toEqual(['toy01'])
  })

  it('names staged stimuli at the end: renamed, copied for a second name, and removed when no row takes them', async () => {
    const out = join(dir, 'renamed')
    // Staged under their content; the list names a twice and leaves c out.
    const byContent = toy([], {
      select: (member) => [{key: `${sha256Hex(member.bytes)}.staged`, member: member.path, sourceSha256: sha256Hex(member.bytes), label: 0, task: member.bytes}],
      sameKey: 'share',
      arrange: (made) => {
        const [a, b] = [made.find((stimulus) => stimulus.member === '0/a.raw')!, made.find((stimulus) => stimulus.member === '1/b.raw')!]
        return {rows: [{file: 'first.bin', made: a}, {file: 'second.bin', made: b}, {file: 'again.bin', made: a}], missing: []}
      },
    })
    await runPipeline(byContent, {source, out, verify: false}, [])
    expect((await readdir(join(out, 'toy01'))).sort()).toEqual(['again.bin', 'first.bin', 'manifest.arrow', 'second.bin', 'y_labels.csv'])
    expect([...await readFile(join(out, 'toy01/again.bin'))]).toEqual([2, 3, 4, 5])
    expect([...await readFile(join(out, 'toy01/first.bin'))]).toEqual([2, 3, 4, 5])
  })

  it('refuses a partial selection unless allowMissing, and a selection it holds none of; nothing is left behind', async () => {
    const out = join(dir, 'missing')
    const partial = toy(['a.bin', 'z.bin', 'y.bin'])
    await expect(runPipeline(partial, {source, out, verify: false}, [])).rejects.toThrow(
      new UserError(`${source}: holds 1 of the 3 toy stimuli (missing z.bin, y.bin); --allow-missing writes the ones found`))
    await expect(runPipeline(toy(['z.bin']), {source, out, verify: false}, [])).rejects.toThrow(new UserError(`${source}: holds none of the toy stimuli`))
    await expect(readdir(out)).rejects.toMatchObject({code: 'ENOENT'})
    const result = await runPipeline(partial, {source, out, verify: false, allowMissing: true}, [])
    expect(result.missing).toEqual(['z.bin', 'y.bin'])
    expect(await readdir(join(out, 'toy01'))).toContain('a.bin')
  })

  it('a recipe that fails stops the run and keeps the previous folder as it was', async () => {
    const out = join(dir, 'failing')
    await runPipeline(toy(['a.bin']), {source, out, verify: false}, [])
    const before = await readFile(join(out, 'toy01/a.bin'))
    const failing = toy(['a.bin'], {check: (candidate) => {
      if (candidate.member === '0/c.raw') throw new UserError('0/c.raw: not a toy')
    }})
    await expect(runPipeline(failing, {source, out, verify: false}, [])).rejects.toThrow('0/c.raw: not a toy')
    expect(await readFile(join(out, 'toy01/a.bin'))).toEqual(before)
    expect(await readdir(out)).toEqual(['toy01'])
  })

  it('checks the source against the pinned sha256 before anything is put in place', async () => {
    const pinned = toy(['a.bin'], {sourceFiles: [{name: 'toy.tar.gz', url: 'http://127.0.0.1/toy.tar.gz', format: 'tar.gz', sha256: '0'.repeat(64)}]})
    await expect(runPipeline(pinned, {source, out: join(dir, 'pinned')}, [])).rejects.toThrow(/sha256 [0-9a-f]{64} is not the pinned 0{64} of toy.tar.gz/)
    await expect(readdir(join(dir, 'pinned'))).rejects.toMatchObject({code: 'ENOENT'})
  })
})
