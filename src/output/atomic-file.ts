import {rename, rm, writeFile} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

import {fileError} from '../errors.js'

/**
 * Writes `file` under a temporary name beside it, then renames it into place: a reader never sees half a file, and a
 * failed write leaves whatever was there before.
 */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`
  try {
    await writeFile(temporary, data)
    await rename(temporary, file)
  } catch (error) {
    // rm's force ignores a missing file only: under a path that is no folder (ENOTDIR) it throws too.
    await rm(temporary, {force: true}).catch(() => undefined)
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw fileError(file, `cannot write it: no folder ${resolve(dirname(file))}`)
    throw fileError(file, `cannot write it (${code ?? (error as Error).message})`)
  }
}

const REFUSED_WRITE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT'])

/** The code of a write the file system refused (no permission, read-only, full, over quota), else undefined. */
export function refusedWriteCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code !== undefined && REFUSED_WRITE_CODES.has(code) ? code : undefined
}
