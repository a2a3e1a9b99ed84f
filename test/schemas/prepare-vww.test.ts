/**
 * `tinydata prepare vww --json` against schemas/prepare-vww.schema.json, on synthetic JPEGs named after official
 * COCO ids: the official subset with --allow-missing, --subset all with the annotations as a JSON file and inside a
 * zip, and an error.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {buildZip, REPO_ROOT} from '../helpers/archives.js'
import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {syntheticJpeg} from '../helpers/images.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

/** 499 × 333 is no val2017 shape: that image is made with the ideal affine parameters (ideal_affine). */
const SIZES = [[640, 480], [480, 640], [499, 333]] as const

if (!HAS_BUILT_CLI) console.log('skipped: the prepare vww schema tests need the built CLI (npm run build)')

describe.skipIf(!HAS_BUILT_CLI)('prepare vww --json matches schemas/prepare-vww.schema.json', () => {
  let work: string
  let source: string
  let ids: string[]
  const prepareVwwJson = async (out: string, ...args: string[]): Promise<unknown> => {
    const run = await tinydata('prepare', 'vww', '--source', source, '--out', join(work, out), '--no-verify', ...args, '--json')
    expect(run.code, run.stderr).toBe(0)
    return JSON.parse(run.stdout)
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-prepare-vww-schema-'))
    const officialList = await readFile(join(REPO_ROOT, 'manifests/labels/vww01.csv'), 'utf8')
    ids = officialList.split('\n').slice(0, SIZES.length).map((row) => row.slice(0, row.indexOf('.bin')))
    const entries = await Promise.all(SIZES.map(async ([width, height], i) => ({path: `val2017/${ids[i]}.jpg`, bytes: await syntheticJpeg(width, height, i)})))
    source = join(work, 'val2017.zip')
    await writeFile(source, buildZip(entries))
    // Annotations of the three images and one the source lacks; the first image holds a person.
    const images = [...SIZES, [640, 427] as const].map(([width, height], i) => ({id: i + 1, file_name: `00000000900${i}.jpg`, width, height}))
    for (const [i, id] of ids.entries()) images[i]!.file_name = `${id}.jpg`
    const instances = JSON.stringify({images, annotations: [{image_id: 1, category_id: 1, iscrowd: 0, bbox: [0, 0, 300, 300]}], categories: [{id: 1, name: 'person'}]})
    await writeFile(join(work, 'instances_val2017.json'), instances)
    await writeFile(join(work, 'annotations_trainval2017.zip'), buildZip([{path: 'annotations/instances_val2017.json', bytes: Buffer.from(instances)}]))
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('the official subset with --allow-missing: official counts, parity, ideal_affine; annotations null', async () => {
    const json = await prepareVwwJson('official', '--allow-missing')
    expect(json).toMatchObject({
      subset: 'official', files_written: 3, images_decoded: 3, annotations: null, source: {kind: 'zip', checksum: 'not verified (--no-verify)'},
      official: {expected: 1000, found: 3}, ideal_affine: [`${ids[2]}.bin`],
    })
    expectMatchesSchema('prepare vww', json)
  })

  it('--subset all with the annotations as a JSON file: annotations without member, official null', async () => {
    const annotations = join(work, 'instances_val2017.json')
    const json = await prepareVwwJson('all-json', '--subset', 'all', '--annotations', annotations, '--allow-missing')
    expect(json).toMatchObject({
      subset: 'all', files_written: 3, person: 1, official: null,
      annotations: {path: annotations, kind: 'json', checksum: 'none (a JSON file)', member: null, images: 4, person: 1, non_person: 3, missing: ['000000009003.bin']},
    })
    expectMatchesSchema('prepare vww', json)
  })

  it('--subset all with the annotations in a zip: the member read and the zip\'s sha256', async () => {
    const json = await prepareVwwJson('all-zip', '--subset', 'all', '--annotations', join(work, 'annotations_trainval2017.zip'), '--allow-missing')
    expect(json).toMatchObject({annotations: {kind: 'zip', checksum: 'not verified (--no-verify)', member: 'annotations/instances_val2017.json'}})
    expectMatchesSchema('prepare vww', json)
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    const broken = join(work, 'broken.json')
    await writeFile(broken, '{"images": [')
    const run = await tinydata('prepare', 'vww', '--source', source, '--out', join(work, 'error'), '--subset', 'all', '--annotations', broken, '--json')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error', message: expect.stringContaining(`${broken}: is not valid JSON`)}})
    expectMatchesSchema('error', json)
  })
})
