import {mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ic01} from '../../datasets/ic01.js'
import {CIFAR_RECORD_BYTES, planarToHwc} from '../../src/image/cifar.js'
import {sha256Hex} from '../../src/io/hash.js'
import {readManifest} from '../../src/manifest/reader.js'
import {loadIcList} from '../../src/prepare/ic-list.js'
import {prepareIc, type PrepareIcOptions} from '../../src/prepare/ic.js'
import {buildTarGz, REPO_ROOT, skipMessage} from '../helpers/archives.js'
import {buildCifarArchive, buildCifarBatch, HAS_IC_FIXTURES, hwcToPlanar, IC_V05_OFFICIAL, noiseBytes} from '../helpers/images.js'

if (!HAS_IC_FIXTURES) console.warn(skipMessage('the ic01 v0.5 byte-parity test'))

const V05 = ic01.lists['v0.5'].indexTable
const V07 = ic01.lists['v0.7'].indexTable

describe('prepare ic: selection by index, HWC layout, naming and bad input (synthetic batch)', () => {
  let dir: string
  let archive: string
  let batch: Uint8Array
  const run = (options: Partial<PrepareIcOptions>) => prepareIc({benchmark: ic01, source: archive, out: join(dir, 'out'), verify: false, ...options})

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-ic-'))
    // Noise everywhere, with the labels of both official lists at their indices.
    const images = new Map([...loadIcList(V05), ...loadIcList(V07)].map(({index, label}) => [index, {planar: noiseBytes(3072, index + 1), label}]))
    batch = buildCifarBatch(images)
    archive = join(dir, 'cifar-10-binary.tar.gz')
    await writeFile(archive, await buildCifarArchive(batch))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  const planarAt = (index: number) => batch.subarray(index * CIFAR_RECORD_BYTES + 1, (index + 1) * CIFAR_RECORD_BYTES)

  it('writes the v0.7 list (default) in official order, each file the HWC image at its index', async () => {
    const result = await run({})
    expect(result).toMatchObject({benchmark: 'ic01', list: 'v0.7', subset: 'official', filesWritten: 200, official: {expected: 200, found: 200, missing: []}})
    expect(result.testBatch).toBe('cifar-10-batches-bin/test_batch.bin')
    const yLabels = await readFile(join(dir, 'out/ic01/y_labels.csv'), 'utf8')
    // The official y_labels.csv, byte for byte (the copy the scorer uses).
    expect(yLabels).toBe(await readFile(join(REPO_ROOT, 'manifests/labels/ic01.csv'), 'utf8'))
    for (const {file, index} of loadIcList(V07).slice(0, 20)) {
      const written = await readFile(join(dir, 'out/ic01', file))
      expect(written.length).toBe(3072)
      expect(written.equals(planarToHwc(planarAt(index)))).toBe(true)
    }
    // Noise is not the official bytes: the three v0.7 files with pinned bytes differ, and say so.
    expect(result.parity).toMatchObject({compared: 3, identical: 0})
  })

  it('interleaves the planes: out[(y·32+x)·3+c] = planar[c·1024+y·32+x]', () => {
    const planar = Uint8Array.from({length: 3072}, (_, i) => i % 251)
    const hwc = planarToHwc(planar)
    for (const [y, x, c] of [[0, 0, 0], [0, 0, 2], [5, 7, 1], [31, 31, 2], [12, 30, 0]] as const) {
      expect(hwc[(y * 32 + x) * 3 + c]).toBe(planar[c * 1024 + y * 32 + x])
    }
    expect(hwcToPlanar(hwc)).toEqual(planar)
  })

  it('--list v0.5 writes the v0.5 list, and the manifest describes each stimulus', async () => {
    const result = await run({list: 'v0.5', out: join(dir, 'v05')})
    expect(result.list).toBe('v0.5')
    const {records, meta} = await readManifest(join(dir, 'v05/ic01/manifest.arrow'))
    expect(records.map((r) => r.file)).toEqual(loadIcList(V05).map((e) => e.file))
    const first = loadIcList(V05)[0]!
    expect(records[0]).toMatchObject({file: first.file, label: first.label, className: ic01.classNames[first.label], dtype: 'uint8', shape: [32, 32, 3], scale: 1, zeroPoint: 0, subset: 'official'})
    expect(records[0]!.sourceMember).toBe(`cifar-10-batches-bin/test_batch.bin#${first.index}`)
    expect(records[0]!.sourceSha256).toBe(sha256Hex(planarAt(first.index)))
    expect(meta).toMatchObject({benchmark: 'ic01', subset: 'official', list: 'v0.5'})
  })

  it('--subset test writes all 10,000 images as test_NNNNN_<class>_<label>.bin in batch order', async () => {
    const result = await run({subset: 'test', out: join(dir, 'test')})
    expect(result).toMatchObject({list: null, subset: 'test', filesWritten: 10_000, official: null})
    const lines = (await readFile(join(dir, 'test/ic01/y_labels.csv'), 'utf8')).trim().split('\n')
    expect(lines).toHaveLength(10_000)
    expect(lines[0]).toBe(`test_00000_${ic01.classNames[batch[0]!]}_${batch[0]}.bin,10,${batch[0]}`)
    expect(lines[9999]).toMatch(/^test_09999_[a-z]+_\d\.bin,10,\d$/)
    const index = loadIcList(V07)[0]!.index
    expect((await readFile(join(dir, 'test/ic01', lines[index]!.split(',')[0]!))).equals(planarToHwc(planarAt(index)))).toBe(true)
    // Every official file with pinned bytes is compared at its index (noise here, so none match).
    expect(result.parity).toMatchObject({compared: 200, identical: 0})
  })

  it('reads an extracted folder like the archive', async () => {
    const folder = join(dir, 'extracted/cifar-10-batches-bin')
    await mkdir(folder, {recursive: true})
    await writeFile(join(folder, 'test_batch.bin'), batch)
    const result = await run({source: join(dir, 'extracted'), out: join(dir, 'folder')})
    expect(result.source).toMatchObject({kind: 'folder', sha256: null, checksum: 'none (a folder)'})
    expect(result.filesWritten).toBe(200)
  })

  it('a test batch of the wrong size is a one-line error naming the member', async () => {
    const short = join(dir, 'short.tar.gz')
    await writeFile(short, await buildCifarArchive(batch.subarray(0, batch.length - 100)))
    await expect(run({source: short})).rejects.toThrow(
      `${short}: cifar-10-batches-bin/test_batch.bin: is 30,729,900 bytes; a CIFAR-10 test batch is 10,000 records of 3073 bytes (30,730,000 bytes)`,
    )
  })

  it('refuses the python archive, an archive without a test batch, and a batch with other labels', async () => {
    const python = join(dir, 'cifar-10-python.tar.gz')
    await writeFile(python, await buildTarGz([{path: 'cifar-10-batches-py/test_batch', bytes: noiseBytes(100, 1)}]))
    await expect(run({source: python})).rejects.toThrow(/holds cifar-10-batches-py\/, the python version of CIFAR-10; ic01 is made from the binary archive cifar-10-binary\.tar\.gz/)
    const empty = join(dir, 'empty.tar.gz')
    await writeFile(empty, await buildTarGz([{path: 'cifar-10-batches-bin/readme.html', bytes: noiseBytes(10, 1)}]))
    await expect(run({source: empty})).rejects.toThrow(`${empty}: holds no cifar-10-batches-bin/test_batch.bin`)
    const relabelled = batch.slice()
    const {index, label, file} = loadIcList(V07)[0]!
    relabelled[index * CIFAR_RECORD_BYTES] = (label + 1) % 10
    const wrong = join(dir, 'wrong-labels.tar.gz')
    await writeFile(wrong, await buildCifarArchive(relabelled))
    await expect(run({source: wrong})).rejects.toThrow(`${wrong}: cifar-10-batches-bin/test_batch.bin: image ${index} has label ${(label + 1) % 10}, but the v0.7 list has ${file} there with label ${label}`)
  })

  it('checks the archive against the pinned sha256 unless --no-verify, before writing anything', async () => {
    const out = join(dir, 'verified')
    await expect(run({verify: true, out})).rejects.toThrow(/sha256 [0-9a-f]{64} is not the pinned c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd of cifar-10-binary\.tar\.gz .*--no-verify/)
    await expect(readdir(out)).rejects.toThrow()
  })
})

