import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {vww01} from '../../datasets/vww01.js'
import {prepareVww} from '../../src/prepare/vww.js'
import {buildZip, REPO_ROOT, skipMessage} from '../helpers/archives.js'
import {expectOneLineError as expectOneLine, HAS_BUILT_CLI, tinydata, type CliRun} from '../helpers/cli.js'
import {buildCifarArchive, buildCifarBatch, fixtureIds, fixtureJpegEntries, HAS_VWW_FIXTURES, noiseBytes, syntheticJpeg} from '../helpers/images.js'

/** A user error: exit code 2 and one line on stderr. */
function expectOneLineError(result: CliRun, text: string) {
  expect(result.code).toBe(2)
  expectOneLine(result.stderr, text)
}

describe.skipIf(!HAS_BUILT_CLI)('tinydata prepare ic / prepare vww (built CLI)', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-image-cli-'))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('without --source both take their archive from the download cache, and offline say it is not there', async () => {
    expectOneLineError(await tinydata('prepare', 'ic', '--offline'), 'cifar-10-binary.tar.gz: is not in the cache')
    expectOneLineError(await tinydata('prepare', 'vww', '--offline'), 'val2017.zip: is not in the cache')
  })

  it('prepare ic --json prints the result; a short test batch is a one-line error naming the member', async () => {
    const batch = buildCifarBatch(new Map(), 10_000)
    const archive = join(dir, 'cifar.tar.gz')
    await writeFile(archive, await buildCifarArchive(batch))
    // Labels index % 10 do not match the list: that is an error too, so take the test subset here.
    const ok = await tinydata('prepare', 'ic', '--source', archive, '--out', join(dir, 'ic'), '--subset', 'test', '--no-verify', '--json')
    expect(ok.code, ok.stderr).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({benchmark: 'ic01', subset: 'test', files_written: 10_000, source: {kind: 'tar.gz', checksum: 'not verified (--no-verify)'}})
    const short = join(dir, 'short.tar.gz')
    await writeFile(short, await buildCifarArchive(batch.subarray(1)))
    expectOneLineError(await tinydata('prepare', 'ic', '--source', short, '--out', join(dir, 'ic-short'), '--no-verify'), `${short}: cifar-10-batches-bin/test_batch.bin: is 30,729,999 bytes`)
  })

  it('prepare vww on worker threads writes the same bytes as in one thread; a bad image is a one-line error', async () => {
    const sizes = [[640, 480], [480, 640], [500, 375], [427, 640], [612, 612], [333, 500]] as const
    const entries = await Promise.all(sizes.map(async ([width, height], i) => ({path: `val2017/00000000010${i}.jpg`, bytes: await syntheticJpeg(width, height, i)})))
    const source = join(dir, 'val2017.zip')
    await writeFile(source, buildZip(entries))
    const annotations = join(dir, 'instances_val2017.json')
    const images = sizes.map(([width, height], i) => ({id: 100 + i, file_name: `00000000010${i}.jpg`, width, height}))
    await writeFile(annotations, JSON.stringify({images, annotations: [{image_id: 100, category_id: 1, iscrowd: 0, bbox: [0, 0, 300, 300]}], categories: [{id: 1, name: 'person'}]}))

    const cli = await tinydata('prepare', 'vww', '--source', source, '--subset', 'all', '--annotations', annotations, '--out', join(dir, 'workers'), '--no-verify', '--threads', '2', '--json')
    expect(cli.code, cli.stderr).toBe(0)
    expect(JSON.parse(cli.stdout)).toMatchObject({benchmark: 'vww01', subset: 'all', files_written: 6, person: 1})
    await prepareVww({benchmark: vww01, source, annotations, subset: 'all', out: join(dir, 'one-thread'), verify: false, threads: 1})
    for (const {path} of entries) {
      const file = `${path.slice('val2017/'.length, -'.jpg'.length)}.bin`
      expect((await readFile(join(dir, 'workers/vww01', file))).equals(await readFile(join(dir, 'one-thread/vww01', file))), file).toBe(true)
    }

    const bad = join(dir, 'bad.zip')
    await writeFile(bad, buildZip([...entries, {path: 'val2017/000000000106.jpg', bytes: noiseBytes(3000, 1)}]))
    await writeFile(annotations, JSON.stringify({images: [...images, {id: 106, file_name: '000000000106.jpg', width: 10, height: 10}], annotations: [], categories: [{id: 1, name: 'person'}]}))
    const failed = await tinydata('prepare', 'vww', '--source', bad, '--subset', 'all', '--annotations', annotations, '--out', join(dir, 'bad'), '--no-verify')
    expectOneLineError(failed, `${bad}: val2017/000000000106.jpg: is not a readable image`)
    const json = await tinydata('prepare', 'vww', '--source', bad, '--subset', 'all', '--annotations', annotations, '--out', join(dir, 'bad'), '--no-verify', '--json')
    expect(JSON.parse(json.stdout)).toEqual({error: {code: 'user_error', message: expect.stringContaining('val2017/000000000106.jpg: is not a readable image')}})
  })
})

if (!HAS_VWW_FIXTURES) console.warn(skipMessage('the prepare vww CLI run on real originals'))

describe.skipIf(!HAS_VWW_FIXTURES || !existsSync(join(REPO_ROOT, 'dist/commands/prepare/vww.js')))('tinydata prepare vww on the real originals', () => {
  it('prints a summary with the parity figures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tinydata-vww-cli-real-'))
    try {
      const source = join(dir, 'val2017.zip')
      await writeFile(source, buildZip(await fixtureJpegEntries(await fixtureIds())))
      const {code, stdout, stderr} = await tinydata('prepare', 'vww', '--source', source, '--out', dir, '--allow-missing', '--no-verify')
      expect(code, stderr).toBe(0)
      expect(stdout).toContain('official   85 of 1000 official images found (915 missing, written anyway with --allow-missing: ')
      expect(stdout).toContain('parity     85 of 85 official files byte-identical to the official bytes')
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
