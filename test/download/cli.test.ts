import {execFile, spawn} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {buildTarGz, buildZip, REPO_ROOT} from '../helpers/archives.js'
import {startFileServer, type FileServer} from '../helpers/http-server.js'

const BIN = join(REPO_ROOT, 'bin/run.js')
const TOYCAR = 'dev_data_ToyCar.zip'
const KWS_ARCHIVE = 'speech_commands_test_set_v0.02.tar.gz'

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** The built CLI, as a user runs it, with its cache in `home` (NODE_ENV=production: vitest's "test" makes oclif look for TypeScript). */
async function tinydata(home: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const {stdout, stderr} = await promisify(execFile)('node', [BIN, ...args], {cwd: REPO_ROOT, env: {...process.env, NO_COLOR: '1', NODE_ENV: 'production', TINYDATA_HOME: home, ...env}})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const failed = error as {code: number; stdout: string; stderr: string}
    return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr}
  }
}

function expectOneLineError(run: Run, ...texts: string[]) {
  expect(run.code, run.stderr).toBe(2)
  const lines = run.stderr.trim().split('\n')
  expect(lines, run.stderr).toHaveLength(1)
  for (const text of texts) expect(lines[0]).toContain(text)
  expect(run.stderr).not.toMatch(/\n\s+at /)
}

describe.skipIf(!existsSync(join(REPO_ROOT, 'dist/commands/download.js')))('tinydata download (built CLI, local server)', () => {
  let server: FileServer
  let toycar: Buffer
  const homes: string[] = []
  const freshHome = async () => {
    const home = await mkdtemp(join(tmpdir(), 'tinydata-download-cli-'))
    homes.push(home)
    return home
  }

  beforeAll(async () => {
    toycar = buildZip(Array.from({length: 8}, (_, i) => ({path: `dev_data/ToyCar/test/normal_id_01_0000000${i}.wav`, bytes: randomBytes(250_000)})))
    // Under the real name, but not the real archive: what a wrong mirror would serve.
    const notTheKwsArchive = await buildTarGz([{path: 'stop/a_nohash_0.wav', bytes: randomBytes(1000)}])
    server = await startFileServer({[TOYCAR]: toycar, [KWS_ARCHIVE]: notTheKwsArchive})
  })
  afterAll(async () => {
    await server.close()
    await Promise.all(homes.map((home) => rm(home, {recursive: true, force: true})))
  })

  it('download ad --mirror fetches the ToyCar archive, pins its sha256 (none is published), then finds it cached', async () => {
    const home = await freshHome()
    const first = await tinydata(home, ['download', 'ad', '--mirror', server.url, '--json'])
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(first.stderr).toBe('')
    const sha256 = createHash('sha256').update(toycar).digest('hex')
    expect(JSON.parse(first.stdout).files).toMatchObject([{name: TOYCAR, benchmarks: ['ad'], status: 'downloaded', checksum: 'pinned now', sha256, size: toycar.length}])
    expect((await readFile(join(home, 'downloads', TOYCAR))).equals(toycar)).toBe(true)
    expect(JSON.parse(await readFile(join(home, 'downloads-lock.json'), 'utf8')).files[TOYCAR]).toMatchObject({sha256, checksum: 'pinned'})

    const requestsBefore = server.requests.length
    const again = await tinydata(home, ['download', 'ad'])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`${TOYCAR}`)
    expect(again.stdout).toContain('cached; sha256 as pinned on its first download (none is published)')
    expect(server.requests.length).toBe(requestsBefore)

    const listed = await tinydata(home, ['download', '--list', '--json'])
    const files = JSON.parse(listed.stdout).files as {name: string; status: string; pinned_sha256: string | null}[]
    expect(files.map((file) => file.name)).toEqual([
      KWS_ARCHIVE,
      'speech_commands_v0.02.tar.gz',
      'cifar-10-binary.tar.gz',
      'cifar-10-python.tar.gz',
      'val2017.zip',
      'annotations_trainval2017.zip',
      'train2017.zip',
      'vw_coco2014_96.tar.gz',
      TOYCAR,
      'sww_long_test.json',
      'sww_med_test.json',
      'sww_short_test.json',
      'short_wav_easy10s.wav',
      'med_wav_2m_8p.wav',
      'sd_card_long_wav.wav',
      'sww_data_dir_long_wav.wav',
      'musan.tar.gz',
    ])
    expect(files.find((file) => file.name === TOYCAR)).toMatchObject({status: 'cached', pinned_sha256: sha256})
    expect(files.find((file) => file.name === 'short_wav_easy10s.wav')).toMatchObject({format: 'wav', git_blob: 'ae40e12b1f6a39da77ecbcf62245b669dd04029b', pinned_sha256: null})
    expect(files.filter((file) => file.status === 'missing')).toHaveLength(16)
  })

  it('says "pinned on first download, not published" in its human output, and takes the mirror from TINYDATA_MIRROR', async () => {
    const home = await freshHome()
    const run = await tinydata(home, ['download', 'ad'], {TINYDATA_MIRROR: server.url})
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(`downloaded from ${server.url}${TOYCAR} in`)
    expect(run.stdout).toContain('pinned on first download, not published')
  })

  it('download kws from a mirror serving another file under the real name fails in one line naming the URL, leaving nothing', async () => {
    const home = await freshHome()
    const human = await tinydata(home, ['download', 'kws', '--mirror', server.url])
    expectOneLineError(human, `${server.url}${KWS_ARCHIVE}: serves`, 'is 112563277 bytes (as published)')
    const json = await tinydata(home, ['download', 'kws', '--mirror', server.url, '--json'])
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({error: {code: 'user_error', message: expect.stringContaining(`${server.url}${KWS_ARCHIVE}`)}})
    expect(existsSync(join(home, 'downloads', KWS_ARCHIVE))).toBe(false)
    expect(existsSync(join(home, 'downloads', `${KWS_ARCHIVE}.part`))).toBe(false)
  })

  it('a file the mirror lacks is a 404 naming its URL', async () => {
    const home = await freshHome()
    expectOneLineError(await tinydata(home, ['download', 'ic', '--mirror', server.url]), `${server.url}cifar-10-binary.tar.gz: HTTP 404`)
  })

  it('--offline names the missing file and the command that fetches it', async () => {
    const home = await freshHome()
    expectOneLineError(await tinydata(home, ['download', 'ad', '--offline']), `${TOYCAR}: is not in the cache`, '`tinydata download ad`')
  })

  it('an unknown data set, no data set, or an unwritable cache is one line, exit code 2', async () => {
    const home = await freshHome()
    expectOneLineError(await tinydata(home, ['download', 'cifar']), "unknown data set 'cifar': choose kws, ic, vww, ad, sww or all")
    expectOneLineError(await tinydata(home, ['download']), 'name the data sets to download')
    await writeFile(join(home, 'plain-file'), '')
    expectOneLineError(await tinydata(join(home, 'plain-file'), ['download', 'ad', '--mirror', server.url]), `${join(home, 'plain-file', 'downloads')}: cannot create the download cache`)
  })

  it('Ctrl-C keeps a resumable .part, says so, exits 130; the next run resumes with a Range request', async () => {
    const home = await freshHome()
    server.inject(TOYCAR, {kind: 'slow', chunkBytes: 64 * 1024, delayMs: 50})
    const child = spawn('node', [BIN, 'download', 'ad', '--mirror', server.url], {cwd: REPO_ROOT, env: {...process.env, NODE_ENV: 'production', TINYDATA_HOME: home}})
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const part = join(home, 'downloads', `${TOYCAR}.part`)
    while (((await stat(part).catch(() => undefined))?.size ?? 0) < 200_000) await new Promise((resolve) => setTimeout(resolve, 20))
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stderr).toContain(`Interrupted: kept ${TOYCAR}.part`)
    expect(stderr).toContain('run the same command again to resume')
    const kept = (await stat(part)).size
    expect((await readFile(part)).equals(toycar.subarray(0, kept))).toBe(true)
    expect(existsSync(join(home, 'downloads', TOYCAR))).toBe(false)

    const resumed = await tinydata(home, ['download', 'ad', '--mirror', server.url, '--json'])
    expect(resumed.code, resumed.stdout).toBe(0)
    expect(server.requests.at(-1)).toMatchObject({file: TOYCAR, range: `bytes=${kept}-`, status: 206})
    expect(JSON.parse(resumed.stdout).files[0]).toMatchObject({resumed_from: kept, bytes_transferred: toycar.length - kept})
    expect((await readFile(join(home, 'downloads', TOYCAR))).equals(toycar)).toBe(true)
  })
})

