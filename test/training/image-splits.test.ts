import {mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {tableFromIPC} from 'apache-arrow'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ic01} from '../../datasets/ic01.js'
import {vww01} from '../../datasets/vww01.js'
import {UserError} from '../../src/errors.js'
import {decodeRgb} from '../../src/image/decode.js'
import {CIFAR_RECORD_BYTES, planarToHwc} from '../../src/image/cifar.js'
import {prepareIcSplit} from '../../src/training/ic.js'
import {isKerasImage, kerasSubset} from '../../src/training/keras-directory-split.js'
import {prepareVwwSplit} from '../../src/training/vww.js'
import {buildTarGz, type ArchiveEntry} from '../helpers/archives.js'
import {noiseBytes, syntheticJpeg} from '../helpers/images.js'

const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'bmp', 'ppm', 'tif', 'tiff']

describe('Keras flow_from_directory(validation_split=0.1) membership and order', () => {
  const file = (className: string, path: string) => ({className, path})

  it('lists the white-listed extensions whatever their case, nothing else', () => {
    expect(['a.jpg', 'b.JPG', 'c.jpeg', 'd.png', 'e.tiff'].every((name) => isKerasImage(name, IMAGE_EXTENSIONS))).toBe(true)
    expect(['a.txt', 'b.jpg.txt', 'c.gif', 'jpg'].some((name) => isKerasImage(name, IMAGE_EXTENSIONS))).toBe(false)
  })

  it('classes in sorted order; in each, folders by path then names; the first int(0.1 n) are validation', () => {
    const files = [
      ...['k.jpg', 'b.jpg', 'a b/x.jpg', 'a/z.jpg', 'a/b/y.jpg', 'c.jpg', 'd.jpg', 'e.jpg', 'f.jpg', 'g.jpg', 'h.jpg', 'i.jpg'].map((path) => file('person', path)),
      ...['9.jpg', '10.jpg', '1.jpg', '2.jpg', '3.jpg', '4.jpg', '5.jpg', '6.jpg', '7.jpg'].map((path) => file('non_person', path)),
    ]
    const keys = (subset: 'training' | 'validation') => kerasSubset(files, 0.1, subset).map((f) => `${f.className}/${f.path}`)
    // non_person: 9 files, int(0.9) = 0 for validation; person: 12 files, int(1.2) = 1.
    expect(keys('validation')).toEqual(['person/b.jpg'])
    expect(keys('training')).toEqual([
      'non_person/1.jpg', 'non_person/10.jpg', 'non_person/2.jpg', 'non_person/3.jpg', 'non_person/4.jpg', 'non_person/5.jpg',
      'non_person/6.jpg', 'non_person/7.jpg', 'non_person/9.jpg',
      // The class folder's own files, then its sub-folders in sorted order of their paths: "a" < "a b" < "a/b" (' ' < '/').
      'person/c.jpg', 'person/d.jpg', 'person/e.jpg', 'person/f.jpg', 'person/g.jpg', 'person/h.jpg', 'person/i.jpg', 'person/k.jpg',
      'person/a/z.jpg', 'person/a b/x.jpg', 'person/a/b/y.jpg',
    ])
  })

  it('int(0.1 n) in floating point: 30 files give 3, 29 give 2', () => {
    const many = (n: number) => Array.from({length: n}, (_, i) => file('person', `${String(i).padStart(3, '0')}.jpg`))
    expect(kerasSubset(many(30), 0.1, 'validation')).toHaveLength(3)
    expect(kerasSubset(many(29), 0.1, 'validation')).toHaveLength(2)
    expect(kerasSubset(many(29), 0.1, 'training')).toHaveLength(27)
  })
})

