import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {createHash, randomBytes} from 'node:crypto'
import {open, mkdtemp, readFile, rm, utimes, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SourceDataset, SourceFile} from '../../datasets/types.js'
import {cacheStatus, downloadSourceFiles, ensureSourceFile, type DownloadOptions} from '../../src/download/index.js'
import type {DownloadProgress} from '../../src/download/download-file.js'
import {LockFile} from '../../src/download/lock-file.js'
import {UserError} from '../../src/errors.js'
import {REPO_ROOT} from '../helpers/archives.js'
import {startFileServer, type FileServer} from '../helpers/http-server.js'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

let archive: Buffer
let server: FileServer
const homes: string[] = []

beforeAll(async () => {
  // gzip's magic first, as in any .tar.gz (a random first byte "<" would look like an HTML page).
  archive = Buffer.concat([Buffer.from([0x1f, 0x8b]), randomBytes(200_000)])
  server = await startFileServer({'pinned.tar.gz': archive, 'published.tar.gz': archive})
})
afterAll(async () => {
  await server.close()
  await Promise.all(homes.map((home) => rm(home, {recursive: true, force: true})))
})

async function freshHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'tinydata-integrity-'))
  homes.push(home)
  return home
}

function dataset(file: Partial<SourceFile> & {name: string}): SourceDataset {
  return {id: 'test', title: 'test data', homepage: 'https://example.org', license: 'none', citation: 'none', files: [{url: `https://example.org/${file.name}`, format: 'tar.gz', ...file}]}
}

/** No published checksum (like ToyCar): the first download pins its sha256. */
const pinned = () => dataset({name: 'pinned.tar.gz'})
const published = () => dataset({name: 'published.tar.gz', size: archive.length, sha256: sha256(archive)})

function options(home: string, extra: DownloadOptions = {}): DownloadOptions {
  return {home, mirror: server.url, retryDelayMs: 5, stallTimeoutMs: 300, ...extra}
}

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason)
  expect(error).toBeInstanceOf(UserError)
  expect((error as Error).message.split('\n')).toHaveLength(1)
  return error as UserError
}

/** Overwrites one byte where it is, keeping the size: what a failing disk or a stray write does. */
async function damageInPlace(path: string, offset: number): Promise<void> {
  const handle = await open(path, 'r+')
  try {
    const byte = Buffer.alloc(1)
    await handle.read(byte, 0, 1, offset)
    byte[0] ^= 0xff
    await handle.write(byte, 0, 1, offset)
  } finally {
    await handle.close()
  }
}

/** Uses the cached file offline, and says whether its bytes were hashed for it. */
async function useOffline(home: string, source: SourceDataset): Promise<{hashed: boolean}> {
  const phases: DownloadProgress['phase'][] = []
  await downloadSourceFiles([{dataset: source, file: source.files[0]!}], options(home, {offline: true, onProgress: (progress) => phases.push(progress.phase)}))
  return {hashed: phases.includes('verifying')}
}

describe('a cached file is checked again when it may have changed', () => {
  it.each([
    ['pinned on its first download', pinned, 'sha256 pinned on its first download'],
    ['with a published sha256', published, 'published sha256'],
  ])('one damaged in place (same size) is refused, naming the file and the command that downloads it again (%s)', async (_, source, reason) => {
    const home = await freshHome()
    const path = await ensureSourceFile(source(), source().files[0]!.name, options(home))
    expect(await useOffline(home, source())).toEqual({hashed: false})

    await damageInPlace(path, 1000)
    const error = await rejection(ensureSourceFile(source(), source().files[0]!.name, options(home, {offline: true})))
    expect(error.message).toContain(`${path}: sha256 `)
    expect(error.message).toContain(reason)
    expect(error.message).toContain('has changed since it was verified')
    expect(error.message).toContain('`tinydata download')
    // download --list no longer calls it cached.
    const [status] = await cacheStatus([{dataset: source(), file: source().files[0]!}], {home})
    expect(status!.status).toBe('unverified')
  })

  it('an unchanged file is not hashed again; a touched one is, once, and then trusted again', async () => {
    const home = await freshHome()
    const path = await ensureSourceFile(pinned(), 'pinned.tar.gz', options(home))
    expect(await useOffline(home, pinned())).toEqual({hashed: false})
    await utimes(path, new Date(), new Date(Date.now() - 60_000))
    expect(await useOffline(home, pinned())).toEqual({hashed: true})
    expect(await useOffline(home, pinned())).toEqual({hashed: false})
    const [status] = await cacheStatus([{dataset: pinned(), file: pinned().files[0]!}], {home})
    expect(status!.status).toBe('cached')
  })

  it('an entry recorded before the stamp existed is hashed once, then stamped', async () => {
    const home = await freshHome()
    await ensureSourceFile(pinned(), 'pinned.tar.gz', options(home))
    const lockPath = join(home, 'downloads-lock.json')
    const document = JSON.parse(await readFile(lockPath, 'utf8'))
    delete document.files['pinned.tar.gz'].verified
    await writeFile(lockPath, JSON.stringify(document))
    expect(await useOffline(home, pinned())).toEqual({hashed: true})
    expect(JSON.parse(await readFile(lockPath, 'utf8')).files['pinned.tar.gz']).toMatchObject({sha256: sha256(archive), checksum: 'pinned', verified: expect.any(Object)})
    expect(await useOffline(home, pinned())).toEqual({hashed: false})
  })
})

