import {readFile} from 'node:fs/promises'

import {fileError} from '../errors.js'
import {writeFileAtomically} from '../io/atomic-write.js'

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
}

interface LockDocument {
  comment: string
  files: Record<string, LockEntry>
}

const LOCK_COMMENT = 'tinydata download cache: one entry per verified file. A "pinned" sha256 was recorded on the first download because none is published; later downloads must match it.'

/**
 * The cache's lock file. It is small and read afresh each time, as other processes may have added to it; each change
 * re-reads it, merges and replaces it atomically (write to a temporary file, rename), one change at a time, so
 * parallel downloads never lose each other's entries.
 */
export class LockFile {
  private writing: Promise<void> = Promise.resolve()

  constructor(readonly path: string) {}

  async get(name: string): Promise<LockEntry | undefined> {
    return (await this.read())[name]
  }

  async record(name: string, entry: LockEntry): Promise<void> {
    const change = this.writing.then(async () => {
      const entries = {...(await this.read()), [name]: entry}
      const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)))
      const document: LockDocument = {comment: LOCK_COMMENT, files: sorted}
      await writeFileAtomically(this.path, `${JSON.stringify(document, null, 2)}\n`)
    })
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
