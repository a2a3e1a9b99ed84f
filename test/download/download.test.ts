import {spawn} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile} from 'node:fs/promises'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {sww01} from '../../datasets/sww01.js'
import type {SourceDataset, SourceFile} from '../../datasets/types.js'
import {DownloadInterrupted, downloadSourceFiles, ensureSourceFile, type DownloadOptions} from '../../src/download/index.js'
import {UserError} from '../../src/errors.js'
import {buildTarGz, buildZip, SHARED, skipMessage} from '../helpers/archives.js'
import {startFileServer, type FileServer} from '../helpers/http-server.js'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex')
/** What `git hash-object` prints: sha1 of the header `blob <size>\0` and the bytes. */
const gitBlob = (bytes: Uint8Array) => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')

/** Incompressible members, so the archives are about as large as their content (about 2 MB here). */
function randomEntries(prefix: string, count: number, bytes: number) {
  return Array.from({length: count}, (_, i) => ({path: `${prefix}/member_${i}.bin`, bytes: randomBytes(bytes)}))
}

let tarGz: Buffer
let zip: Buffer
let server: FileServer
const homes: string[] = []

beforeAll(async () => {
  tarGz = await buildTarGz(randomEntries('clips', 8, 256 * 1024))
  zip = buildZip(randomEntries('dev_data/ToyCar/test', 6, 200 * 1024))
  server = await startFileServer({'clips.tar.gz': tarGz, 'toycar.zip': zip, 'small.tar.gz': tarGz.subarray(0, 4096)})
})
afterAll(async () => {
  await server.close()
  await Promise.all(homes.map((home) => rm(home, {recursive: true, force: true})))
})
afterEach(() => {
  server.requests.length = 0
})

async function freshHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'tinydata-download-'))
  homes.push(home)
  return home
}

function dataset(file: Partial<SourceFile> & {name: string}): SourceDataset {
  return {id: 'test', title: 'test data', homepage: 'https://example.org', license: 'none', citation: 'none', files: [{url: `https://example.org/${file.name}`, format: 'tar.gz', ...file}]}
}

/** The served tar.gz with its published size and sha256. */
const clips = () => dataset({name: 'clips.tar.gz', size: tarGz.length, sha256: sha256(tarGz)})

/** Fast retries and a short stall timeout keep every fault test well under a second or two. */
function options(home: string, extra: DownloadOptions = {}): DownloadOptions {
  return {home, mirror: server.url, retryDelayMs: 5, stallTimeoutMs: 300, ...extra}
}

async function expectUserError(promise: Promise<unknown>, ...texts: string[]): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(UserError)
  const message = (error as UserError).message
  expect(message.split('\n')).toHaveLength(1)
  for (const text of texts) expect(message).toContain(text)
  return error as UserError
}

const downloaded = (home: string, name: string) => join(home, 'downloads', name)
const lockFile = async (home: string) => JSON.parse(await readFile(join(home, 'downloads-lock.json'), 'utf8'))

