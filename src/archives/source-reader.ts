import {createReadStream} from 'node:fs'
import {type FileHandle, open, readdir, readFile, stat} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'
import {Transform, type TransformCallback} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {createGunzip, inflateRaw, type ZlibOptions} from 'node:zlib'
import * as tar from 'tar-stream'
import yauzl from 'yauzl'

import {fileError, UserError} from '../errors.js'
import {Digests, sha256File} from '../io/hash.js'
import {crc32} from './crc32.js'

/** One regular file of a source: its path inside the archive or folder (POSIX separators, no leading `./`). */
export interface SourceMember {
  path: string
  /** May be a view into a larger buffer the reader shares: copy it before moving its buffer to a worker. */
  bytes: Uint8Array
}

export type SourceKind = 'tar.gz' | 'tar' | 'zip' | 'folder'

/**
 * Which members a pipeline wants, by path. The others are passed over without being read: a zip member is not
 * inflated, a folder's file not opened, a tar member's bytes drained without being kept.
 */
export type MemberFilter = (path: string) => boolean

/**
 * A source data set as a stream of members, read once and never extracted to disk.
 * For an archive, `sha256()` is the checksum of the archive file itself, known once `members()` has been read to the end.
 */
export interface SourceReader {
  readonly path: string
  readonly kind: SourceKind
  members(wanted?: MemberFilter): AsyncGenerator<SourceMember>
  sha256(): string | undefined
}

const EVERY_MEMBER: MemberFilter = () => true

export interface SourceOptions {
  /**
   * The largest member, in bytes, that the source may hold among those read (datasets/: `largestMember` of its
   * published files). A larger one is refused from its declared size (tar header, zip central directory, file size)
   * before any of it is read, so that a small archive cannot fill the memory with one huge member. Undefined: no bound.
   */
  largestMember?: number
}

/** The bound for a source that may be any of these published files: the largest that any of them declares. */
export function largestMemberOf(files: readonly {largestMember?: number}[]): number | undefined {
  const bounds = files.map((file) => file.largestMember)
  return bounds.includes(undefined) ? undefined : Math.max(...(bounds as number[]))
}

/** Refuses a member before reading it when it declares more bytes than the source may hold. */
function checkMemberSize(source: string, member: string, size: number, options: SourceOptions): void {
  if (options.largestMember !== undefined && size > options.largestMember) {
    throw fileError(source, `${member} is ${size} bytes, more than the ${options.largestMember} bytes of the largest member this source may hold (a different or damaged archive)`)
  }
}

/** A member path as the pipelines see it: POSIX separators, no leading `./`. */
function memberPath(name: string): string {
  return name.replace(/^(\.\/)+/, '')
}

const GZIP_MAGIC = [0x1f, 0x8b]
const ZIP_MAGIC = 'PK\u0003\u0004'
/**
 * How far reading and gunzip (on libuv's thread pool) may run ahead of the consumer: with Node's 16–64 KiB defaults
 * the consumer's work on a member stalls decompression, and the two take turns instead of overlapping. More than a
 * gunzip piece per stage gained no speed and cost memory (three stages of 4 MiB: 9 MB more at the peak).
 */
const READ_AHEAD_BYTES = 1024 * 1024
/** Zip members read ahead of the consumer: enough to keep the thread pool reading and inflating, memory bounded. */
const ZIP_READ_AHEAD_MEMBERS = 8
const ZIP_READ_AHEAD_BYTES = 32 * 1024 * 1024
/** gunzip's output pieces: each is a trip through the thread pool, so few large ones (Node's default is 16 KiB). */
const GUNZIP_CHUNK_BYTES = 1024 * 1024
const TAR_MAGIC_OFFSET = 257 // "ustar" in every POSIX/GNU tar header

