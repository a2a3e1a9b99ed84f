import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {vww01} from '../../datasets/vww01.js'
import {labelImages, NON_PERSON, PERSON} from '../../src/prepare/vww-annotations.js'
import {prepareVww, type PrepareVwwOptions} from '../../src/prepare/vww.js'
import {buildZip, REPO_ROOT, skipMessage} from '../helpers/archives.js'
import {fixtureIds, fixtureJpegEntries, HAS_VWW_FIXTURES, syntheticJpeg} from '../helpers/images.js'

const PERSON_CATEGORY = 1
const DOG_CATEGORY = 18

interface Box {
  category?: number
  crowd?: boolean
  /** Box width × height as a share of the image. */
  share: number
}

/** Hand-made COCO instances annotations: one entry per image, with its person (or other) boxes. */
function instances(images: {id: number; width: number; height: number; boxes: Box[]}[]) {
  let annotationId = 1
  return {
    info: {description: 'hand-made'},
    images: images.map(({id, width, height}) => ({id, file_name: `${String(id).padStart(12, '0')}.jpg`, width, height})),
    annotations: images.flatMap(({id, width, height, boxes}) =>
      boxes.map(({category = PERSON_CATEGORY, crowd = false, share}) => {
        // A box of the given share: full image width, height scaled (w·h / (W·H) = share).
        const boxHeight = share * height
        return {id: annotationId++, image_id: id, category_id: category, iscrowd: crowd ? 1 : 0, bbox: [0, 0, width, boxHeight], area: width * boxHeight}
      }),
    ),
    categories: [{id: PERSON_CATEGORY, name: 'person', supercategory: 'person'}, {id: DOG_CATEGORY, name: 'dog', supercategory: 'animal'}],
  }
}

const IMAGES = [
  {id: 1, width: 640, height: 480, boxes: [{share: 0.1}]}, // person
  {id: 2, width: 480, height: 640, boxes: [{share: 0.01}, {share: 0.02}]}, // small persons only: skipped
  {id: 3, width: 500, height: 375, boxes: []}, // nothing: non-person
  {id: 4, width: 400, height: 300, boxes: [{share: 0.5, crowd: true}]}, // a crowd region only: non-person, as in the script
  {id: 5, width: 300, height: 400, boxes: [{share: 0.6, category: DOG_CATEGORY}]}, // a dog: non-person
  {id: 6, width: 256, height: 256, boxes: [{share: 0.001}, {share: 0.03}]}, // one large person among small: person
  {id: 7, width: 200, height: 200, boxes: [{share: 0.025}]}, // exactly 2.5 %: not more, so skipped
  {id: 8, width: 320, height: 240, boxes: []}, // non-person, but absent from the source
]

describe('the Silicon Labs rule (buildPersonDetectionDatabase.py) on hand-made annotations', () => {
  it('person above 2.5 % of the image, non-person without non-crowd person boxes, skipped otherwise', () => {
    const {kept, skipped, images} = labelImages(instances(IMAGES), vww01.personRule)
    expect(images).toBe(8)
    expect([...kept.values()].map((image) => [image.id, image.label])).toEqual([[1, PERSON], [3, NON_PERSON], [4, NON_PERSON], [5, NON_PERSON], [6, PERSON], [8, NON_PERSON]])
    expect([...skipped]).toEqual(['000000000002.jpg', '000000000007.jpg'])
  })
})

