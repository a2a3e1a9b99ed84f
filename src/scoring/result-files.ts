/** Finding the files of a published result folder, and reading them whether gzip-compressed or not. */

import {readFile, readdir, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {gunzipSync} from 'node:zlib'

import {fileError} from '../errors.js'

/** The first two bytes of every gzip member (RFC 1952 §2.3.1): compression is detected by content, not by name. */
const GZIP_MAGIC = [0x1f, 0x8b]

/** A file's bytes, decompressed when it is gzip data. */
export async function readMaybeGzip(file: string): Promise<Buffer> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    throw fileError(file, `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes
  try {
    return gunzipSync(bytes)
  } catch (error) {
    throw fileError(file, `corrupt gzip data (${(error as Error).message})`)
  }
}

export interface ResultFiles {
  folder: string
  log: string
  /** `results.txt` or `<prefix>_results.txt` beside `<prefix>_log.txt`: the figures the runner printed. */
  results: string | null
  /** PY runner: every inference, with the energy samples in energy mode. */
  resultsJson: string | null
  /** ER energy mode: the EMON trace and the GPIO timestamps. */
  energyTrace: string | null
  energyTimestamps: string | null
}

/** `log.txt` or `accuracy_log.txt`, `performance_log.txt`, `energy_log.txt` (spec §1.5 item 6), maybe `.gz`. */
const LOG_NAME = /^(?:(\w+)_)?log\.txt(?:\.gz)?$/

/** Whether a file name is that of a runner log: what makes its folder a result folder. */
export function isLogName(name: string): boolean {
  return !isJunk(name) && LOG_NAME.test(name)
}

/** macOS AppleDouble `._log.txt` files sit beside real logs in some submissions (spec §1.5 item 6). */
function isJunk(name: string): boolean {
  return name.startsWith('._')
}

/** A log file or a result folder (`accuracy/`, `performance/`, `energy/`) → the files to score it with. */
export async function locateResultFiles(path: string): Promise<ResultFiles> {
  let isFolder: boolean
  try {
    isFolder = (await stat(path)).isDirectory()
  } catch {
    throw fileError(path, 'no such file or folder')
  }
  const folder = isFolder ? path : dirname(path)
  const names = (await readdir(folder)).filter((name) => !isJunk(name)).sort()
  const log = isFolder ? join(folder, pickLog(path, names)) : path
  const prefix = LOG_NAME.exec(basename(log))?.[1]
  const find = (...candidates: string[]): string | null => {
    for (const candidate of candidates) {
      const name = names.find((entry) => entry === candidate || entry === `${candidate}.gz`)
      if (name) return join(folder, name)
    }
    return null
  }
  return {
    folder,
    log,
    results: find(prefix ? `${prefix}_results.txt` : 'results.txt'),
    resultsJson: find('results.json'),
    energyTrace: find('trace1-energy.bin'),
    energyTimestamps: find('trace1-timestamps.json'),
  }
}

function pickLog(folder: string, names: string[]): string {
  const logs = names.filter((name) => isLogName(name))
  if (logs.length === 1) return logs[0]
  if (logs.length === 0) {
    throw fileError(folder, 'no log.txt or *_log.txt here (expected a result folder: accuracy/, performance/ or energy/)')
  }
  throw fileError(folder, `several logs (${logs.join(', ')}): pass the one to score`)
}