describe('download into the cache', () => {
  it('downloads a file once, verified, under its final name, and records it in the lock file', async () => {
    const home = await freshHome()
    const path = await ensureSourceFile(clips(), 'clips.tar.gz', options(home))
    expect(path).toBe(downloaded(home, 'clips.tar.gz'))
    expect((await readFile(path)).equals(tarGz)).toBe(true)
    expect(existsSync(`${path}.part`)).toBe(false)
    expect((await lockFile(home)).files['clips.tar.gz']).toMatchObject({size: tarGz.length, sha256: sha256(tarGz), checksum: 'published', url: `${server.url}clips.tar.gz`})

    server.requests.length = 0
    const [again] = await downloadSourceFiles([{dataset: clips(), file: clips().files[0]!}], options(home))
    expect(again).toMatchObject({status: 'cached', checksum: 'published sha256', bytesTransferred: 0})
    expect(server.requests).toHaveLength(0)
  })

  it('resumes with Range after the connection drops mid-body twice, never fetching a byte twice', async () => {
    const home = await freshHome()
    server.inject('clips.tar.gz', {kind: 'drop', afterBytes: 500_000}, {kind: 'drop', afterBytes: 700_000})
    const [result] = await downloadSourceFiles([{dataset: clips(), file: clips().files[0]!}], options(home))
    expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
    expect(server.requests.map((request) => request.range)).toEqual([undefined, 'bytes=500000-', 'bytes=1200000-'])
    expect(server.requests.map((request) => request.status)).toEqual([200, 206, 206])
    expect(server.bodyBytesServed('clips.tar.gz')).toBe(tarGz.length)
    expect(result).toMatchObject({status: 'downloaded', bytesTransferred: tarGz.length})
  })

  it('resumes a .part left by an earlier run, hashing its bytes from disk first', async () => {
    const home = await freshHome()
    await mkdir(join(home, 'downloads'), {recursive: true})
    await writeFile(downloaded(home, 'clips.tar.gz.part'), tarGz.subarray(0, 1_000_000))
    const [result] = await downloadSourceFiles([{dataset: clips(), file: clips().files[0]!}], options(home))
    expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
    expect(server.requests.map((request) => request.range)).toEqual(['bytes=1000000-'])
    expect(server.bodyBytesServed('clips.tar.gz')).toBe(tarGz.length - 1_000_000)
    expect(result).toMatchObject({resumedFrom: 1_000_000, bytesTransferred: tarGz.length - 1_000_000})
  })

  it('resumes with If-Range: a file replaced on the server between runs is fetched whole again, not spliced', async () => {
    const home = await freshHome()
    const v1 = tarGz
    const v2 = Buffer.from(tarGz)
    v2[1000]! ^= 0xff // the new version differs inside the bytes the first run keeps
    const local = await startFileServer({'clips.tar.gz': v1})
    try {
      const newVersion = dataset({name: 'clips.tar.gz', size: v2.length, sha256: sha256(v2)})
      local.inject('clips.tar.gz', {kind: 'drop', afterBytes: 500_000})
      await expectUserError(ensureSourceFile(newVersion, 'clips.tar.gz', {...options(home, {retries: 0}), mirror: local.url}), 'run again to resume')
      expect(await readFile(downloaded(home, 'clips.tar.gz.part.validator'), 'utf8')).toBe('"clips.tar.gz-v1"')

      local.replace('clips.tar.gz', v2)
      await ensureSourceFile(newVersion, 'clips.tar.gz', {...options(home), mirror: local.url})
      expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(v2)).toBe(true)
      expect(local.requests.map(({range, ifRange, status}) => ({range, ifRange, status}))).toEqual([
        {range: undefined, ifRange: undefined, status: 200},
        {range: 'bytes=500000-', ifRange: '"clips.tar.gz-v1"', status: 200}, // the server's "not that version": all of v2
      ])
      expect(existsSync(downloaded(home, 'clips.tar.gz.part.validator'))).toBe(false)
    } finally {
      await local.close()
    }
  })

  it('an unchanged file resumes with If-Range and gets the rest (206)', async () => {
    const home = await freshHome()
    server.inject('clips.tar.gz', {kind: 'drop', afterBytes: 300_000})
    await ensureSourceFile(clips(), 'clips.tar.gz', options(home))
    expect(server.requests.map(({ifRange, status}) => ({ifRange, status}))).toEqual([{ifRange: undefined, status: 200}, {ifRange: '"clips.tar.gz-v1"', status: 206}])
    expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
  })

  it('retries a 503 and succeeds on the 200 that follows', async () => {
    const home = await freshHome()
    server.inject('clips.tar.gz', {kind: 'status', status: 503}, {kind: 'status', status: 502})
    await ensureSourceFile(clips(), 'clips.tar.gz', options(home))
    expect(server.requests.map((request) => request.status)).toEqual([503, 502, 200])
    expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
  })

  it('restarts cleanly when the server ignores Range and sends the whole file again', async () => {
    const home = await freshHome()
    server.inject('clips.tar.gz', {kind: 'drop', afterBytes: 800_000}, {kind: 'ignore-range'})
    const [result] = await downloadSourceFiles([{dataset: clips(), file: clips().files[0]!}], options(home))
    expect(server.requests.map((request) => [request.range, request.status])).toEqual([[undefined, 200], ['bytes=800000-', 200]])
    expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
    expect(result).toMatchObject({resumedFrom: 0, bytesTransferred: 800_000 + tarGz.length})
  })

  it('follows redirects, keeping the Range', async () => {
    const home = await freshHome()
    await mkdir(join(home, 'downloads'), {recursive: true})
    const moved = dataset({name: 'moved.tar.gz', size: tarGz.length, sha256: sha256(tarGz)})
    server.inject('moved.tar.gz', {kind: 'redirect', to: 'clips.tar.gz'})
    await writeFile(downloaded(home, 'moved.tar.gz.part'), tarGz.subarray(0, 300_000))
    await ensureSourceFile(moved, 'moved.tar.gz', options(home))
    expect(server.requests.map((request) => [request.file, request.range, request.status])).toEqual([
      ['moved.tar.gz', 'bytes=300000-', 302],
      ['clips.tar.gz', 'bytes=300000-', 206],
    ])
    expect((await readFile(downloaded(home, 'moved.tar.gz'))).equals(tarGz)).toBe(true)
  })

  it('rides out a stalled connection (stall timeout) and a slow but steady one', async () => {
    const home = await freshHome()
    server.inject('clips.tar.gz', {kind: 'stall', afterBytes: 400_000}, {kind: 'slow', chunkBytes: 256 * 1024, delayMs: 40})
    await ensureSourceFile(clips(), 'clips.tar.gz', options(home))
    expect(server.requests.map((request) => request.range)).toEqual([undefined, 'bytes=400000-'])
    expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
  })

  it('gives up after the retries, naming the URL and keeping the bytes received for the next run', async () => {
    const home = await freshHome()
    server.inject('clips.tar.gz', ...Array.from({length: 3}, () => ({kind: 'status' as const, status: 503})))
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(home, {retries: 2})), `${server.url}clips.tar.gz: HTTP 503`, '3 attempts in a row')
    expect(existsSync(downloaded(home, 'clips.tar.gz'))).toBe(false)
    expect(existsSync(downloaded(home, 'clips.tar.gz.part'))).toBe(false) // nothing received, nothing kept

    server.inject('clips.tar.gz', {kind: 'drop', afterBytes: 600_000}, {kind: 'status', status: 503}, {kind: 'status', status: 503})
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(home, {retries: 1})), 'run again to resume')
    expect((await stat(downloaded(home, 'clips.tar.gz.part'))).size).toBe(600_000)
    expect(existsSync(downloaded(home, 'clips.tar.gz'))).toBe(false)
  })
})