describe('prepare vww --split on a generated vw_coco2014_96 archive', () => {
  let dir: string
  let archive: string
  const names = (prefix: string, count: number) => Array.from({length: count}, (_, i) => `${prefix}_${String((i * 7) % count).padStart(3, '0')}.jpg`)
  const images = new Map<string, Buffer>()

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-vww-splits-'))
    const entries: ArchiveEntry[] = [{path: 'vw_coco2014_96/README.txt', bytes: new TextEncoder().encode('not an image')}]
    let seed = 1
    for (const [folder, files] of [['person', names('COCO_person', 12)], ['non_person', names('COCO_other', 20)]] as const) {
      for (const name of files) {
        const path = `vw_coco2014_96/${folder}/${name}`
        const jpeg = await syntheticJpeg(96, 96, seed++, {grey: seed % 5 === 0})
        images.set(path, jpeg)
        entries.push({path, bytes: jpeg})
      }
    }
    archive = join(dir, 'vw_coco2014_96.tar.gz')
    await writeFile(archive, await buildTarGz(entries))
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  const run = (split: 'train' | 'validation' | 'test' | 'calibration', out: string, source = archive) =>
    prepareVwwSplit({benchmark: vww01, split, source, out: join(dir, out), verify: false, threads: 1})

  it('validation: the first int(0.1 n) sorted files of each class, non_person first, the decoded RGB pixels', async () => {
    const result = await run('validation', 'validation')
    expect(result.classCounts).toEqual([{label: 0, labelName: 'non_person', rows: 2}, {label: 1, labelName: 'person', rows: 1}])
    const table = tableFromIPC(await readFile(result.output))
    expect(table.getChild('key')!.toArray()).toEqual(['non_person/COCO_other_000.jpg', 'non_person/COCO_other_001.jpg', 'person/COCO_person_000.jpg'])
    expect(table.getChild('source_member')!.get(2)).toBe('vw_coco2014_96/person/COCO_person_000.jpg')
    const pixels = (await decodeRgb(images.get('vw_coco2014_96/person/COCO_person_000.jpg')!, 'x')).pixels
    expect(table.getChild('tensor')!.get(2)!.toArray()).toEqual(pixels)
    expect(table.schema.fields[0]!.type.toString()).toBe('FixedSizeList[27648]<Uint8>')
  })

  it('train: the rest, 18 + 11', async () => {
    const result = await run('train', 'train')
    expect(result.rows).toBe(29)
    expect(result.published).toBeNull()
    const keys = tableFromIPC(await readFile(result.output)).getChild('key')!.toArray() as string[]
    expect(keys[0]).toBe('non_person/COCO_other_002.jpg')
    expect(keys.at(-1)).toBe('person/COCO_person_011.jpg')
  })

  it('a third class folder or an image of another size: one line naming it, nothing written', async () => {
    const third = join(dir, 'third.tar.gz')
    await writeFile(third, await buildTarGz([
      {path: 'vw_coco2014_96/person/a.jpg', bytes: await syntheticJpeg(96, 96, 1)},
      {path: 'vw_coco2014_96/people/b.jpg', bytes: await syntheticJpeg(96, 96, 2)},
    ]))
    await expect(run('train', 'third', third)).rejects.toThrow(/third\.tar\.gz: holds vw_coco2014_96\/people\/b\.jpg in a folder people\/: Keras would make it a class of its own/)
    const big = join(dir, 'big.tar.gz')
    await writeFile(big, await buildTarGz([{path: 'vw_coco2014_96/person/a.jpg', bytes: await syntheticJpeg(100, 96, 1)}]))
    await expect(run('train', 'big', big)).rejects.toThrow(/big\.tar\.gz: vw_coco2014_96\/person\/a\.jpg: is 100 × 96; the Silicon Labs training images are 96 × 96/)
    expect([...await readdir(join(dir, 'third')), ...await readdir(join(dir, 'big'))]).toEqual([])
  })

  it('no test split and no pinned calibration list: a UserError saying why', async () => {
    await expect(run('test', 'test')).rejects.toThrow(/train_vww\.py makes only training and validation subsets/)
    await expect(run('calibration', 'calibration')).rejects.toBeInstanceOf(UserError)
  })
})

describe('prepare ic --split', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-ic-splits-'))
    // A folder laid out like the extracted binary archive: five training batches and the test batch.
    await mkdir(join(dir, 'cifar/cifar-10-batches-bin'), {recursive: true})
    for (const [n, name] of ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch'].entries()) {
      const batch = noiseBytes(10_000 * CIFAR_RECORD_BYTES, n + 1)
      for (let i = 0; i < 10_000; i++) batch[i * CIFAR_RECORD_BYTES] = (i + n) % 10
      await writeFile(join(dir, `cifar/cifar-10-batches-bin/${name}.bin`), batch)
    }
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('train: the five batches in order, 50,000 images, the published count; the tensors are the ic01 bytes', async () => {
    const result = await prepareIcSplit({benchmark: ic01, split: 'train', source: join(dir, 'cifar'), out: join(dir, 'out')})
    expect(result.rows).toBe(50_000)
    expect(result.published).toEqual({count: 50_000, matches: true})
    const table = tableFromIPC(await readFile(result.output))
    const keys = table.getChild('key')!
    expect([keys.get(0), keys.get(9_999), keys.get(10_000), keys.get(49_999)]).toEqual([
      'data_batch_1.bin:0000', 'data_batch_1.bin:9999', 'data_batch_2.bin:0000', 'data_batch_5.bin:9999',
    ])
    // Record 10,001 is batch 2's record 1, whose label byte is (1 + 1) % 10.
    expect(table.getChild('label')!.get(10_001)).toBe(2n)
    const batch2 = await readFile(join(dir, 'cifar/cifar-10-batches-bin/data_batch_2.bin'))
    const planar = batch2.subarray(CIFAR_RECORD_BYTES + 1, 2 * CIFAR_RECORD_BYTES)
    expect(table.getChild('tensor')!.get(10_001)!.toArray()).toEqual(planarToHwc(planar))
  })

  it('no validation split, no pinned calibration list; a source without the batches names them', async () => {
    await expect(prepareIcSplit({benchmark: ic01, split: 'validation', source: dir, out: join(dir, 'x')})).rejects.toThrow(/validates on the test batch/)
    await expect(prepareIcSplit({benchmark: ic01, split: 'calibration', source: dir, out: join(dir, 'x')})).rejects.toThrow(/calibration_samples_idxs\.npy/)
    await mkdir(join(dir, 'empty'))
    await expect(prepareIcSplit({benchmark: ic01, split: 'test', source: join(dir, 'empty'), out: join(dir, 'y')}))
      .rejects.toThrow(/empty: holds no test_batch\.bin; the test split is read from the CIFAR-10 binary archive/)
  })
})
