/** What the built CLI says, as a user sees it: warnings and errors one line each, said once, naming what they are about. */
import {execFile, execFileSync, spawn} from 'node:child_process'
import {cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {gunzipSync} from 'node:zlib'
import * as tar from 'tar-stream'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type ArchiveEntry, buildTar, REPO_ROOT} from '../helpers/archives.js'
import {BIN, type CliRun, expectOneLineError, HAS_BUILT_CLI, tinydata, tinydataWithEnv} from '../helpers/cli.js'

const ER_FOLDER = join(REPO_ROOT, 'test/fixtures/logs/er-vww-tiny/accuracy')
const SAMPLE = join(REPO_ROOT, 'samples/kws01-sample.tar.gz')

/** The files of a tar.gz archive. */
async function tarGzEntries(file: string): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = []
  const extract = tar.extract()
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => {
      if (header.type === 'file') entries.push({path: header.name, bytes: Buffer.concat(chunks)})
      next()
    })
  })
  const done = new Promise((resolve, reject) => extract.on('finish', resolve).on('error', reject))
  extract.end(gunzipSync(await readFile(file)))
  await done
  return entries
}

/**
 * The sample's clips copied `copies` times, the first sample of each copy changed: as many distinct clips, every one
 * of which `prepare kws --subset test` makes (a source that takes a few seconds).
 */
async function manyClipsTar(copies: number): Promise<Buffer> {
  const clips = await tarGzEntries(SAMPLE)
  const entries = clips.flatMap(({path, bytes}) => Array.from({length: copies}, (_, copy) => {
    const changed = Buffer.from(bytes)
    changed[44] = (changed[44]! + copy + 1) % 256 // the first sample, after the 44-byte WAV header
    return {path: path.replace(/([^/]+)$/, `c${copy}_$1`), bytes: changed}
  }))
  return buildTar(entries)
}

/** A read-only mount needs a mount namespace of our own (`unshare -rm`): where there is none, that test is skipped. */
const CAN_MOUNT_READ_ONLY = (() => {
  try {
    execFileSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o ro tmpfs /mnt'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
})()
if (!CAN_MOUNT_READ_ONLY) console.warn('read-only mount test skipped: `unshare -rm` cannot mount here')

/** The built CLI run with `folder` mounted read-only (an empty tmpfs), in a mount namespace of its own. */
async function tinydataOnReadOnly(folder: string, env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  const script = 'mount -t tmpfs -o ro tmpfs "$0" && exec node "$@"'
  const childEnv = {...process.env, NO_COLOR: '1', NODE_ENV: 'production', TINYDATA_OFFLINE: '1', ...env}
  return promisify(execFile)('unshare', ['-rm', 'sh', '-c', script, folder, BIN, ...args], {cwd: REPO_ROOT, env: childEnv}).then(
    ({stdout, stderr}) => ({code: 0, stdout, stderr}),
    (error: CliRun) => error,
  )
}

describe.skipIf(!HAS_BUILT_CLI)('CLI messages', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-messages-'))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('prints a warning as one unwrapped `Warning:` line, a long path whole', async () => {
    const folder = join(dir, 'a-folder-name-long-enough-that-the-warning-passes-eighty-columns', 'accuracy')
    await cp(ER_FOLDER, folder, {recursive: true})
    const {code, stderr} = await tinydata('score', folder)
    expect(code).toBe(0)
    expect(stderr).toMatch(new RegExp(`^Warning: ${folder}: COVERAGE INCOMPLETE: 6 of 1000 stimuli of vww01 were scored [^\\n]*\\n$`))
  })

  it('lists the files that failed alike with their problem said once', async () => {
    const mirror = join(dir, 'no-mirror-here')
    const {code, stderr} = await tinydataWithEnv({TINYDATA_HOME: join(dir, 'home'), TINYDATA_OFFLINE: ''}, 'download', 'all', '--mirror', `file://${mirror}/`)
    expect(code).toBe(2)
    expectOneLineError(stderr, '14 of 14 files failed: not found in the mirror folder: ')
    expect(stderr.split('not found in the mirror folder')).toHaveLength(2)
    for (const file of ['speech_commands_test_set_v0.02.tar.gz', 'cifar-10-binary.tar.gz', 'dev_data_ToyCar.zip', 'musan.tar.gz']) expect(stderr).toContain(`file://${mirror}/${file}`)
  })

  it.skipIf(!CAN_MOUNT_READ_ONLY)('says a folder on a read-only mount is read-only (EROFS), for the cache and for --out', async () => {
    const mount = join(dir, 'read-only')
    await mkdir(mount)
    const download = await tinydataOnReadOnly(mount, {TINYDATA_HOME: join(mount, 'home'), TINYDATA_OFFLINE: ''}, 'download', 'kws')
    expect(download.code).toBe(2)
    expectOneLineError(download.stderr, `${join(mount, 'home', 'downloads')}: cannot create the download cache (read-only file system: EROFS)`)
    const prepare = await tinydataOnReadOnly(mount, {}, 'prepare', 'kws', '--source', SAMPLE, '--out', join(mount, 'out'), '--no-verify', '--allow-missing')
    expect(prepare.code).toBe(2)
    expectOneLineError(prepare.stderr, `${join(mount, 'out')}: cannot create the output folder (read-only file system: EROFS)`)
  })

  it('Ctrl-C in prepare says what it left (the previous folder, no staged files) and exits 130', async () => {
    const out = join(dir, 'interrupted')
    const previous = await tinydata('prepare', 'kws', '--source', SAMPLE, '--out', out, '--no-verify', '--allow-missing')
    expect(previous.code).toBe(0)
    const before = await folderContents(join(out, 'kws01'))
    const source = join(dir, 'many-clips.tar')
    await writeFile(source, await manyClipsTar(20))

    const child = spawn('node', [BIN, 'prepare', 'kws', '--source', source, '--out', out, '--no-verify', '--subset', 'test', '--threads', '1'], {
      cwd: REPO_ROOT, env: {...process.env, NO_COLOR: '1', NODE_ENV: 'production', TINYDATA_OFFLINE: '1'},
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    // Interrupted mid-run: once its staging folder holds stimuli.
    for (let staged: string[] = []; staged.length === 0; await new Promise((resolve) => setTimeout(resolve, 20))) {
      const partial = (await readdir(out)).find((name) => name.startsWith('.kws01.partial-'))
      staged = partial ? await readdir(join(out, partial)).catch(() => []) : []
    }
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stderr).toBe(`Interrupted: ${join(out, 'kws01')} was not replaced (it holds what it held before); the files this run had made so far were removed\n`)
    expect(await readdir(out)).toEqual(['kws01'])
    expect(await folderContents(join(out, 'kws01'))).toEqual(before)
  }, 30_000)
})

/** Each file of a folder and its bytes. */
async function folderContents(folder: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(folder)).sort()
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(folder, name))] as const)))
}