/** Opens a tar.gz, a tar, a zip or an extracted folder; which one is decided by content, not by the file name. */
export async function openSource(path: string, options: SourceOptions = {}): Promise<SourceReader> {
  const info = await stat(path).catch(() => {
    throw fileError(path, 'does not exist or cannot be read')
  })
  if (info.isDirectory()) return new FolderSource(path, options)
  const head = await readHead(path, 512)
  if (head.length === 0) throw fileError(path, 'is empty')
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return new TarSource(path, 'tar.gz', options)
  if (String.fromCharCode(...head.subarray(0, 4)) === ZIP_MAGIC) return new ZipSource(path, options)
  if (String.fromCharCode(...head.subarray(TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + 5)) === 'ustar') {
    return new TarSource(path, 'tar', options)
  }
  throw fileError(path, 'is not a tar.gz, tar or zip archive, nor a folder')
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r').catch(() => {
    throw fileError(path, 'cannot be opened for reading')
  })
  try {
    const buffer = Buffer.alloc(length)
    const {bytesRead} = await handle.read(buffer, 0, length, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/** Passes bytes through unchanged while hashing them, so the archive is checksummed in the same single read. */
class HashingTap extends Transform {
  readonly digests = new Digests(['sha256'])
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.digests.update(chunk)
    done(null, chunk)
  }
}

class TarSource implements SourceReader {
  private digest: string | undefined

  constructor(
    readonly path: string,
    readonly kind: 'tar.gz' | 'tar',
    private readonly options: SourceOptions,
  ) {}

  sha256(): string | undefined {
    return this.digest
  }

  async *members(wanted = EVERY_MEMBER): AsyncGenerator<SourceMember> {
    const tap = new HashingTap({highWaterMark: READ_AHEAD_BYTES})
    const extract = tar.extract()
    // The pipeline runs in the background; a fault in any stage destroys `extract`, which ends the loop below with it.
    const file = createReadStream(this.path, {highWaterMark: READ_AHEAD_BYTES})
    const piping =
      this.kind === 'tar.gz'
        ? pipeline(file, tap, createGunzip({chunkSize: GUNZIP_CHUNK_BYTES, highWaterMark: READ_AHEAD_BYTES} as ZlibOptions), extract)
        : pipeline(file, tap, extract)
    piping.catch(() => {}) // reported through the loop below
    try {
      for await (const entry of extract) {
        const {type, name} = entry.header
        const path = memberPath(name)
        const keep = (type === 'file' || type === 'contiguous-file') && wanted(path)
        if (keep) checkMemberSize(this.path, path, entry.header.size ?? 0, this.options)
        // A tar is read through in order: an unwanted member's bytes still pass, but are not kept.
        const chunks: Buffer[] = []
        for await (const chunk of entry) if (keep) chunks.push(chunk as Buffer)
        // A member within one piece of gunzip's output is that piece's bytes, not a copy (most clips are): a
        // member's bytes may share a larger buffer, as SourceMember allows.
        if (keep) yield {path, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)}
      }
      await piping
      this.digest = tap.digests.hex().sha256
    } catch (error) {
      throw this.describe(error)
    } finally {
      extract.destroy()
    }
  }

  /** Turns zlib and tar-stream faults into one line naming the archive. */
  private describe(error: unknown): Error {
    if (error instanceof UserError) return error
    const message = error instanceof Error ? error.message : String(error)
    const code = (error as {code?: string}).code ?? ''
    if (code.startsWith('Z_') || /gzip|zlib|incorrect header|unexpected end of file/i.test(message)) {
      return fileError(this.path, `corrupt gzip data (${message})`)
    }
    return fileError(this.path, `corrupt tar archive (${message})`)
  }
}

/**
 * A zip read through its central directory, one member at a time (yauzl), so that a 19 GB train2017.zip needs
 * neither the memory nor an extraction. The checksum is a second, sequential read of the file, run alongside.
 */
class ZipSource implements SourceReader {
  readonly kind = 'zip'
  private digest: string | undefined

  constructor(
    readonly path: string,
    private readonly options: SourceOptions,
  ) {}

  sha256(): string | undefined {
    return this.digest
  }

