import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readdir, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {REPO_ROOT} from '../helpers/archives.js'
import {BIN, expectOneLineError, HAS_BUILT_CLI, tinydata, type CliRun} from '../helpers/cli.js'

const SAMPLE = join(REPO_ROOT, 'samples/kws01-sample.tar.gz')
/** The kws01 sample's 30 clips take about a second to prepare; a run still going after this is one that hangs. */
const HANG_MS = 30_000

/** Runs the built CLI offline like tinydata(), but kills it once it has run HANG_MS: the defects here were endless runs. */
async function tinydataOrKilled(...args: string[]): Promise<CliRun & {killed: boolean}> {
  const env = {...process.env, NO_COLOR: '1', NODE_ENV: 'production', TINYDATA_OFFLINE: '1', TINYDATA_HOME: join(tmpdir(), 'tinydata-test-home')}
  try {
    const {stdout, stderr} = await promisify(execFile)('node', [BIN, ...args], {cwd: REPO_ROOT, env, timeout: HANG_MS, killSignal: 'SIGKILL'})
    return {code: 0, stdout, stderr, killed: false}
  } catch (error) {
    const e = error as {code: number; stdout: string; stderr: string; killed: boolean}
    return {code: e.code, stdout: e.stdout, stderr: e.stderr, killed: e.killed}
  }
}

const prepareSample = (out: string, ...more: string[]) => tinydata('prepare', 'kws', '--source', SAMPLE, '--out', out, '--no-verify', '--allow-missing', ...more)

describe.skipIf(!HAS_BUILT_CLI)('prepare: what it replaces, where it may write, and folder sources (built CLI)', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-output-cli-'))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('refuses to replace a folder holding a file it did not write, naming it; --force replaces the folder anyway', async () => {
    const out = join(dir, 'foreign')
    expect((await prepareSample(out)).code).toBe(0)
    expect((await prepareSample(out)).code).toBe(0) // its own files alone are replaced without a word
    const notes = join(out, 'kws01/notes.txt')
    await writeFile(notes, 'my own notes')

    const refused = await prepareSample(out)
    expect(refused.code).toBe(2)
    expectOneLineError(refused.stderr, `${notes}: tinydata did not write it`)
    expect(refused.stderr).toContain('--force')
    expect(existsSync(notes)).toBe(true)

    const forced = await prepareSample(out, '--force')
    expect(forced.code, forced.stderr).toBe(0)
    expect(existsSync(notes)).toBe(false)
    expect(await readdir(join(out, 'kws01'))).toContain('manifest.arrow')
  })

  it.skipIf(!existsSync('/proc/self'))('an output folder under /proc is a one-line error, not an endless run (prepare and demo)', async () => {
    const out = '/proc/tinydata-test/out'
    for (const args of [['prepare', 'kws', '--source', SAMPLE, '--out', out, '--no-verify', '--allow-missing'], ['demo', '--out', out]]) {
      const run = await tinydataOrKilled(...args)
      expect(run.killed, args.join(' ')).toBe(false)
      expect(run.code).toBe(2)
      expectOneLineError(run.stderr, 'cannot create the output folder')
    }
  })

  it('reads a folder source with symbolic links back to itself once, and ends', async () => {
    const source = join(dir, 'looped-source')
    await mkdir(source)
    await promisify(execFile)('tar', ['-xzf', SAMPLE, '-C', source])
    // Two links back up: walked naively, the paths double with every level until the kernel's limit of 40 links.
    await symlink('.', join(source, 'again'))
    await symlink('..', join(source, (await readdir(source)).find((name) => name !== 'again')!, 'up'))
    const run = await tinydataOrKilled('prepare', 'kws', '--source', source, '--out', join(dir, 'looped'), '--no-verify', '--allow-missing', '--json')
    expect(run.killed).toBe(false)
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({clips_read: 30, files_written: 30, warnings: []})
  })
})
