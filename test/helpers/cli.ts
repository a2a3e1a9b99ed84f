import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {expect} from 'vitest'

import {REPO_ROOT} from './archives.js'

export const BIN = join(REPO_ROOT, 'bin/run.js')
/** The CLI tests run the built commands (`npm test` builds dist/ first); they skip where it has not been built. */
export const HAS_BUILT_CLI = existsSync(join(REPO_ROOT, 'dist/commands'))

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs the built CLI as a user would. By default offline and with a cache of its own, so that no test reaches the
 * internet or the user's cache; `env` overrides that (the download tests point TINYDATA_HOME and a mirror at their
 * own server). NODE_ENV=production because vitest's NODE_ENV=test makes oclif look for TypeScript sources.
 */
export async function tinydataWithEnv(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  const childEnv = {
    ...process.env,
    NO_COLOR: '1',
    NODE_ENV: 'production',
    TINYDATA_OFFLINE: '1',
    TINYDATA_HOME: join(tmpdir(), 'tinydata-test-home'),
    ...env,
  }
  try {
    const {stdout, stderr} = await promisify(execFile)('node', [BIN, ...args], {cwd: REPO_ROOT, env: childEnv, maxBuffer: 64 << 20})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const e = error as {code: number; stdout: string; stderr: string}
    return {code: e.code, stdout: e.stdout, stderr: e.stderr}
  }
}

/** Runs the built CLI offline, with a cache of its own (see tinydataWithEnv). */
export function tinydata(...args: string[]): Promise<CliRun> {
  return tinydataWithEnv({}, ...args)
}

/** What every user-caused error must look like: one line on stderr containing `text`, no stack trace. */
export function expectOneLineError(stderr: string, text: string): void {
  const lines = stderr.trim().split('\n')
  expect(lines, stderr).toHaveLength(1)
  expect(lines[0]).toContain(text)
  expect(stderr).not.toMatch(/\n\s+at /)
}