describe('prepare vww --subset all: the open-division data set from annotations', () => {
  let dir: string
  let source: string
  let annotations: string
  const run = (options: Partial<PrepareVwwOptions>) =>
    prepareVww({benchmark: vww01, source, annotations, subset: 'all', out: join(dir, 'out'), verify: false, ...options})

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-vww-all-'))
    const present = IMAGES.filter((image) => image.id !== 8)
    const entries = await Promise.all(present.map(async ({id, width, height}) => ({path: `val2017/${String(id).padStart(12, '0')}.jpg`, bytes: await syntheticJpeg(width, height, id)})))
    entries.push({path: 'val2017/000000000009.jpg', bytes: await syntheticJpeg(150, 120, 9)}) // in no annotation
    source = join(dir, 'val2017.zip')
    await writeFile(source, buildZip(entries))
    annotations = join(dir, 'instances_val2017.json')
    await writeFile(annotations, JSON.stringify(instances(IMAGES)))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('writes person images first, then non-person, by id; skips what the rule skips', async () => {
    const result = await run({allowMissing: true})
    expect(await readFile(join(dir, 'out/vww01/y_labels.csv'), 'utf8')).toBe(
      ['000000000001.bin,2,1', '000000000006.bin,2,1', '000000000003.bin,2,0', '000000000004.bin,2,0', '000000000005.bin,2,0', ''].join('\n'),
    )
    expect(result).toMatchObject({subset: 'all', filesWritten: 5, person: 2, imagesDecoded: 5, official: null})
    expect(result.annotations).toMatchObject({kind: 'json', checksum: 'none (a JSON file)', member: null, images: 8, person: 2, nonPerson: 4, skipped: 2, missing: ['000000000008.bin']})
    expect(result.warnings).toEqual(['1 images of the source are not in the annotations and were left out'])
    // Shapes outside the val2017 table (256×256, 400×300, …) use the ideal affine parameters.
    expect(result.idealAffine.length).toBeGreaterThan(0)
  })

  it('refuses annotated images missing from the source unless --allow-missing', async () => {
    await expect(run({})).rejects.toThrow(`${source}: holds 5 of the 6 labelled images (missing 000000000008.bin); --allow-missing writes the ones found`)
  })

  it('reads the annotations from the annotations zip (annotations/instances_val2017.json)', async () => {
    const zip = join(dir, 'annotations_trainval2017.zip')
    await writeFile(zip, buildZip([
      {path: 'annotations/captions_val2017.json', bytes: Buffer.from('{}')},
      {path: 'annotations/instances_val2017.json', bytes: await readFile(annotations)},
    ]))
    const result = await run({annotations: zip, allowMissing: true, out: join(dir, 'from-zip')})
    expect(result.annotations).toMatchObject({kind: 'zip', member: 'annotations/instances_val2017.json', checksum: 'not verified (--no-verify)', person: 2})
    expect(await readFile(join(dir, 'from-zip/vww01/y_labels.csv'), 'utf8')).toBe(await readFile(join(dir, 'out/vww01/y_labels.csv'), 'utf8'))
  })

  it('needs --annotations, and refuses annotations that are not COCO instances or do not fit the images', async () => {
    await expect(run({annotations: undefined})).rejects.toThrow(/--subset all needs --annotations: instances_val2017\.json, or annotations_trainval2017\.zip/)
    const notJson = join(dir, 'broken.json')
    await writeFile(notJson, '{"images": [')
    await expect(run({annotations: notJson})).rejects.toThrow(new RegExp(`^${notJson}: is not valid JSON`))
    const noPerson = join(dir, 'no-person.json')
    await writeFile(noPerson, JSON.stringify({...instances(IMAGES), categories: [{id: 18, name: 'dog'}]}))
    await expect(run({annotations: noPerson})).rejects.toThrow(`${noPerson}: has no "person" category; vww labels images by it`)
    const wrongSize = join(dir, 'wrong-size.json')
    await writeFile(wrongSize, JSON.stringify(instances(IMAGES.map((image) => (image.id === 3 ? {...image, width: 640, height: 480} : image)))))
    await expect(run({annotations: wrongSize, allowMissing: true})).rejects.toThrow(`${source}: val2017/000000000003.jpg: is 500×375 pixels, but the annotations say 640×480`)
  })
})

if (!HAS_VWW_FIXTURES) console.warn(skipMessage('the vww01 --subset all check on real images'))

describe.skipIf(!HAS_VWW_FIXTURES)('prepare vww --subset all on the real originals (../shared/fixtures/vww01)', () => {
  it('labels them as the official list does and writes the official bytes under the official names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tinydata-vww-all-real-'))
    try {
      const ids = await fixtureIds()
      const {default: sharp} = await import('sharp')
      const entries = await fixtureJpegEntries(ids)
      const list = new Map((await readFile(join(REPO_ROOT, vww01.officialList), 'utf8')).trim().split('\n').map((row) => {
        const [file, , label] = row.split(',')
        return [file!.slice(0, 12), Number(label)]
      }))
      // Annotations that make the rule give each image its official label: one large person box, or none.
      const images = await Promise.all(entries.map(async (entry, i) => {
        const {width, height} = await sharp(entry.bytes).metadata()
        const id = Number(ids[i])
        return {id, width: width!, height: height!, boxes: list.get(ids[i]!) === PERSON ? [{share: 0.3}] : []}
      }))
      const source = join(dir, 'val2017.zip')
      await writeFile(source, buildZip(entries))
      const annotations = join(dir, 'instances_val2017.json')
      await writeFile(annotations, JSON.stringify(instances(images)))
      const result = await prepareVww({benchmark: vww01, source, annotations, subset: 'all', out: dir, verify: false})
      expect(result.filesWritten).toBe(ids.length)
      expect(result.warnings).toEqual([])
      expect(result.parity).toEqual({compared: ids.length, identical: ids.length, differing: []})
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
