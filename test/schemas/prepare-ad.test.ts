/**
 * `tinydata prepare ad --json` against schemas/prepare-ad.schema.json, on synthetic ToyCar clips: the official
 * subset with --allow-missing from a zip, --subset all from a folder of clips off the lists, and an error.
 */
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {buildZip} from '../helpers/archives.js'
import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'
import {syntheticToyCarClip, toyCarEntry} from '../helpers/toycar.js'

/** On the official list (manifests/labels/ad01.csv), whose stimuli all have pinned bytes. */
const LISTED = ['normal_id_01_00000003.wav', 'anomaly_id_01_00000003.wav']
/** On neither list. */
const UNLISTED = ['normal_id_01_00000000.wav', 'anomaly_id_03_00000007.wav']

if (!HAS_BUILT_CLI) console.log('skipped: the prepare ad schema tests need the built CLI (npm run build)')

describe.skipIf(!HAS_BUILT_CLI)('prepare ad --json matches schemas/prepare-ad.schema.json', () => {
  let work: string
  let archive: string
  let folder: string
  const prepareAdJson = async (out: string, ...args: string[]): Promise<unknown> => {
    const run = await tinydata('prepare', 'ad', '--out', join(work, out), ...args, '--json')
    expect(run.code, run.stderr).toBe(0)
    return JSON.parse(run.stdout)
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-prepare-ad-schema-'))
    const entries = [...LISTED, ...UNLISTED].map((file, index) => toyCarEntry(file, syntheticToyCarClip(30 + index)))
    archive = join(work, 'dev_data_ToyCar.zip')
    await writeFile(archive, buildZip(entries))
    folder = join(work, 'unlisted')
    for (const entry of entries.slice(LISTED.length)) {
      await mkdir(dirname(join(folder, entry.path)), {recursive: true})
      await writeFile(join(folder, entry.path), entry.bytes)
    }
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('the official subset of a zip with --allow-missing: the list\'s counts and parity, no published checksum', async () => {
    const json = await prepareAdJson('official', '--source', archive, '--allow-missing')
    expect(json).toMatchObject({
      subset: 'official', clips_read: 4, files_written: 2, source: {kind: 'zip', checksum: 'not verified (no published checksum)'},
      official: {list: 'ad01.csv', expected: 248, found: 2}, parity: {compared: 2},
    })
    expectMatchesSchema('prepare ad', json)
  })

  it('--subset all from a folder of clips on no list: official and parity null, a source without sha256', async () => {
    const json = await prepareAdJson('all', '--source', folder, '--subset', 'all')
    expect(json).toMatchObject({subset: 'all', files_written: 2, source: {kind: 'folder', sha256: null}, official: null, parity: null})
    expectMatchesSchema('prepare ad', json)
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    const run = await tinydata('prepare', 'ad', '--source', folder, '--out', join(work, 'error'), '--json')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error', message: expect.stringContaining(`${folder}: holds none of the 248 official ad01 clips`)}})
    expectMatchesSchema('error', json)
  })
})