  async *members(wanted = EVERY_MEMBER): AsyncGenerator<SourceMember> {
    const hashing = sha256File(this.path)
    hashing.catch(() => {}) // reported below, once the members are read
    const file = await open(this.path, 'r').catch((error: unknown) => {
      throw this.describe(error)
    })
    const zip = await openZip(file, (await file.stat()).size).catch(async (error: unknown) => {
      await file.close()
      throw this.describe(error)
    })
    // Members are read and inflated a few ahead of the one being used, in order: each read is a few trips through
    // the thread pool, and one at a time they left the pipeline's workers waiting on them.
    const ahead: {path: string; size: number; bytes: Promise<Buffer>}[] = []
    let aheadBytes = 0
    let listed = false
    try {
      for (;;) {
        while (!listed && ahead.length < ZIP_READ_AHEAD_MEMBERS && aheadBytes < ZIP_READ_AHEAD_BYTES) {
          const entry = await nextZipEntry(zip).catch((error: unknown) => {
            throw this.describe(error)
          })
          if (!entry) {
            listed = true
            break
          }
          const path = memberPath(entry.fileName)
          if (entry.fileName.endsWith('/') || !wanted(path)) continue
          // The inflated bytes are held to the declared size (readZipEntry), so the declaration bounds what is read.
          checkMemberSize(this.path, path, entry.uncompressedSize, this.options)
          const bytes = readZipEntry(file, entry).catch((error: unknown) => {
            throw fileError(this.path, `${entry.fileName}: corrupt zip member (${(error as Error).message})`)
          })
          bytes.catch(() => {}) // reported when its turn comes
          ahead.push({path, size: entry.uncompressedSize, bytes})
          aheadBytes += entry.uncompressedSize
        }
        const next = ahead.shift()
        if (!next) break
        aheadBytes -= next.size
        yield {path: next.path, bytes: await next.bytes}
      }
      this.digest = await hashing
    } finally {
      zip.close()
      await file.close() // once the reads still in flight are done
    }
  }

  private describe(error: unknown): Error {
    if (error instanceof UserError) return error
    return fileError(this.path, `corrupt zip archive (${error instanceof Error ? error.message : String(error)})`)
  }
}

/** The size of the blocks the central directory is read in: a few thousand records each. */
const DIRECTORY_BLOCK_BYTES = 1024 * 1024

/**
 * yauzl's reads of the archive, served from blocks of DIRECTORY_BLOCK_BYTES: it reads the central directory a record
 * at a time (two small reads each), and each read was a trip through the thread pool, thousands for a large archive.
 * The file is the caller's to close; member data is read by readZipEntry, never through yauzl's streams.
 */
class BlockReader extends yauzl.RandomAccessReader {
  private block = {start: 0, bytes: Buffer.alloc(0)}

  constructor(private readonly file: FileHandle) {
    super()
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (error: Error | null, bytesRead?: number) => void): void {
    this.readBlocked(buffer, offset, length, position).then((bytesRead) => callback(null, bytesRead), callback)
  }

  private async readBlocked(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    const within = () => position >= this.block.start && position + length <= this.block.start + this.block.bytes.length
    if (!within()) {
      const bytes = Buffer.allocUnsafe(Math.max(length, DIRECTORY_BLOCK_BYTES))
      const {bytesRead} = await this.file.read(bytes, 0, bytes.length, position)
      this.block = {start: position, bytes: bytes.subarray(0, bytesRead)}
    }
    const available = Math.max(0, Math.min(length, this.block.start + this.block.bytes.length - position))
    this.block.bytes.copy(buffer, offset, position - this.block.start, position - this.block.start + available)
    return available
  }

  override close(callback: (error: Error | null) => void): void {
    setImmediate(callback, null)
  }
}

function openZip(file: FileHandle, size: number): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromRandomAccessReader(new BlockReader(file), size, {lazyEntries: true, autoClose: false}, (error, zip) => (error ? reject(error) : resolve(zip!))),
  )
}

/** The next entry of the central directory, or undefined at its end. */
function nextZipEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry)
      zip.off('end', onEnd)
      zip.off('error', onError)
    }
    const onEntry = (entry: yauzl.Entry) => (cleanup(), resolve(entry))
    const onEnd = () => (cleanup(), resolve(undefined))
    const onError = (error: Error) => (cleanup(), reject(error))
    zip.on('entry', onEntry)
    zip.on('end', onEnd)
    zip.on('error', onError)
    zip.readEntry()
  })
}

/** Bytes read past a member's declared data: room for a local extra field longer than the central one. */
const LOCAL_HEADER_SLACK = 1024
const LOCAL_HEADER_BYTES = 30
const LOCAL_HEADER_SIGNATURE = 0x04034b50
const STORED = 0
const DEFLATED = 8

