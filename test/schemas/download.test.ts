/** `tinydata download --json` and `download --list --json` against schemas/download.schema.json (local server), and an error. */
import {randomBytes} from 'node:crypto'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {buildZip} from '../helpers/archives.js'
import {HAS_BUILT_CLI, tinydataWithEnv} from '../helpers/cli.js'
import {startFileServer, type FileServer} from '../helpers/http-server.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

const TOYCAR = 'dev_data_ToyCar.zip'

if (!HAS_BUILT_CLI) console.log('skipped: the download schema tests need the built CLI (npm run build)')

describe.skipIf(!HAS_BUILT_CLI)('download --json matches schemas/download.schema.json', () => {
  let server: FileServer
  let home: string
  const download = (...args: string[]) => tinydataWithEnv({TINYDATA_HOME: home, TINYDATA_OFFLINE: ''}, 'download', ...args, '--json')

  beforeAll(async () => {
    // Not the real archive (none is published with a checksum, so the first download pins whatever it gets).
    server = await startFileServer({[TOYCAR]: buildZip([{path: 'dev_data/ToyCar/test/normal_id_01_00000000.wav', bytes: randomBytes(10_000)}])})
    home = await mkdtemp(join(tmpdir(), 'tinydata-download-schema-'))
  })
  afterAll(async () => {
    await server.close()
    await rm(home, {recursive: true, force: true})
  })

  it('download ad from a mirror, then the same again from the cache', async () => {
    for (const status of ['downloaded', 'cached']) {
      const run = await download('ad', '--mirror', server.url)
      expect(run.code, run.stderr).toBe(0)
      const json = JSON.parse(run.stdout)
      expect(json).toMatchObject({mirror: server.url, files: [{name: TOYCAR, status, benchmarks: ['ad'], optional: false}]})
      expectMatchesSchema('download', json)
    }
  })

  it('--list: cached (pinned), partial and missing files', async () => {
    await mkdir(join(home, 'downloads'), {recursive: true})
    await writeFile(join(home, 'downloads', 'cifar-10-binary.tar.gz.part'), randomBytes(1000))
    const run = await download('--list')
    expect(run.code, run.stderr).toBe(0)
    const json = JSON.parse(run.stdout)
    expect(json.files).toContainEqual(expect.objectContaining({name: TOYCAR, status: 'cached', pinned_sha256: expect.any(String)}))
    expect(json.files).toContainEqual(expect.objectContaining({name: 'cifar-10-binary.tar.gz', status: 'partial', partial_bytes: 1000}))
    expect(json.files).toContainEqual(expect.objectContaining({status: 'missing', md5: expect.any(String), optional: true}))
    expectMatchesSchema('download', json)
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    const run = await download('cifar')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error', message: expect.stringContaining("unknown data set 'cifar'")}})
    expectMatchesSchema('error', json)
  })
})
