/** Finding the files of a published result folder, and reading them whether gzip-compressed or not. */

import {open, readdir, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import type {Readable} from 'node:stream'
import {createGunzip, gunzipSync} from 'node:zlib'

import {fileError, UserError} from '../errors.js'

/** The first two bytes of every gzip member (RFC 1952 §2.3.1): compression is detected by content, not by name. */
const GZIP_MAGIC = [0x1f, 0x8b]

/**
 * The most bytes a result file may hold, decompressed. The largest real ones are 3.5 MB (a 1000-stimulus kws01
 * accuracy log), 2.9 MB (an EMON trace) and 1.2 MB (a PY energy results.json); a sww01 energy results.json over the
 * 20-minute long WAV (1 kHz samples) would be about 15 MB. 256 MiB is 70 times the largest log and still far below
 * V8's longest string, so a gzip bomb or a runaway file stops with one line instead of exhausting memory.
 */
export const MAX_RESULT_FILE_BYTES = 256 * 2 ** 20
/**
 * The longest line a result file may hold: real ones are under 7,000 characters; the sww01 detection list of a device
 * firing every 100 ms through the long WAV would be about 110 kB.
 */
export const MAX_LINE_BYTES = 2 ** 20
const MIB = 2 ** 20

function tooLarge(file: string, compressed: boolean): UserError {
  return fileError(file, `more than ${MAX_RESULT_FILE_BYTES / MIB} MiB${compressed ? ' once decompressed' : ''}:`
    + ' far more than any runner writes, so not read')
}

function unreadable(file: string, error: unknown): UserError {
  return fileError(file, `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
}

function corruptGzip(file: string, error: unknown): UserError {
  return fileError(file, `corrupt gzip data (${(error as Error).message})`)
}

/** An open result file whose size is within the bound, and whether it is gzip data. */
async function openResultFile(file: string) {
  let handle
  try {
    handle = await open(file)
    const {size} = await handle.stat()
    const head = Buffer.alloc(GZIP_MAGIC.length)
    await handle.read(head, 0, head.length, 0)
    const gzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]
    if (size > MAX_RESULT_FILE_BYTES) throw tooLarge(file, false)
    return {handle, gzip}
  } catch (error) {
    await handle?.close()
    throw error instanceof UserError ? error : unreadable(file, error)
  }
}

/** A file's bytes, decompressed when it is gzip data; at most MAX_RESULT_FILE_BYTES. */
export async function readMaybeGzip(file: string): Promise<Buffer> {
  const {handle, gzip} = await openResultFile(file)
  let bytes: Buffer
  try {
    bytes = await handle.readFile()
  } catch (error) {
    throw unreadable(file, error)
  } finally {
    await handle.close()
  }
  if (!gzip) return bytes
  try {
    return gunzipSync(bytes, {maxOutputLength: MAX_RESULT_FILE_BYTES})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(file, true)
    throw corruptGzip(file, error)
  }
}

const LINE_FEED = 0x0a
export const STOP_READING = Symbol('stop reading')
/** Big reads: a 3.5 MB log in a few dozen chunks rather than hundreds. */
const CHUNK_BYTES = 2 ** 18

/**
 * Calls `visit` with every line of a file (decompressed when it is gzip data), in order, as `text.split('\n')` would
 * give them: UTF-8 with replacement characters, the last line even when empty. The file is streamed, never held
 * whole. Each run of whole lines is decoded at once, which gives the same text as decoding the whole file because a
 * line feed never sits inside a UTF-8 sequence. Bounded by MAX_RESULT_FILE_BYTES and MAX_LINE_BYTES. When `visit`
 * returns STOP_READING, no more is read.
 */
export async function forEachLine(file: string, visit: (line: string) => typeof STOP_READING | void): Promise<void> {
  const {handle, gzip} = await openResultFile(file)
  const raw = handle.createReadStream({highWaterMark: CHUNK_BYTES})
  const stream: Readable = gzip ? raw.pipe(createGunzip({chunkSize: CHUNK_BYTES})) : raw
  if (gzip) raw.on('error', (error) => stream.destroy(error))
  /** The start of a line whose end has not arrived yet. */
  let partial = Buffer.alloc(0)
  let total = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length
      if (total > MAX_RESULT_FILE_BYTES) throw tooLarge(file, gzip)
      const lastLineFeed = chunk.lastIndexOf(LINE_FEED)
      if (lastLineFeed === -1) {
        partial = Buffer.concat([partial, chunk])
        if (partial.length > MAX_LINE_BYTES) {
          throw fileError(file, `a line longer than ${MAX_LINE_BYTES / MIB} MiB: far longer than any runner writes`)
        }
        continue
      }
      const lines = Buffer.concat([partial, chunk.subarray(0, lastLineFeed)]).toString('utf8').split('\n')
      for (const line of lines) if (visit(line) === STOP_READING) return
      partial = Buffer.from(chunk.subarray(lastLineFeed + 1))
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    if (code.startsWith('Z_')) throw corruptGzip(file, error)
    // a system error of the read; anything else (a UserError of `visit`, a bug) goes up as it is
    if (/^E[A-Z]+$/.test(code)) throw unreadable(file, error)
    throw error
  } finally {
    stream.destroy()
    raw.destroy()
  }
  visit(partial.toString('utf8'))
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
