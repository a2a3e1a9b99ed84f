import {randomBytes} from 'node:crypto'
import {link, readFile, rename, stat, unlink, writeFile} from 'node:fs/promises'
import {hostname} from 'node:os'
import {setTimeout as sleep} from 'node:timers/promises'

import {fileError} from '../errors.js'
import {fsFailure} from '../io/fs-error.js'
import {writeFileAtomically} from '../io/atomic-write.js'
import {isAlive} from '../io/process.js'

/** What the cache knows about one verified file. */
export interface LockEntry {
  /** Where the bytes came from: the URL asked for (the published one, or the mirror's), not a redirect's target, which may expire. */
  url: string
  size: number
  sha256: string
  md5?: string
  /** The published git blob id the bytes were checked against (files of a git repository). */
  gitBlob?: string
  /** `published`: checked against a published digest. `pinned`: none is published; this sha256 is the first download's. */
  checksum: 'published' | 'pinned'
  downloadedAt: string
  /** The file as it was on disk when its bytes were last hashed; absent in entries written before it was kept. */
  verified?: VerifiedStamp
}

/**
 * What changes when a file's bytes may have: writing into it moves the modification time and the change time (which,
 * unlike the first, no one can set back), replacing it changes the inode. Times in nanoseconds, as strings.
 */
export interface VerifiedStamp {
  size: number
  mtimeNs: string
  ctimeNs: string
  inode: string
}

interface LockDocument {
  comment: string
  files: Record<string, LockEntry>
}

const LOCK_COMMENT = 'tinydata download cache: one entry per verified file. A "pinned" sha256 was recorded on the first download because none is published; later downloads must match it.'

/**
 * The cache's lock file. It is small and read afresh each time, as other processes may have added to it; each change
 * re-reads it, merges and replaces it atomically (write to a temporary file, rename), one change at a time in this
 * process, and under a guard file across processes, so that parallel downloads never lose each other's entries.
 */
export class LockFile {
  private writing: Promise<void> = Promise.resolve()

  constructor(readonly path: string) {}

  async get(name: string): Promise<LockEntry | undefined> {
    return (await this.read())[name]
  }

  async record(name: string, entry: LockEntry): Promise<void> {
    const change = this.writing.then(() =>
      whileGuarded(`${this.path}${GUARD_SUFFIX}`, async () => {
        const entries = {...(await this.read()), [name]: entry}
        const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)))
        const document: LockDocument = {comment: LOCK_COMMENT, files: sorted}
        await writeFileAtomically(this.path, `${JSON.stringify(document, null, 2)}\n`)
      }),
    )
    // A failed change must not block the next one; the caller still sees its own failure.
    this.writing = change.catch(() => undefined)
    return change
  }

  /** Every entry, read once (file name → entry). */
  entries(): Promise<Record<string, LockEntry>> {
    return this.read()
  }

  private async read(): Promise<Record<string, LockEntry>> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw fileError(this.path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
    try {
      const document = JSON.parse(text) as Partial<LockDocument>
      if (typeof document.files !== 'object' || document.files === null) throw new Error('no "files" object')
      return document.files
    } catch (error) {
      throw fileError(this.path, `is not a tinydata lock file (${(error as Error).message}); repair it, or delete it to lose the pinned checksums it holds`)
    }
  }
}

/** `downloads-lock.json.lock`: exists while one process changes the lock file, and names it (pid and host). */
const GUARD_SUFFIX = '.lock'
const GUARD_POLL_MS = 5
/** A change takes milliseconds: a guard this old was left by a process that died or hangs (on any host). */
const GUARD_STALE_MS = 30_000

/** Runs `change` while holding the guard file, taking over a guard left by a dead process. */
async function whileGuarded(guardPath: string, change: () => Promise<void>): Promise<void> {
  const me = {pid: process.pid, host: hostname()}
  for (;;) {
    try {
      await writeFile(guardPath, JSON.stringify(me), {flag: 'wx'})
      break
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'EEXIST') throw fileError(guardPath, `cannot be created (${fsFailure(error)})`)
    }
    const stale = await staleGuard(guardPath, me.host)
    if (stale === undefined) await sleep(GUARD_POLL_MS)
    else await removeStaleGuard(guardPath, stale)
  }
  try {
    await change()
  } finally {
    await unlink(guardPath).catch(() => undefined)
  }
}

/** The inode of the guard if it is stale: its process died on this host, or it is older than any change takes. */
async function staleGuard(guardPath: string, host: string): Promise<bigint | undefined> {
  const info = await stat(guardPath, {bigint: true}).catch(() => undefined)
  if (!info) return undefined // released meanwhile
  if (Date.now() - Number(info.mtimeMs) > GUARD_STALE_MS) return info.ino
  try {
    const holder = JSON.parse(await readFile(guardPath, 'utf8')) as {pid: number; host: string}
    if (holder.host === host && Number.isInteger(holder.pid) && !isAlive(holder.pid)) return info.ino
  } catch {
    // Not written yet (or already gone): decided by its age, on a later look.
  }
  return undefined
}

/**
 * Moves the stale guard aside before deleting it, so that of two processes taking it over only one can remove it:
 * what the other moves aside may be the new guard of the first, which it then puts back.
 */
async function removeStaleGuard(guardPath: string, staleInode: bigint): Promise<void> {
  const aside = `${guardPath}.${process.pid}-${randomBytes(4).toString('hex')}.stale`
  if (!(await rename(guardPath, aside).then(() => true, () => false))) return
  const moved = await stat(aside, {bigint: true}).catch(() => undefined)
  if (moved && moved.ino !== staleInode) await link(aside, guardPath).catch(() => undefined)
  await unlink(aside).catch(() => undefined)
}
