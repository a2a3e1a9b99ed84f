/** The built CLI run in a child process, with the child's own peak resident memory. */

import {execFile} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {REPO_ROOT} from '../test/helpers/archives.js'

/**
 * Loaded with --require into the child: its peak resident set, written where the parent reads it. On Linux it is
 * VmHWM, the high-water mark of the child's own memory: `maxRSS` there starts at the spawning process's peak (fork
 * copies it), which after the other benchmarks is the bench's own. Elsewhere, `maxRSS`.
 */
const MAX_RSS_PRELOAD = `const fs = require('node:fs')
process.on('exit', () => {
  let bytes = process.resourceUsage().maxRSS * 1024
  try {
    const highWater = /^VmHWM:\\s*(\\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))
    if (highWater) bytes = Number(highWater[1]) * 1024
  } catch {}
  fs.writeFileSync(process.env.TINYDATA_BENCH_MAX_RSS_FILE, String(bytes))
})
`

/** `tinydata ARGS` in a child process (the preload and its report kept in `dir`): stdout, seconds, peak RSS. */
export async function runCliWithPeakRss(dir: string, args: readonly string[]): Promise<{stdout: string; seconds: number; peakRssBytes: number}> {
  const preload = join(dir, 'max-rss.cjs')
  const rssFile = join(dir, 'max-rss.txt')
  await writeFile(preload, MAX_RSS_PRELOAD)
  const start = performance.now()
  const {stdout} = await promisify(execFile)(process.execPath, ['--require', preload, join(REPO_ROOT, 'bin/run.js'), ...args], {
    env: {...process.env, TINYDATA_BENCH_MAX_RSS_FILE: rssFile}, maxBuffer: 1 << 24,
  })
  return {stdout, seconds: (performance.now() - start) / 1000, peakRssBytes: Number(await readFile(rssFile, 'utf8'))}
}