describe.skipIf(!existsSync(join(REPO_ROOT, 'dist/commands/prepare/kws.js')))('prepare kws without --source (built CLI)', () => {
  let server: FileServer
  let home: string
  beforeAll(async () => {
    server = await startFileServer({[KWS_ARCHIVE]: await buildTarGz([{path: 'stop/a_nohash_0.wav', bytes: randomBytes(1000)}])})
    home = await mkdtemp(join(tmpdir(), 'tinydata-prepare-cache-'))
  })
  afterAll(async () => {
    await server.close()
    await rm(home, {recursive: true, force: true})
  })

  it('--offline with an empty cache names the archive and `tinydata download kws`', async () => {
    expectOneLineError(await tinydata(home, ['prepare', 'kws', '--offline', '--out', join(home, 'out')]), `${KWS_ARCHIVE}: is not in the cache`, '`tinydata download kws`')
  })

  it('fetches the missing archive into the cache first (here from a mirror holding the wrong file: refused, named)', async () => {
    expectOneLineError(await tinydata(home, ['prepare', 'kws', '--mirror', server.url, '--out', join(home, 'out')]), `${server.url}${KWS_ARCHIVE}: serves`)
    expect(server.requests.map((request) => request.file)).toEqual([KWS_ARCHIVE])
    expect(existsSync(join(home, 'out'))).toBe(false)
  })
})