describe('bad answers leave no file under the final name', () => {
  it('404 is reported at once, naming the URL', async () => {
    const home = await freshHome()
    await expectUserError(ensureSourceFile(dataset({name: 'absent.tar.gz', size: 10, sha256: 'ab'.repeat(32)}), 'absent.tar.gz', options(home)), `${server.url}absent.tar.gz: HTTP 404`)
    expect(server.requests).toHaveLength(1)
    expect(existsSync(downloaded(home, 'absent.tar.gz'))).toBe(false)
    expect(existsSync(downloaded(home, 'absent.tar.gz.part'))).toBe(false)
    expect(existsSync(downloaded(home, 'absent.tar.gz.part.lock'))).toBe(false)
  })

  it('a checksum mismatch deletes the download and names the URL and both digests', async () => {
    const home = await freshHome()
    const wrong = dataset({name: 'clips.tar.gz', size: tarGz.length, sha256: 'ab'.repeat(32)})
    await expectUserError(ensureSourceFile(wrong, 'clips.tar.gz', options(home)), `${server.url}clips.tar.gz: sha256 ${sha256(tarGz)} is not the published sha256 ${'ab'.repeat(32)}`, 'deleted')
    expect(existsSync(downloaded(home, 'clips.tar.gz'))).toBe(false)
    expect(existsSync(downloaded(home, 'clips.tar.gz.part'))).toBe(false)
  })

  it('an md5-only file (MUSAN) is checked by md5, and its sha256 recorded', async () => {
    const home = await freshHome()
    const musanLike = dataset({name: 'clips.tar.gz', md5: md5(tarGz)})
    const [result] = await downloadSourceFiles([{dataset: musanLike, file: musanLike.files[0]!}], options(home))
    expect(result).toMatchObject({checksum: 'published md5', sha256: sha256(tarGz)})
    expect((await lockFile(home)).files['clips.tar.gz']).toMatchObject({md5: md5(tarGz), sha256: sha256(tarGz), checksum: 'published'})
    await rm(downloaded(home, 'clips.tar.gz'))
    const wrong = dataset({name: 'clips.tar.gz', md5: 'cd'.repeat(16)})
    await expectUserError(ensureSourceFile(wrong, 'clips.tar.gz', options(home)), `md5 ${md5(tarGz)} is not the published md5`)
    expect(existsSync(downloaded(home, 'clips.tar.gz'))).toBe(false)
  })

  it('a file of a git repository (the sww01 runner files) is checked by its git blob id, and its sha256 recorded', async () => {
    const home = await freshHome()
    const runnerLike = dataset({name: 'clips.tar.gz', size: tarGz.length, gitBlob: gitBlob(tarGz)})
    const [result] = await downloadSourceFiles([{dataset: runnerLike, file: runnerLike.files[0]!}], options(home))
    expect(result).toMatchObject({checksum: 'published git blob', status: 'downloaded', sha256: sha256(tarGz)})
    expect((await lockFile(home)).files['clips.tar.gz']).toMatchObject({gitBlob: gitBlob(tarGz), sha256: sha256(tarGz), checksum: 'published'})
    const [again] = await downloadSourceFiles([{dataset: runnerLike, file: runnerLike.files[0]!}], options(home))
    expect(again).toMatchObject({status: 'cached', checksum: 'published git blob', bytesTransferred: 0})
    // A copy put in the cache by hand is hashed, blob id included, before it is trusted.
    await writeFile(join(home, 'downloads-lock.json'), JSON.stringify({comment: '', files: {}}))
    expect(await ensureSourceFile(runnerLike, 'clips.tar.gz', options(home, {offline: true}))).toBe(downloaded(home, 'clips.tar.gz'))
    await rm(downloaded(home, 'clips.tar.gz'))
    const wrong = dataset({name: 'clips.tar.gz', size: tarGz.length, gitBlob: 'ef'.repeat(20)})
    await expectUserError(ensureSourceFile(wrong, 'clips.tar.gz', options(home)), `git blob id ${gitBlob(tarGz)} is not the published git blob id ${'ef'.repeat(20)} of clips.tar.gz`, 'deleted')
    expect(existsSync(downloaded(home, 'clips.tar.gz'))).toBe(false)
  })

  it('resumes a git-blob-pinned file after a dropped connection and still checks its id', async () => {
    const home = await freshHome()
    const runnerLike = dataset({name: 'clips.tar.gz', size: tarGz.length, gitBlob: gitBlob(tarGz)})
    server.inject('clips.tar.gz', {kind: 'drop', afterBytes: 700_000})
    const result = await ensureSourceFile(runnerLike, 'clips.tar.gz', options(home))
    expect((await readFile(result)).equals(tarGz)).toBe(true)
    expect(server.requests.filter((request) => request.file === 'clips.tar.gz').map((request) => request.range)).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)])
  })

  it('a body of the wrong size is refused before it is written, naming the URL', async () => {
    const home = await freshHome()
    const published = dataset({name: 'clips.tar.gz', size: tarGz.length + 100, sha256: sha256(tarGz)})
    await expectUserError(ensureSourceFile(published, 'clips.tar.gz', options(home)), `${server.url}clips.tar.gz: serves ${tarGz.length} bytes, but clips.tar.gz is ${tarGz.length + 100} bytes`)
    expect(existsSync(downloaded(home, 'clips.tar.gz'))).toBe(false)
    expect(existsSync(downloaded(home, 'clips.tar.gz.part'))).toBe(false)
  })

  it('a body longer than the published size (no Content-Length to warn) is cut off and deleted', async () => {
    const home = await freshHome()
    const published = dataset({name: 'clips.tar.gz', size: 100_000, sha256: sha256(tarGz.subarray(0, 100_000))})
    server.inject('clips.tar.gz', {kind: 'no-length'})
    await expectUserError(ensureSourceFile(published, 'clips.tar.gz', options(home)), `${server.url}clips.tar.gz: sends more than the 100000 bytes of clips.tar.gz; the download was deleted`)
    expect(existsSync(downloaded(home, 'clips.tar.gz'))).toBe(false)
    expect(existsSync(downloaded(home, 'clips.tar.gz.part'))).toBe(false)
  })

  it('a body without Content-Length and without a published size is taken whole, then pinned', async () => {
    const home = await freshHome()
    server.inject('clips.tar.gz', {kind: 'no-length'})
    const unknownSize = dataset({name: 'clips.tar.gz'})
    const [result] = await downloadSourceFiles([{dataset: unknownSize, file: unknownSize.files[0]!}], options(home))
    expect(result).toMatchObject({size: tarGz.length, checksum: 'pinned now', sha256: sha256(tarGz)})
  })

  it('an HTML page, by Content-Type or by its first byte, is an error naming the URL', async () => {
    const home = await freshHome()
    server.inject('clips.tar.gz', {kind: 'html'})
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(home)), `${server.url}clips.tar.gz: answered with an HTML page (text/html`)
    server.inject('clips.tar.gz', {kind: 'html-body'})
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(home)), `${server.url}clips.tar.gz: answered with an HTML page (the body starts with "<")`)
    const unknownSize = dataset({name: 'clips.tar.gz'})
    server.inject('clips.tar.gz', {kind: 'html-body'})
    await expectUserError(ensureSourceFile(unknownSize, 'clips.tar.gz', options(home)), 'HTML page')
    expect(existsSync(downloaded(home, 'clips.tar.gz'))).toBe(false)
    expect(existsSync(downloaded(home, 'clips.tar.gz.part'))).toBe(false)
  })

  it('a truncated body that never completes is reported with the bytes kept for resuming', async () => {
    const home = await freshHome()
    server.inject('clips.tar.gz', {kind: 'drop', afterBytes: 1000}, {kind: 'drop', afterBytes: 0}, {kind: 'drop', afterBytes: 0}, {kind: 'drop', afterBytes: 0})
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(home, {retries: 2})), `${server.url}clips.tar.gz:`, 'the 1000 bytes received are kept')
    expect((await stat(downloaded(home, 'clips.tar.gz.part'))).size).toBe(1000)
    expect(existsSync(downloaded(home, 'clips.tar.gz'))).toBe(false)
    // The next run resumes from those bytes.
    await ensureSourceFile(clips(), 'clips.tar.gz', options(home))
    expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
  })

  it('a .part whose bytes are not the file fails the checksum and is deleted; the next run starts afresh', async () => {
    const home = await freshHome()
    await mkdir(join(home, 'downloads'), {recursive: true})
    await writeFile(downloaded(home, 'clips.tar.gz.part'), randomBytes(50_000))
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(home)), 'is not the published sha256', 'deleted')
    expect(existsSync(downloaded(home, 'clips.tar.gz.part'))).toBe(false)
    await ensureSourceFile(clips(), 'clips.tar.gz', options(home))
    expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
  })
})