/**
 * A member's bytes, checked against the size and CRC-32 the central directory records (yauzl checks neither). Its
 * local header and compressed bytes come in one positioned read and are inflated in one call: yauzl's read stream
 * and zlib's 16 KiB output pieces made a member dozens of trips through the thread pool, most of `prepare ad`'s time.
 */
async function readZipEntry(file: FileHandle, entry: yauzl.Entry): Promise<Buffer> {
  if (entry.isEncrypted()) throw new Error('encrypted')
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) throw new Error(`compression method ${entry.compressionMethod}, neither stored nor deflated`)
  const start = entry.relativeOffsetOfLocalHeader
  const guess = LOCAL_HEADER_BYTES + entry.fileNameLength + entry.extraFieldLength + entry.compressedSize + LOCAL_HEADER_SLACK
  let buffer = Buffer.allocUnsafe(guess)
  let {bytesRead} = await file.read(buffer, 0, guess, start)
  if (bytesRead < LOCAL_HEADER_BYTES || buffer.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new Error('no local file header where the central directory points')
  const dataStart = LOCAL_HEADER_BYTES + buffer.readUInt16LE(26) + buffer.readUInt16LE(28)
  const dataEnd = dataStart + entry.compressedSize
  if (dataEnd > bytesRead) {
    // A local extra field longer than the slack: read again, now that its length is known.
    buffer = Buffer.allocUnsafe(dataEnd)
    bytesRead = (await file.read(buffer, 0, dataEnd, start)).bytesRead
    if (dataEnd > bytesRead) throw new Error('the archive ends inside the member')
  }
  const stored = buffer.subarray(dataStart, dataEnd)
  if (entry.compressionMethod === STORED) return checked(stored, entry)
  // One output chunk the declared size, plus one byte: a member that inflates past its declaration is caught, not cut.
  const limit = entry.uncompressedSize + 1
  const inflated = await new Promise<Buffer>((resolve, reject) =>
    inflateRaw(stored, {maxOutputLength: limit, chunkSize: Math.max(limit, 64)}, (error, bytes) => (error ? reject(error) : resolve(bytes))),
  )
  return checked(inflated, entry)
}

function checked(bytes: Buffer, entry: yauzl.Entry): Buffer {
  if (bytes.length !== entry.uncompressedSize) {
    throw new Error(`${bytes.length} bytes, not the ${entry.uncompressedSize} the archive records`)
  }
  const crc = crc32(bytes)
  if (crc !== entry.crc32) throw new Error(`CRC-32 ${hex32(crc)}, not the ${hex32(entry.crc32)} the archive records`)
  return bytes
}

const hex32 = (value: number) => value.toString(16).padStart(8, '0')

class FolderSource implements SourceReader {
  readonly kind = 'folder'

  constructor(
    readonly path: string,
    private readonly options: SourceOptions,
  ) {}

  /** A folder has no single checksum; its clips are still checked one by one where a selection pins hashes. */
  sha256(): undefined {
    return undefined
  }

  async *members(wanted = EVERY_MEMBER): AsyncGenerator<SourceMember> {
    for await (const file of walkFiles(this.path, new Set())) {
      const path = relative(this.path, file).split(sep).join('/')
      if (!wanted(path)) continue
      checkMemberSize(this.path, path, (await stat(file)).size, this.options)
      yield {path, bytes: await readFile(file)}
    }
  }
}

/**
 * Every regular file below `folder`, as found, in sorted path order so that runs are reproducible. A folder reached
 * again (through a link back up, say) is passed over: `visited` holds the device and inode of each folder walked.
 */
async function* walkFiles(folder: string, visited: Set<string>): AsyncGenerator<string> {
  const {dev, ino} = await stat(folder)
  if (visited.has(`${dev}:${ino}`)) return
  visited.add(`${dev}:${ino}`)
  const entries = await readdir(folder, {withFileTypes: true})
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(folder, entry.name)
    // A linked file or folder counts as what it points to (a folder of images linked from elsewhere is common).
    const kind = entry.isSymbolicLink() ? await stat(full).catch(() => undefined) : entry
    if (kind?.isDirectory()) yield* walkFiles(full, visited)
    else if (kind?.isFile()) yield full
  }
}
