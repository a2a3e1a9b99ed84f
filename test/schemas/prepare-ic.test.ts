/**
 * `tinydata prepare ic --json` against schemas/prepare-ic.schema.json, on a synthetic CIFAR-10 test batch: the
 * official subset from an extracted folder, --subset test from a tar archive, and an error.
 */
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ic01} from '../../datasets/ic01.js'
import {loadIcList} from '../../src/prepare/ic-list.js'
import {buildTar} from '../helpers/archives.js'
import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {buildCifarBatch, noiseBytes} from '../helpers/images.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

const TEST_BATCH = 'cifar-10-batches-bin/test_batch.bin'

if (!HAS_BUILT_CLI) console.log('skipped: the prepare ic schema tests need the built CLI (npm run build)')

describe.skipIf(!HAS_BUILT_CLI)('prepare ic --json matches schemas/prepare-ic.schema.json', () => {
  let work: string
  let folder: string
  let archive: string
  const prepareIcJson = async (out: string, ...args: string[]): Promise<unknown> => {
    const run = await tinydata('prepare', 'ic', '--out', join(work, out), ...args, '--json')
    expect(run.code, run.stderr).toBe(0)
    return JSON.parse(run.stdout)
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-prepare-ic-schema-'))
    // Noise images, with the labels of the default (v0.7) list at its indices so that the official subset is accepted.
    const listed = loadIcList(ic01.lists[ic01.defaultList].indexTable).map(({index, label}) => [index, {planar: noiseBytes(3072, index + 1), label}] as const)
    const batch = buildCifarBatch(new Map(listed))
    folder = join(work, 'extracted')
    await mkdir(join(folder, 'cifar-10-batches-bin'), {recursive: true})
    await writeFile(join(folder, TEST_BATCH), batch)
    archive = join(work, 'cifar-10-binary.tar')
    await writeFile(archive, await buildTar([{path: TEST_BATCH, bytes: batch}]))
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('the official subset from a folder: list, official counts and parity; a source without sha256', async () => {
    const json = await prepareIcJson('official', '--source', folder)
    expect(json).toMatchObject({
      subset: 'official', list: 'v0.7', files_written: 200, test_batch: TEST_BATCH,
      source: {kind: 'folder', sha256: null, checksum: 'none (a folder)'}, official: {expected: 200, found: 200, missing: []}, parity: {compared: 3},
    })
    expectMatchesSchema('prepare ic', json)
  })

  it('--subset test from a tar: list and official null, parity through the test-batch index', async () => {
    const json = await prepareIcJson('test', '--source', archive, '--subset', 'test', '--no-verify')
    expect(json).toMatchObject({subset: 'test', list: null, files_written: 10_000, source: {kind: 'tar', checksum: 'not verified (--no-verify)'}, official: null})
    expectMatchesSchema('prepare ic', json)
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    // Without --no-verify the archive is checked against the pinned sha256 of the real one.
    const run = await tinydata('prepare', 'ic', '--source', archive, '--out', join(work, 'error'), '--json')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error', message: expect.stringContaining(`${archive}: sha256`)}})
    expectMatchesSchema('error', json)
  })
})
