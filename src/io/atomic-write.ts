/**
 * Files replaced whole: written under a temporary name beside the target, then renamed over it, so that a reader
 * never sees half a file and a failed write leaves whatever was there before.
 */
import {randomBytes} from 'node:crypto'
import {open, readdir, rename, rm, stat, writeFile} from 'node:fs/promises'
import {hostname} from 'node:os'
import {basename, dirname, join, resolve} from 'node:path'

import {fileError} from '../errors.js'
import {fsFailure} from './fs-error.js'
import {isAlive} from './process.js'

/**
 * `.<name>.<pid>@<host>-<random>.tmp`: hidden, and naming its writer, so that a dead writer's leftovers can be told
 * apart. (Temporaries of earlier versions lack the `@<host>`.)
 */
const TEMPORARY_NAME = /^\.(.+)\.(\d+)(?:@([\w-]+))?-[0-9a-f]+\.tmp$/
/**
 * The machine, as a temporary names it: a folder shared over the network may hold the temporary of a live writer on
 * another machine, whose pid means nothing here.
 */
const HOST = hostname().split('.')[0]!.replace(/[^\w-]/g, '_') || 'host'
/** A temporary another machine's writer (or an earlier version) left is removed only once untouched this long. */
const STALE_AFTER_MS = 10 * 60 * 1000

function temporaryPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}@${HOST}-${randomBytes(4).toString('hex')}.tmp`)
}

/**
 * Makes `target` by `write(temporary)`, a path beside it, then renames the temporary into place. With `sync` (the
 * default) the temporary is flushed to disk first: otherwise a crash soon after could leave the new name on an empty
 * or partial file. On failure the temporary is removed and the error rethrown unchanged.
 */
export async function replaceAtomically<T>(target: string, write: (temporary: string) => Promise<T>, {sync = true} = {}): Promise<T> {
  const temporary = temporaryPathFor(target)
  try {
    const result = await write(temporary)
    if (sync) await syncFile(temporary)
    await rename(temporary, target)
    return result
  } catch (error) {
    // rm's force ignores a missing file only: under a path that is no folder (ENOTDIR) it throws too.
    await rm(temporary, {force: true}).catch(() => undefined)
    throw error
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Replaces `file` with `data` (see replaceAtomically), after removing what dead writers of it left. */
export async function writeFileAtomically(file: string, data: string | Uint8Array, options: {sync?: boolean} = {}): Promise<void> {
  await removeStaleTemporaries(dirname(file), basename(file))
  try {
    await replaceAtomically(file, (temporary) => writeFile(temporary, data, {flag: 'wx'}), options)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw fileError(file, `cannot write it: no folder ${resolve(dirname(file))}`)
    throw fileError(file, `cannot write it (${fsFailure(error)})`)
  }
}

/**
 * Deletes the temporaries of this scheme in `dir` (of the target `name` only, when given) whose writer is dead: what
 * a killed or crashed run left. Best effort: a folder that cannot be listed, or a file already gone, is passed over.
 */
export async function removeStaleTemporaries(dir: string, name?: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [])
  for (const entry of entries) {
    const [, target, pid, host] = TEMPORARY_NAME.exec(entry) ?? []
    if (pid === undefined || (name !== undefined && target !== name) || isAlive(Number(pid))) continue
    const path = join(dir, entry)
    if (host !== HOST) {
      const modified = (await stat(path).catch(() => undefined))?.mtimeMs
      if (modified === undefined || Date.now() - modified <= STALE_AFTER_MS) continue
    }
    await rm(path, {force: true}).catch(() => undefined)
  }
}

const REFUSED_WRITE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT'])

/** The code of a write the file system refused (no permission, read-only, full, over quota), else undefined. */
export function refusedWriteCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code !== undefined && REFUSED_WRITE_CODES.has(code) ? code : undefined
}