describe('the cache folder', () => {
  it('an unwritable cache (a path under a regular file) is one error naming the folder', async () => {
    const home = await freshHome()
    await writeFile(join(home, 'a-file'), 'not a folder')
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(join(home, 'a-file', 'cache'))), `${join(home, 'a-file', 'cache', 'downloads')}: cannot create the download cache (ENOTDIR)`)
    expect(server.requests).toHaveLength(0)
  })

  it('refuses a download larger than the free disk space, naming the folder and the bytes needed', async () => {
    const home = await freshHome()
    const huge = dataset({name: 'clips.tar.gz', size: 2 ** 60, sha256: sha256(tarGz)})
    await expectUserError(ensureSourceFile(huge, 'clips.tar.gz', options(home)), `${join(home, 'downloads')}: not enough free disk space: ${2 ** 60} bytes needed`)
    expect(server.requests).toHaveLength(0)
  })

  it.skipIf(!existsSync('/dev/full'))('a full disk (ENOSPC) is one error naming the .part, and no final file', async () => {
    const home = await freshHome()
    await mkdir(join(home, 'downloads'), {recursive: true})
    await symlink('/dev/full', downloaded(home, 'clips.tar.gz.part'))
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(home)), `${downloaded(home, 'clips.tar.gz.part')}: the disk is full (ENOSPC)`)
    expect(existsSync(downloaded(home, 'clips.tar.gz'))).toBe(false)
  })

  it('a file copied into the cache by hand is checked once, then trusted', async () => {
    const home = await freshHome()
    await mkdir(join(home, 'downloads'), {recursive: true})
    await writeFile(downloaded(home, 'clips.tar.gz'), tarGz)
    const [result] = await downloadSourceFiles([{dataset: clips(), file: clips().files[0]!}], options(home, {offline: true}))
    expect(result).toMatchObject({status: 'cached', sha256: sha256(tarGz)})
    expect((await lockFile(home)).files['clips.tar.gz'].sha256).toBe(sha256(tarGz))

    await writeFile(downloaded(home, 'clips.tar.gz'), tarGz.subarray(0, 1000))
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(home)), `${downloaded(home, 'clips.tar.gz')}: is 1000 bytes`, 'delete it to download it again')
    expect(server.requests).toHaveLength(0)
  })

  it('a corrupt lock file is an error naming it', async () => {
    const home = await freshHome()
    await writeFile(join(home, 'downloads-lock.json'), '{"files": ')
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(home)), `${join(home, 'downloads-lock.json')}: is not a tinydata lock file`)
  })
})