describe.skipIf(!HAS_IC_FIXTURES)('prepare ic reproduces the official ic01 v0.5 bytes (../shared/fixtures/ic01_v0.5)', () => {
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-ic-parity-'))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('--list v0.5: every official bin byte-identical, from a CIFAR-10 binary archive holding them at their indices', async () => {
    const officialFiles = new Set((await readdir(IC_V05_OFFICIAL)).filter((file) => file.endsWith('.bin')))
    const entries = loadIcList(V05).filter((entry) => officialFiles.has(entry.file))
    const images = new Map(await Promise.all(entries.map(async ({file, index, label}) => [index, {planar: hwcToPlanar(await readFile(join(IC_V05_OFFICIAL, file))), label}] as const)))
    // The other v0.5 images are noise: their bytes must differ from the pinned ones, which the parity figures show.
    for (const {index, label} of loadIcList(V05)) if (!images.has(index)) images.set(index, {planar: noiseBytes(3072, index), label})
    const archive = join(dir, 'cifar-10-binary.tar.gz')
    await writeFile(archive, await buildCifarArchive(buildCifarBatch(images)))

    const result = await prepareIc({benchmark: ic01, source: archive, out: dir, list: 'v0.5', verify: false})
    let identicalBytes = 0
    for (const {file} of entries) {
      const ours = await readFile(join(dir, 'ic01', file))
      const theirs = await readFile(join(IC_V05_OFFICIAL, file))
      identicalBytes += [...ours].filter((value, i) => value === theirs[i]).length
      expect(ours.equals(theirs), file).toBe(true)
    }
    console.info(`ic01 v0.5 parity: ${entries.length}/${entries.length} official bins byte-identical (${identicalBytes}/${entries.length * 3072} bytes)`)
    expect(entries.length).toBe(officialFiles.size)
    expect(result.parity).toEqual({compared: 200, identical: entries.length, differing: expect.any(Array)})
    expect(result.parity.differing.some((file) => officialFiles.has(file))).toBe(false)
  })
})
