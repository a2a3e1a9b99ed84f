import {open, type FileHandle} from 'node:fs/promises'

import {fileError, UserError} from '../errors.js'
import {fsFailure} from '../io/fs-error.js'
import {Digests, hashFileInto, type DigestName} from '../io/hash.js'

/** Writes are gathered to this size: fewer system calls, while hashing the next batch overlaps the write of this one. */
const WRITE_BATCH_BYTES = 1024 * 1024
/**
 * Written bytes are synced to disk in the background every this many bytes while the download goes on, so that the
 * final sync before the rename has little left to do (it otherwise costs as much as the whole write).
 */
const BACKGROUND_SYNC_BYTES = 32 * 1024 * 1024

/**
 * A download in progress (`<name>.part`), hashed as it is written. Writes go at explicit offsets, one batch in flight,
 * so the file on disk is always a prefix of the download: after a crash, a kill or Ctrl-C it can be resumed, and
 * resuming re-hashes that prefix from disk rather than trusting any saved state.
 */
export class PartFile {
  /** Bytes accepted so far: hashed, and on disk once `flush()` has returned. */
  size = 0
  /** Bytes an earlier run left that are still in use (0 once the file restarts). */
  keptFromEarlierRun = 0
  private hashes: Digests
  private batch: Buffer[] = []
  private batchBytes = 0
  private writtenBytes = 0
  private writing: Promise<void> = Promise.resolve()
  private syncing: Promise<void> | undefined
  private syncedUpTo = 0
  private writeError: NodeJS.ErrnoException | undefined

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly digestNames: readonly DigestName[],
    private readonly fileSize: number | undefined,
  ) {
    this.hashes = new Digests(digestNames, fileSize)
  }

  /** Opens (or creates) the part file and hashes the bytes already in it; `fileSize`, where known, for a git blob id. */
  static async open(path: string, digestNames: readonly DigestName[], fileSize: number | undefined, onChecked?: (bytes: number) => void): Promise<PartFile> {
    const handle = await open(path, 'r+').catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
      return open(path, 'w+')
    }).catch((error: NodeJS.ErrnoException) => {
      throw fileError(path, `cannot be created (${fsFailure(error)})`)
    })
    const part = new PartFile(path, handle, digestNames, fileSize)
    try {
      const existing = (await handle.stat()).size
      part.size = await hashFileInto(part.hashes, path, {length: existing, onBytes: onChecked})
      part.writtenBytes = part.size
      part.keptFromEarlierRun = part.size
    } catch (error) {
      await handle.close()
      throw error instanceof UserError ? error : fileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
    return part
  }

  async append(chunk: Buffer): Promise<void> {
    this.hash(chunk)
    this.batch.push(chunk)
    this.batchBytes += chunk.length
    if (this.batchBytes >= WRITE_BATCH_BYTES) await this.startWrite()
  }

  /** Waits until every accepted byte is on disk. */
  async flush(): Promise<void> {
    await this.startWrite()
    await this.writing
    this.throwWriteError()
  }

  /** Empties the file, for a server that ignored the Range request and sent the whole file again. */
  async restart(): Promise<void> {
    await this.flush()
    await this.handle.truncate(0)
    this.size = 0
    this.writtenBytes = 0
    this.keptFromEarlierRun = 0
    this.hashes = new Digests(this.digestNames, this.fileSize)
  }

  digests(): Partial<Record<DigestName, string>> {
    return this.hashes.hex()
  }

  /** Flushes and syncs to disk, so that the rename that follows never exposes a file the disk does not hold yet. */
  async complete(): Promise<void> {
    await this.flush()
    await this.syncing
    await this.handle.sync()
    await this.handle.close()
  }

  /** Closes without syncing (the .part stays for a later run); safe to call after `complete()`. */
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined)
  }

  private hash(chunk: Buffer): void {
    this.hashes.update(chunk)
    this.size += chunk.length
  }

  private async startWrite(): Promise<void> {
    await this.writing
    this.throwWriteError()
    if (this.batchBytes === 0) return
    const batch = this.batch
    const position = this.writtenBytes
    this.writtenBytes += this.batchBytes
    this.batch = []
    this.batchBytes = 0
    // Never a rejected promise left waiting: the error is kept and thrown by the next append or flush.
    this.writing = writeAll(this.handle, batch, position).then(
      () => this.syncInBackground(),
      (error: NodeJS.ErrnoException) => {
        this.writeError ??= error
      },
    )
  }

  private syncInBackground(): void {
    if (this.syncing || this.writtenBytes - this.syncedUpTo < BACKGROUND_SYNC_BYTES) return
    const upTo = this.writtenBytes
    // A failed background sync is not an error of its own: the final sync reports it.
    this.syncing = this.handle.datasync().then(
      () => {
        this.syncedUpTo = upTo
        this.syncing = undefined
      },
      () => {
        this.syncing = undefined
      },
    )
  }

  private throwWriteError(): void {
    const error = this.writeError
    if (!error) return
    const reason = error.code === 'ENOSPC' ? 'the disk is full' : error.code === 'EDQUOT' ? 'the disk quota is exceeded' : 'a write failed'
    throw fileError(this.path, `${reason} (${error.code ?? error.message}); the bytes written so far are kept, free some space and run again to resume`)
  }
}

/** writev may write less than asked (near a full disk): the rest is written until done or an error says why not. */
async function writeAll(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0)
  let written = (await handle.writev(buffers, position)).bytesWritten
  if (written === total) return
  const rest = Buffer.concat(buffers).subarray(written)
  while (written < total) {
    const {bytesWritten} = await handle.write(rest, written - (total - rest.length), total - written, position + written)
    if (bytesWritten === 0) throw Object.assign(new Error('no bytes written'), {code: 'ENOSPC'})
    written += bytesWritten
  }
}