describe('mirrors, offline use and pinned checksums', () => {
  it('fetches from a file:// mirror folder, and from a plain folder path, resuming a .part there too', async () => {
    const mirror = await freshHome()
    await writeFile(join(mirror, 'clips.tar.gz'), tarGz)
    const home = await freshHome()
    await ensureSourceFile(clips(), 'clips.tar.gz', options(home, {mirror: pathToFileURL(mirror).href + '/'}))
    expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
    expect((await lockFile(home)).files['clips.tar.gz'].url).toBe(`${pathToFileURL(mirror).href}/clips.tar.gz`)

    const second = await freshHome()
    await mkdir(join(second, 'downloads'))
    await writeFile(downloaded(second, 'clips.tar.gz.part'), tarGz.subarray(0, 123_456))
    const [result] = await downloadSourceFiles([{dataset: clips(), file: clips().files[0]!}], options(second, {mirror}))
    expect(result).toMatchObject({resumedFrom: 123_456, bytesTransferred: tarGz.length - 123_456})
    expect((await readFile(downloaded(second, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
    expect(server.requests).toHaveLength(0)
  })

  it('a file missing from a file:// mirror is an error naming its URL', async () => {
    const mirror = await freshHome()
    const home = await freshHome()
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(home, {mirror: pathToFileURL(mirror).href})), `${pathToFileURL(mirror).href}/clips.tar.gz: not found in the mirror folder`)
  })

  it('--offline uses the cache, and names the file and the download command when it is missing', async () => {
    const home = await freshHome()
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(home, {offline: true})), 'clips.tar.gz: is not in the cache', '--offline', '`tinydata download`')
    expect(server.requests).toHaveLength(0)
    await ensureSourceFile(clips(), 'clips.tar.gz', options(home))
    server.requests.length = 0
    expect(await ensureSourceFile(clips(), 'clips.tar.gz', options(home, {offline: true}))).toBe(downloaded(home, 'clips.tar.gz'))
    expect(server.requests).toHaveLength(0)
  })

  it('pins the sha256 of a file without a published checksum on first download, and holds later downloads to it', async () => {
    const home = await freshHome()
    const toycarLike = dataset({name: 'toycar.zip', format: 'zip'})
    const [first] = await downloadSourceFiles([{dataset: toycarLike, file: toycarLike.files[0]!}], options(home))
    expect(first).toMatchObject({checksum: 'pinned now', sha256: sha256(zip), size: zip.length})
    expect((await lockFile(home)).files['toycar.zip']).toMatchObject({checksum: 'pinned', sha256: sha256(zip), size: zip.length})

    // Downloaded again (the file was deleted): the same bytes pass, as "pinned".
    await rm(downloaded(home, 'toycar.zip'))
    const [second] = await downloadSourceFiles([{dataset: toycarLike, file: toycarLike.files[0]!}], options(home))
    expect(second).toMatchObject({checksum: 'pinned sha256', status: 'downloaded'})

    // The server now has other bytes of the same size: refused, deleted.
    await rm(downloaded(home, 'toycar.zip'))
    const other = Buffer.from(zip)
    other[100] ^= 0xff
    server.inject('toycar.zip', {kind: 'body', bytes: other})
    await expectUserError(ensureSourceFile(toycarLike, 'toycar.zip', options(home)), `${server.url}toycar.zip: sha256 ${sha256(other)} is not the sha256 pinned on its first download`)
    expect(existsSync(downloaded(home, 'toycar.zip'))).toBe(false)
    expect(existsSync(downloaded(home, 'toycar.zip.part'))).toBe(false)
  })

  it('fetches the files of a data set in parallel, at most `concurrency` at a time, and reports failures together', async () => {
    const home = await freshHome()
    const names = ['a', 'b', 'c', 'd'].map((letter) => `${letter}.tar.gz`)
    // gzip's magic first, as in any .tar.gz: random bytes starting with "<" (1 in 256) would look like an HTML page.
    const files: Record<string, Buffer> = Object.fromEntries(names.map((name) => [name, Buffer.concat([Buffer.from([0x1f, 0x8b]), randomBytes(300_000)])]))
    const local = await startFileServer(files)
    try {
      for (const name of names) local.inject(name, {kind: 'slow', chunkBytes: 100_000, delayMs: 30})
      const several: SourceDataset = {...dataset({name: 'x'}), files: names.map((name) => ({name, url: `https://example.org/${name}`, size: files[name]!.length, sha256: sha256(files[name]!), format: 'tar.gz' as const}))}
      const results = await downloadSourceFiles(several.files.map((file) => ({dataset: several, file})), options(home, {mirror: local.url, concurrency: 2}))
      expect(results.map((result) => result.name)).toEqual(names)
      expect(local.maxConcurrent()).toBe(2)
      for (const name of names) expect((await readFile(downloaded(home, name))).equals(files[name]!)).toBe(true)

      const broken: SourceDataset = {...several, files: [...several.files, {name: 'missing.tar.gz', url: 'x', size: 5, sha256: 'ab'.repeat(32), format: 'tar.gz'}, {name: 'gone.tar.gz', url: 'x', size: 5, sha256: 'ab'.repeat(32), format: 'tar.gz'}]}
      await expectUserError(downloadSourceFiles(broken.files.map((file) => ({dataset: broken, file})), options(home, {mirror: local.url})), '2 of 6 files failed (the other 4 are in the cache): HTTP 404 Not Found: '
        + `${local.url}missing.tar.gz, ${local.url}gone.tar.gz`) // the same problem said once
    } finally {
      await local.close()
    }
  })

  it('an abort (Ctrl-C) stops the download, keeps a resumable .part, and the next run resumes it', async () => {
    const home = await freshHome()
    server.inject('clips.tar.gz', {kind: 'slow', chunkBytes: 100_000, delayMs: 30})
    const controller = new AbortController()
    const running = ensureSourceFile(clips(), 'clips.tar.gz', options(home, {signal: controller.signal, onProgress: (progress) => progress.bytes >= 300_000 && controller.abort()}))
    const error = await running.then(() => undefined, (reason: unknown) => reason)
    expect(error).toBeInstanceOf(DownloadInterrupted)
    const kept = (error as DownloadInterrupted).parts[0]!
    expect(kept.path).toBe(downloaded(home, 'clips.tar.gz.part'))
    expect((error as DownloadInterrupted).message).toContain('run the same command again to resume')
    const partBytes = (await stat(kept.path)).size
    expect(partBytes).toBe(kept.bytes)
    expect((await readFile(kept.path)).equals(tarGz.subarray(0, partBytes))).toBe(true)
    expect(existsSync(downloaded(home, 'clips.tar.gz'))).toBe(false)
    expect(existsSync(downloaded(home, 'clips.tar.gz.part.lock'))).toBe(false)

    server.requests.length = 0
    await ensureSourceFile(clips(), 'clips.tar.gz', options(home))
    expect(server.requests.map((request) => request.range)).toEqual([`bytes=${partBytes}-`])
    expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
  })

  it('two downloads of one file at once (two prepare runs, say) share it: one fetches, the other waits for it', async () => {
    const home = await freshHome()
    // slow enough that the second run starts while the first still fetches, even on a loaded machine
    server.inject('clips.tar.gz', {kind: 'slow', chunkBytes: 100_000, delayMs: 40})
    const phases: string[] = []
    const onProgress = (progress: {phase: string}) => phases.push(progress.phase)
    const [first, second] = await Promise.all([
      ensureSourceFile(clips(), 'clips.tar.gz', options(home, {onProgress})),
      ensureSourceFile(clips(), 'clips.tar.gz', options(home, {onProgress})),
    ])
    expect(first).toBe(second)
    expect(server.requests.filter((request) => request.file === 'clips.tar.gz')).toHaveLength(1)
    expect(phases).toContain('waiting')
    expect((await readFile(first)).equals(tarGz)).toBe(true)
    expect(existsSync(downloaded(home, 'clips.tar.gz.part.lock'))).toBe(false)
  })

  it('takes over the claim of a process that died, and reports one held on another machine', async () => {
    const home = await freshHome()
    await mkdir(join(home, 'downloads'))
    const dead = spawn(process.execPath, ['-e', ''])
    await new Promise((resolve) => dead.on('exit', resolve))
    await writeFile(downloaded(home, 'clips.tar.gz.part.lock'), JSON.stringify({pid: dead.pid, host: hostname()}))
    await ensureSourceFile(clips(), 'clips.tar.gz', options(home))
    expect((await readFile(downloaded(home, 'clips.tar.gz'))).equals(tarGz)).toBe(true)
    expect(existsSync(downloaded(home, 'clips.tar.gz.part.lock'))).toBe(false)

    const other = await freshHome()
    await mkdir(join(other, 'downloads'))
    await writeFile(downloaded(other, 'clips.tar.gz.part.lock'), JSON.stringify({pid: 1234, host: 'another-host'}))
    await expectUserError(ensureSourceFile(clips(), 'clips.tar.gz', options(other)), `${downloaded(other, 'clips.tar.gz.part.lock')}: another-host (pid 1234) is downloading this file`)
  })

  it('a small file served under a real name fails loudly, naming the URL (wrong mirror content)', async () => {
    const {speechCommandsTest} = await import('../../datasets/speech-commands.js')
    const home = await freshHome()
    const local = await startFileServer({'speech_commands_test_set_v0.02.tar.gz': tarGz.subarray(0, 4096)})
    try {
      await expectUserError(
        ensureSourceFile(speechCommandsTest, 'speech_commands_test_set_v0.02.tar.gz', options(home, {mirror: local.url})),
        `${local.url}speech_commands_test_set_v0.02.tar.gz: serves 4096 bytes, but speech_commands_test_set_v0.02.tar.gz is 112563277 bytes (as published)`,
      )
      expect(existsSync(downloaded(home, 'speech_commands_test_set_v0.02.tar.gz'))).toBe(false)
    } finally {
      await local.close()
    }
  })
})

