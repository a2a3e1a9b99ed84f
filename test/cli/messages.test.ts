/** What the built CLI says, as a user sees it: warnings and errors one line each, said once, naming what they are about. */
import {execFile, execFileSync} from 'node:child_process'
import {cp, mkdir, mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {REPO_ROOT} from '../helpers/archives.js'
import {BIN, type CliRun, expectOneLineError, HAS_BUILT_CLI, tinydata, tinydataWithEnv} from '../helpers/cli.js'

const ER_FOLDER = join(REPO_ROOT, 'test/fixtures/logs/er-vww-tiny/accuracy')
const SAMPLE = join(REPO_ROOT, 'samples/kws01-sample.tar.gz')

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
})