describe('the lock file across processes', () => {
  it('keeps every entry when several processes record at once', async () => {
    const home = await freshHome()
    const lockPath = join(home, 'downloads-lock.json')
    const processes = 4
    const entriesEach = 25
    const script = `
      const {LockFile} = await import(${JSON.stringify(join(REPO_ROOT, 'src/download/lock-file.ts'))})
      const lock = new LockFile(${JSON.stringify(lockPath)})
      const [worker, count] = process.argv.slice(1).map(Number)
      for (let i = 0; i < count; i++) {
        await lock.record('w' + worker + '-' + i, {url: 'https://example.org/x', size: i, sha256: 'ab'.repeat(32), checksum: 'pinned', downloadedAt: new Date(0).toISOString()})
      }`
    const exits = await Promise.all(Array.from({length: processes}, (_, worker) => new Promise<{code: number | null; stderr: string}>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, String(worker), String(entriesEach)], {cwd: REPO_ROOT})
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      child.on('close', (code) => resolve({code, stderr}))
    })))
    expect(exits).toEqual(Array.from({length: processes}, () => ({code: 0, stderr: ''})))
    const files = JSON.parse(await readFile(lockPath, 'utf8')).files
    expect(Object.keys(files)).toHaveLength(processes * entriesEach)
  }, 60_000)

  it('takes over the guard left by a process that died while changing it', async () => {
    const home = await freshHome()
    const lockPath = join(home, 'downloads-lock.json')
    const dead = spawn(process.execPath, ['-e', ''])
    await new Promise((resolve) => dead.on('close', resolve))
    await writeFile(`${lockPath}.lock`, JSON.stringify({pid: dead.pid, host: hostname()}))
    await new LockFile(lockPath).record('a.tar.gz', {url: 'https://example.org/a', size: 1, sha256: 'ab'.repeat(32), checksum: 'pinned', downloadedAt: new Date(0).toISOString()})
    expect(Object.keys(JSON.parse(await readFile(lockPath, 'utf8')).files)).toEqual(['a.tar.gz'])
    expect(existsSync(`${lockPath}.lock`)).toBe(false)
  })
})

describe('redirects', () => {
  let redirecting: Server
  let base: string
  beforeAll(async () => {
    redirecting = createServer((request, response) => {
      const target = {'/to-file.tar.gz': 'file:///etc/passwd', '/to-ftp.tar.gz': 'ftp://example.org/x.tar.gz'}[request.url ?? '']
      response.writeHead(302, target ? {location: target} : {}).end()
    })
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve))
    const address = redirecting.address() as {port: number}
    base = `http://127.0.0.1:${address.port}/`
  })
  afterAll(async () => new Promise<void>((resolve) => redirecting.close(() => resolve())))

  it.each([
    ['to-file.tar.gz', 'file:///etc/passwd'],
    ['to-ftp.tar.gz', 'ftp://example.org/x.tar.gz'],
  ])('a redirect from %s to a URL that is not http(s) is one error naming both URLs', async (name, target) => {
    const home = await freshHome()
    const error = await rejection(ensureSourceFile(dataset({name}), name, {...options(home), mirror: base, retries: 0}))
    expect(error.message).toBe(`${base}${name}: redirects to ${target}, which is not an http or https URL; only those are followed`)
  })
})