const SWW_FIXTURES = join(SHARED, 'fixtures/sww01/runner')
if (!existsSync(SWW_FIXTURES)) console.log(skipMessage('the sww01 runner files pinned by git blob id'))

describe.skipIf(!existsSync(SWW_FIXTURES))('the sww01 runner files as datasets/sww01.ts pins them', () => {
  it('the published copies of the truth JSONs and short_wav_easy10s.wav pass their pinned blob ids', async () => {
    const copies = sww01.runnerFiles.filter((file) => existsSync(join(SWW_FIXTURES, file.runnerName)) && file.runnerName === file.name)
    expect(copies.map((file) => file.name)).toEqual(['sww_long_test.json', 'sww_med_test.json', 'sww_short_test.json', 'short_wav_easy10s.wav'])
    const local = await startFileServer(Object.fromEntries(await Promise.all(copies.map(async (file) => [file.name, await readFile(join(SWW_FIXTURES, file.name))] as const))))
    try {
      const home = await freshHome()
      const results = await downloadSourceFiles(copies.map((file) => ({dataset: sww01.runnerSource, file})), {home, mirror: local.url, retryDelayMs: 5})
      expect(results.map((result) => result.checksum)).toEqual(copies.map(() => 'published git blob'))
      expect(results.find((result) => result.name === 'short_wav_easy10s.wav')!.sha256).toBe('741ab419e46087ce1b738b23ca12c0633e796234f81673c7554629c38a4b708a')
    } finally {
      await local.close()
    }
  })
})
