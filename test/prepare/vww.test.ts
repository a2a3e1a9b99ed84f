import {mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {vww01} from '../../datasets/vww01.js'
import {decodeRgb} from '../../src/image/decode.js'
import {sha256Hex} from '../../src/io/hash.js'
import {vwwResizePlan} from '../../src/image/vww-resize-plan.js'
import {readManifest} from '../../src/manifest/reader.js'
import {prepareVww, type PrepareVwwOptions} from '../../src/prepare/vww.js'
import type {VwwBenchmark} from '../../datasets/types.js'
import {buildZip, skipMessage, type ArchiveEntry} from '../helpers/archives.js'
import {fixtureIds, fixtureJpegEntries, HAS_VWW_FIXTURES, noiseBytes, referenceResize, syntheticJpeg, VWW_OFFICIAL} from '../helpers/images.js'

if (!HAS_VWW_FIXTURES) console.warn(skipMessage('the vww01 byte-parity tests'))

describe('prepare vww: official subset by COCO id, pixels, manifest and bad input (synthetic images)', () => {
  let dir: string
  let benchmark: VwwBenchmark
  let images: Map<string, Buffer>
  const run = (options: Partial<PrepareVwwOptions> & {source: string}) => prepareVww({benchmark, out: join(dir, 'out'), verify: false, ...options})
  const zipOf = async (name: string, entries: ArchiveEntry[]) => {
    const path = join(dir, name)
    await writeFile(path, buildZip(entries))
    return path
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-vww-'))
    // An official list of four ids in the format of the real one (person rows first); 000000000014 is never supplied.
    const list = join(dir, 'y_labels.csv')
    await writeFile(list, '000000000012.bin,2,1\n000000000011.bin,2,1\n000000000013.bin,2,0\n000000000014.bin,2,0\n')
    benchmark = {...vww01, officialList: list, officialCount: 4}
    images = new Map([
      ['000000000011', await syntheticJpeg(640, 480, 1)],
      ['000000000012', await syntheticJpeg(480, 640, 2, {grey: true})],
      // 333×499 is no val2017 shape: the ideal affine parameters are used, and reported.
      ['000000000013', await syntheticJpeg(499, 333, 3)],
    ])
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  const imageEntries = () => [...images].map(([id, bytes]) => ({path: `val2017/${id}.jpg`, bytes}))

  it('writes the listed images found, in list order, each the exact resize of its decoded pixels', async () => {
    const source = await zipOf('val2017.zip', [
      {path: 'val2017/LICENSE.txt', bytes: Buffer.from('Flickr')},
      {path: '__MACOSX/val2017/._000000000011.jpg', bytes: noiseBytes(50, 1)},
      ...imageEntries(),
      {path: 'val2017/000000000099.jpg', bytes: await syntheticJpeg(200, 150, 9)},
    ])
    const result = await run({source, allowMissing: true, threads: 1})
    expect(result).toMatchObject({benchmark: 'vww01', subset: 'official', filesWritten: 3, person: 2, imagesDecoded: 3, annotations: null})
    expect(result.official).toEqual({expected: 4, found: 3, missing: ['000000000014.bin']})
    expect(result.idealAffine).toEqual(['000000000013.bin'])
    expect(await readFile(join(dir, 'out/vww01/y_labels.csv'), 'utf8')).toBe('000000000012.bin,2,1\n000000000011.bin,2,1\n000000000013.bin,2,0\n')
    for (const [id, jpeg] of images) {
      const {pixels, height, width} = await decodeRgb(jpeg, id)
      const written = await readFile(join(dir, `out/vww01/${id}.bin`))
      expect(written.length).toBe(27_648)
      expect(written.equals(referenceResize(pixels, height, width, vwwResizePlan(height, width))), id).toBe(true)
    }
    const {records, meta} = await readManifest(join(dir, 'out/vww01/manifest.arrow'))
    expect(records.map((r) => [r.file, r.label, r.className])).toEqual([['000000000012.bin', 1, 'person'], ['000000000011.bin', 1, 'person'], ['000000000013.bin', 0, 'non_person']])
    expect(records[1]).toMatchObject({sourceMember: 'val2017/000000000011.jpg', sourceSha256: sha256Hex(images.get('000000000011')!), dtype: 'uint8', shape: [96, 96, 3], zeroPoint: 0, subset: 'official'})
    expect(records[1]!.scale).toBe(0.003921568859368563)
    expect(meta).toMatchObject({benchmark: 'vww01', subset: 'official', ideal_affine_files: ['000000000013.bin'], computed_kernel_files: []})
  })

  it('copies a greyscale image to three equal channels', async () => {
    const {pixels} = await decodeRgb(images.get('000000000012')!, 'grey')
    expect(pixels.length).toBe(480 * 640 * 3)
    for (let p = 0; p < pixels.length; p += 3 * 997) expect([pixels[p + 1], pixels[p + 2]]).toEqual([pixels[p], pixels[p]])
  })

  it('reads a folder of <id>.jpg like the zip', async () => {
    const folder = join(dir, 'folder')
    await mkdir(folder)
    for (const [id, bytes] of images) await writeFile(join(folder, `${id}.jpg`), bytes)
    const result = await run({source: folder, out: join(dir, 'from-folder'), allowMissing: true})
    expect(result.source).toMatchObject({kind: 'folder', checksum: 'none (a folder)'})
    expect(await readFile(join(dir, 'from-folder/vww01/000000000011.bin'))).toEqual(await readFile(join(dir, 'out/vww01/000000000011.bin')))
  })

  it('refuses missing images unless --allow-missing, and a source without any listed image', async () => {
    const source = await zipOf('three.zip', imageEntries())
    await expect(run({source, out: join(dir, 'strict')})).rejects.toThrow(`${source}: holds 3 of the 4 official images (missing 000000000014.bin); --allow-missing writes the ones found`)
    await expect(readdir(join(dir, 'strict'))).rejects.toThrow()
    const none = await zipOf('none.zip', [{path: 'val2017/000000000099.jpg', bytes: images.get('000000000011')!}])
    await expect(run({source: none, allowMissing: true})).rejects.toThrow(/holds none of the 4 official vww01 images \(<12-digit COCO id>\.jpg, e\.g\. 000000000012\.jpg/)
  })

  it('keeps the first of two copies of an image and says so', async () => {
    const source = await zipOf('twice.zip', [...imageEntries(), {path: 'more/000000000011.jpg', bytes: images.get('000000000011')!}])
    const result = await run({source, allowMissing: true})
    expect(result.warnings).toEqual(['more/000000000011.jpg: a second copy of val2017/000000000011.jpg; the first is used'])
  })

  it('checks the zip against the pinned val2017.zip sha256 unless --no-verify', async () => {
    const source = await zipOf('unpinned.zip', imageEntries())
    await expect(run({source, allowMissing: true, verify: true})).rejects.toThrow(/sha256 [0-9a-f]{64} is not the pinned 4f7e2ccb.* of val2017\.zip or 69a8bb58.* of train2017\.zip/)
  })

  it('keeps the previous folder whole when a later run fails after staging some stimuli, and leaves nothing behind', async () => {
    const out = join(dir, 'keep')
    await run({source: await zipOf('good.zip', imageEntries()), out, allowMissing: true})
    const before = await readFile(join(out, 'vww01/manifest.arrow'))
    // Two good images are made and staged before the third, which is not an image, stops the run.
    const entries = imageEntries().map((entry) => (entry.path.includes('000000000013') ? {...entry, bytes: noiseBytes(4000, 8)} : entry))
    await expect(run({source: await zipOf('late-bad.zip', entries), out, allowMissing: true, threads: 1})).rejects.toThrow(/000000000013\.jpg: is not a readable image/)
    expect((await readFile(join(out, 'vww01/manifest.arrow'))).equals(before)).toBe(true)
    expect(await readdir(out)).toEqual(['vww01'])
  })

  describe('bad images are one-line errors naming the archive and the member', () => {
    const badImage = async (make: () => Promise<Uint8Array>, member = 'val2017/000000000011.jpg') => {
      const source = await zipOf(`bad-${member.replace(/\W/g, '')}-${Math.random().toString(36).slice(2)}.zip`, [
        ...imageEntries().filter((entry) => !entry.path.includes('000000000011')),
        {path: member, bytes: await make()},
      ])
      const error = await run({source, allowMissing: true}).then(() => undefined, (e: Error) => e)
      expect(error?.name).toBe('UserError')
      expect(error!.message).not.toContain('\n')
      expect(error!.message.startsWith(`${source}: ${member}: `)).toBe(true)
      return error!.message
    }
    const sharp = async () => (await import('sharp')).default

    it('a corrupt JPEG', async () => {
      expect(await badImage(async () => noiseBytes(5000, 3))).toMatch(/is not a readable image \(.*unsupported image format/)
    })

    it('an empty (0-byte) image', async () => {
      expect(await badImage(async () => new Uint8Array(0))).toMatch(/: is empty \(0 bytes\), not an image$/)
    })

    it('a truncated JPEG', async () => {
      const jpeg = images.get('000000000011')!
      expect(await badImage(async () => jpeg.subarray(0, jpeg.length >> 1))).toMatch(/is not a readable image \(a truncated JPEG: no end-of-image marker; /)
    })

    it('a CMYK JPEG', async () => {
      const cmyk = async () => (await sharp())(noiseBytes(120 * 100 * 3, 4), {raw: {width: 120, height: 100, channels: 3}}).toColourspace('cmyk').jpeg().toBuffer()
      expect(await badImage(cmyk)).toMatch(/is a CMYK jpeg; vww01 is made from 8-bit RGB or greyscale images$/)
    })

    it('a 16-bit PNG', async () => {
      const png16 = async () => (await sharp())(noiseBytes(120 * 100 * 3, 5), {raw: {width: 120, height: 100, channels: 3}}).toColourspace('rgb16').png().toBuffer()
      expect(await badImage(png16, 'val2017/000000000011.png')).toMatch(/is a 16-bit png; vww01 is made from 8-bit RGB or greyscale images$/)
    })

    it('a PNG with an alpha channel', async () => {
      const rgba = async () => (await sharp())(noiseBytes(120 * 100 * 4, 6), {raw: {width: 120, height: 100, channels: 4}}).png().toBuffer()
      expect(await badImage(rgba, 'val2017/000000000011.png')).toMatch(/is a png with 4 channels \(alpha\); vww01 is made from RGB or greyscale images$/)
    })
  })
})

describe.skipIf(!HAS_VWW_FIXTURES)('prepare vww reproduces the official vww01 bytes (../shared/fixtures/vww01)', () => {
  let dir: string
  let source: string
  let ids: string[]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-vww-parity-'))
    ids = await fixtureIds()
    // The real originals in the val2017.zip layout (built here: COCO images are never committed), with a
    // non-official image and a top-level file around them.
    const entries = [{path: 'val2017/', bytes: new Uint8Array()}, ...(await fixtureJpegEntries(ids)), {path: 'val2017/000000000001.jpg', bytes: await syntheticJpeg(640, 480, 7)}]
    source = join(dir, 'val2017.zip')
    await writeFile(source, buildZip(entries.filter((entry) => !entry.path.endsWith('/'))))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('every official bin byte-identical (all originals with an official bin in the fixtures)', async () => {
    const result = await prepareVww({benchmark: vww01, source, out: dir, allowMissing: true, verify: false})
    expect(result.official).toMatchObject({expected: 1000, found: ids.length})
    expect(result.official!.missing).toHaveLength(1000 - ids.length)
    const officialBins = (await readdir(VWW_OFFICIAL)).filter((file) => file.endsWith('.bin'))
    let identicalFiles = 0
    let identicalBytes = 0
    let totalBytes = 0
    let maxDifference = 0
    for (const file of officialBins) {
      const ours = await readFile(join(dir, 'vww01', file))
      const theirs = await readFile(join(VWW_OFFICIAL, file))
      expect(ours.length).toBe(theirs.length)
      let same = 0
      for (let i = 0; i < theirs.length; i++) {
        if (ours[i] === theirs[i]) same++
        else maxDifference = Math.max(maxDifference, Math.abs(ours[i]! - theirs[i]!))
      }
      identicalBytes += same
      totalBytes += theirs.length
      if (same === theirs.length) identicalFiles++
    }
    console.info(
      `vww01 parity: ${identicalFiles}/${officialBins.length} official bins byte-identical, ${identicalBytes}/${totalBytes} bytes ` +
        `(${((100 * identicalBytes) / totalBytes).toFixed(5)} %), max |difference| ${maxDifference}; ` +
        `pinned sha256: ${result.parity.identical}/${result.parity.compared} files`,
    )
    expect({identicalFiles, identicalBytes, maxDifference}).toEqual({identicalFiles: officialBins.length, identicalBytes: totalBytes, maxDifference: 0})
    // Through the pinned sha256 values, every original with an official file is checked, not only those with a bin.
    expect(result.parity).toEqual({compared: ids.length, identical: ids.length, differing: []})
    expect(result.idealAffine).toEqual([])
  })
})
