import {readFile, rename, stat, unlink, writeFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {pathToFileURL} from 'node:url'

import type {SourceDataset, SourceFile} from '../../datasets/types.js'
import {fileError, UserError} from '../errors.js'
import {fsFailure} from '../io/fs-error.js'
import {Digests, hashFileInto, type DigestName} from '../io/hash.js'
import {checkFreeSpace, type CachePaths} from './cache.js'
import {claimDownload} from './claim.js'
import {DownloadInterrupted} from './interrupt.js'
import type {LockEntry, LockFile, VerifiedStamp} from './lock-file.js'
import {PartFile} from './part-file.js'
import {downloadCommandFor} from './plan.js'
import {htmlError, openTransfer, RestartFromScratch, TransientError, type Transfer} from './transfer.js'

/** How a cached file's bytes are known to be right. `pinned now`: none is published, this download set the sha256. */
export type ChecksumOrigin = 'published sha256' | 'published md5' | 'published git blob' | 'pinned sha256' | 'pinned now'

export interface DownloadProgress {
  file: string
  /**
   * waiting: another process is downloading this file into the same cache; checking: hashing a .part left by an
   * earlier run; downloading; verifying: hashing a file found in the cache.
   */
  phase: 'waiting' | 'checking' | 'downloading' | 'verifying' | 'done'
  /** Bytes of the file on disk (or hashed, while checking). */
  bytes: number
  totalBytes: number | undefined
}

/** A verified file in the cache. */
export interface CachedFile {
  dataset: string
  name: string
  path: string
  /** The URL asked for (the published one or the mirror's), before any redirect: for a cached file, as the lock file records. */
  url: string
  size: number
  sha256: string
  checksum: ChecksumOrigin
  /** cached: already there, nothing fetched. downloaded: fetched now (possibly resuming an earlier .part). */
  status: 'cached' | 'downloaded'
  /** Bytes of an earlier .part that were kept and not fetched again. */
  resumedFrom: number
  bytesTransferred: number
  /** Attempts that failed and were retried (dropped or stalled connections, 5xx answers). */
  retries: number
  seconds: number
}

export interface DownloadContext {
  paths: CachePaths
  lock: LockFile
  /** A base URL (http, https or file) holding the same file names; replaces each file's published URL. */
  mirror?: string
  offline: boolean
  /** Consecutive failed attempts (without a new byte) retried before giving up. */
  retries: number
  /** First wait before a retry; doubled on each failure in a row. */
  retryDelayMs: number
  stallTimeoutMs: number
  signal?: AbortSignal
  onProgress?: (progress: DownloadProgress) => void
}

interface Expected {
  size: number | undefined
  sha256: string | undefined
  md5: string | undefined
  gitBlob: string | undefined
  origin: ChecksumOrigin
}

/** --offline and the file is not in the cache. */
export class NotInCache extends UserError {
  constructor(
    readonly fileName: string,
    path: string,
  ) {
    super(`${fileName}: is not in the cache (${path}) and --offline forbids downloading it; run \`${downloadCommandFor(fileName)}\` on a machine with access, or copy the file there`)
  }
}

const MAX_RETRY_DELAY_MS = 30_000
const PART_SUFFIX = '.part'
/** Beside `<name>.part`: the validator (ETag or Last-Modified) that a resumed request sends as If-Range. */
const VALIDATOR_SUFFIX = '.validator'
const CLAIM_SUFFIX = '.lock'

type Outcome = Omit<CachedFile, 'dataset' | 'name' | 'path' | 'seconds'>

/** Returns the verified cached copy of `file`, downloading it (or the rest of it) when it is not in the cache. */
export async function cacheSourceFile(dataset: SourceDataset, file: SourceFile, context: DownloadContext): Promise<CachedFile> {
  const started = performance.now()
  const path = join(context.paths.downloads, file.name)
  const result = (outcome: Outcome): CachedFile => ({dataset: dataset.id, name: file.name, path, ...outcome, seconds: (performance.now() - started) / 1000})

  const cached = await findInCache(file, path, context)
  if (cached) return result(cached)
  if (context.offline) throw new NotInCache(file.name, path)

  const partPath = path + PART_SUFFIX
  const release = await claimDownload(`${partPath}${CLAIM_SUFFIX}`, {
    signal: context.signal,
    onWait: () => context.onProgress?.({file: file.name, phase: 'waiting', bytes: 0, totalBytes: file.size}),
  }).catch((error: unknown) => {
    if (context.signal?.aborted) throw new DownloadInterrupted([])
    throw error
  })
  try {
    // Another process may have downloaded it while this one waited for its claim.
    const cachedMeanwhile = await findInCache(file, path, context)
    if (cachedMeanwhile) return result(cachedMeanwhile)
    const expected = expectedChecksums(file, await context.lock.get(file.name))
    const url = sourceUrl(file, context.mirror)
    const downloaded = await download(file, url, path, partPath, expected, context)
    // Stamped as it is under its final name: the rename changed its change time.
    const stamp = await stampOf(path)
    if (!stamp) throw fileError(path, 'vanished right after its download (removed by another program?)')
    await context.lock.record(file.name, lockEntryFor(url, downloaded, expected, stamp))
    const {size, sha256, resumedFrom, bytesTransferred, retries} = downloaded
    return result({url, size, sha256, checksum: expected.origin, status: 'downloaded', resumedFrom, bytesTransferred, retries})
  } finally {
    await release()
  }
}

/**
 * The file under its final name, if it is there and right: recorded in the lock file as verified and unchanged on
 * disk since, or checked now.
 */
async function findInCache(file: SourceFile, path: string, context: DownloadContext): Promise<Outcome | undefined> {
  const stamp = await stampOf(path)
  if (!stamp) return undefined
  const lockEntry = await context.lock.get(file.name)
  const expected = expectedChecksums(file, lockEntry)
  const unchanged = {status: 'cached', checksum: expected.origin, resumedFrom: 0, bytesTransferred: 0, retries: 0} as const
  if (recordedAsVerified(file, lockEntry, stamp.size)) {
    if (sameStamp(lockEntry.verified, stamp)) return {...unchanged, url: lockEntry.url, size: lockEntry.size, sha256: lockEntry.sha256}
    // Touched, rewritten or replaced since it was hashed (or hashed before stamps were kept): its bytes again.
    await verifyFileInCache(file, path, expected, stamp.size, context, 'has changed since it was verified')
    // In a read-only cache (a shared mount) the new stamp cannot be kept: the file is hashed again on each use.
    await context.lock.record(file.name, {...lockEntry, verified: stamp}).catch(() => undefined)
    return {...unchanged, url: lockEntry.url, size: lockEntry.size, sha256: lockEntry.sha256}
  }
  // Put there by hand (copied from another machine) or changed since: trusted only once its bytes are checked,
  // and recorded under the published URL, where such a copy comes from in the end.
  const verified = await verifyFileInCache(file, path, expected, stamp.size, context, 'was not downloaded by tinydata or has changed since')
  await context.lock.record(file.name, lockEntryFor(file.url, verified, expected, stamp))
  return {...unchanged, url: file.url, size: stamp.size, sha256: verified.sha256}
}

/** The stamp of the file at `path` now; undefined when there is no such file. */
async function stampOf(path: string): Promise<VerifiedStamp | undefined> {
  const info = await stat(path, {bigint: true}).catch(() => undefined)
  if (!info) return undefined
  return {size: Number(info.size), mtimeNs: String(info.mtimeNs), ctimeNs: String(info.ctimeNs), inode: String(info.ino)}
}

function sameStamp(recorded: VerifiedStamp | undefined, now: VerifiedStamp): boolean {
  return recorded !== undefined && recorded.size === now.size && recorded.mtimeNs === now.mtimeNs && recorded.ctimeNs === now.ctimeNs && recorded.inode === now.inode
}

/** `<mirror>/<file name>` with a mirror (an http(s) or file URL, or a plain folder path), else the published URL. */
function sourceUrl(file: SourceFile, mirror: string | undefined): string {
  if (!mirror) return file.url
  // A scheme has two letters at least, so that a Windows drive (C:\…) counts as a folder path.
  const base = /^[a-z][a-z\d+.-]+:/i.test(mirror) ? mirror : pathToFileURL(resolve(mirror)).href
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(file.name)}`
}

/**
 * sha256 when published, else md5 or a git blob id when published, else the sha256 the lock file pinned, else none
 * yet (pin now).
 */
function expectedChecksums(file: SourceFile, lockEntry: LockEntry | undefined): Expected {
  const none = {sha256: undefined, md5: undefined, gitBlob: undefined}
  if (file.sha256) return {...none, size: file.size, sha256: file.sha256, origin: 'published sha256'}
  if (file.md5) return {...none, size: file.size, md5: file.md5, origin: 'published md5'}
  if (file.gitBlob) {
    // The id hashes the size before the bytes: a definition giving the id gives the size too.
    if (file.size === undefined) throw new Error(`${file.name}: a git blob id is published without the size it hashes`)
    return {...none, size: file.size, gitBlob: file.gitBlob, origin: 'published git blob'}
  }
  if (lockEntry) return {...none, size: file.size ?? lockEntry.size, sha256: lockEntry.sha256, origin: 'pinned sha256'}
  return {...none, size: file.size, origin: 'pinned now'}
}

/** Whether the lock file records a file of this size as the right bytes of `file`. */
function recordedAsVerified(file: SourceFile, entry: LockEntry | undefined, size: number | undefined): entry is LockEntry {
  return entry !== undefined && entry.size === size && agrees(entry, expectedChecksums(file, entry))
}

/**
 * Whether the file at `path` is the verified copy the lock file records, unchanged on disk since its bytes were
 * hashed: what `download --list` calls cached (a changed one is hashed again on its next use).
 */
export async function verifiedAndUnchanged(file: SourceFile, entry: LockEntry | undefined, path: string): Promise<boolean> {
  const stamp = await stampOf(path)
  return stamp !== undefined && recordedAsVerified(file, entry, stamp.size) && sameStamp(entry.verified, stamp)
}

function agrees(entry: LockEntry, expected: Expected): boolean {
  return (
    (expected.size === undefined || entry.size === expected.size) &&
    (expected.sha256 === undefined || entry.sha256 === expected.sha256) &&
    (expected.md5 === undefined || entry.md5 === expected.md5) &&
    (expected.gitBlob === undefined || entry.gitBlob === expected.gitBlob)
  )
}

function digestNames(expected: Expected): DigestName[] {
  // sha256 always: it is what the lock file records; md5 or the git blob id only to check a published one.
  return ['sha256', ...(expected.md5 ? ['md5' as const] : []), ...(expected.gitBlob ? ['git-blob' as const] : [])]
}

interface Verified {
  size: number
  sha256: string
  md5: string | undefined
  gitBlob: string | undefined
}

function lockEntryFor(url: string, verified: Verified, expected: Expected, stamp: VerifiedStamp): LockEntry {
  const pinned = expected.origin === 'pinned now' || expected.origin === 'pinned sha256'
  return {
    url,
    size: verified.size,
    sha256: verified.sha256,
    ...(verified.md5 ? {md5: verified.md5} : {}),
    ...(verified.gitBlob ? {gitBlob: verified.gitBlob} : {}),
    checksum: pinned ? 'pinned' : 'published',
    downloadedAt: new Date().toISOString(),
    verified: stamp,
  }
}

/** Hashes a file found in the cache; `why` says, in the error, why it may not be what it should. */
async function verifyFileInCache(file: SourceFile, path: string, expected: Expected, size: number, context: DownloadContext, why: string): Promise<Verified> {
  const hashes = new Digests(digestNames(expected), size)
  await hashFileInto(hashes, path, {onBytes: (bytes) => context.onProgress?.({file: file.name, phase: 'verifying', bytes, totalBytes: size})})
  const digests: Partial<Record<DigestName, string>> = hashes.hex()
  const problem = mismatch(file, {size, ...digests}, expected)
  if (problem) throw fileError(path, `${problem}; this file ${why}: delete it to download it again (\`${downloadCommandFor(file.name)}\`)`)
  return {size, sha256: digests.sha256!, md5: digests.md5, gitBlob: digests['git-blob']}
}

/** What is wrong with the bytes, or undefined when they are the expected ones. */
function mismatch(file: SourceFile, got: {size: number} & Partial<Record<DigestName, string>>, expected: Expected): string | undefined {
  if (expected.size !== undefined && got.size !== expected.size) return `is ${got.size} bytes, not the ${expected.size} of ${file.name}`
  if (expected.sha256 && got.sha256 !== expected.sha256) {
    const source = expected.origin === 'pinned sha256' ? 'sha256 pinned on its first download (the lock file; delete its entry there if the publisher really changed the file)' : 'published sha256'
    return `sha256 ${got.sha256} is not the ${source} ${expected.sha256} of ${file.name}`
  }
  if (expected.md5 && got.md5 !== expected.md5) return `md5 ${got.md5} is not the published md5 ${expected.md5} of ${file.name}`
  if (expected.gitBlob && got['git-blob'] !== expected.gitBlob) return `git blob id ${got['git-blob']} is not the published git blob id ${expected.gitBlob} of ${file.name}`
  return undefined
}

interface Downloaded extends Verified {
  resumedFrom: number
  bytesTransferred: number
  retries: number
}

/**
 * Fetches `url` into `<path>.part`, resuming what an earlier run left there, and renames it to `path` once its size
 * and checksum are right. Bytes known to be wrong (a checksum mismatch, a body longer than the file) are deleted;
 * bytes that are merely incomplete (dropped connection, Ctrl-C, full disk) stay in the .part for the next run.
 */
async function download(file: SourceFile, url: string, path: string, partPath: string, expected: Expected, context: DownloadContext): Promise<Downloaded> {
  const report = (phase: DownloadProgress['phase'], bytes: number, totalBytes: number | undefined) =>
    context.onProgress?.({file: file.name, phase, bytes, totalBytes})
  const part = await PartFile.open(partPath, digestNames(expected), expected.size, (bytes) => report('checking', bytes, expected.size))
  const interrupted = () => new DownloadInterrupted([{path: partPath, bytes: part.size, totalBytes: fileSize}])
  const validatorPath = partPath + VALIDATOR_SUFFIX
  /** The ETag or Last-Modified of the version the .part's bytes came from, kept beside it for the next run. */
  let validator = part.size > 0 ? await readFile(validatorPath, 'utf8').catch(() => undefined) : undefined
  let fileSize = expected.size
  let bytesTransferred = 0
  let retries = 0
  let completed = false
  try {
    if (fileSize !== undefined && part.size > fileSize) await part.restart() // longer than the file: not a prefix of it
    let failuresInARow = 0
    while (fileSize === undefined || part.size < fileSize) {
      const received = {bytes: 0}
      try {
        const transfer = await openTransfer(url, part.size, {stallTimeoutMs: context.stallTimeoutMs, ifRange: part.size > 0 ? validator : undefined, signal: context.signal})
        try {
          if (transfer.start === 0 && transfer.validator !== validator) {
            // A body from the first byte (a new download, or the file changed since the .part began): its version.
            validator = transfer.validator
            await (validator === undefined ? unlink(validatorPath).catch(() => undefined) : writeFile(validatorPath, validator))
          }
          fileSize = await receive(transfer, part, file, expected, context, received, (bytes) => report('downloading', bytes, fileSize))
        } finally {
          transfer.close()
        }
        break
      } catch (error) {
        await part.flush() // what did arrive is good and stays: the next attempt resumes after it
        if (context.signal?.aborted) throw interrupted()
        if (error instanceof RestartFromScratch) await part.restart()
        if (!(error instanceof TransientError)) throw error
        failuresInARow = received.bytes > 0 ? 1 : failuresInARow + 1
        if (failuresInARow > context.retries) {
          const kept = part.size > 0 ? `the ${part.size} bytes received are kept in ${partPath}: run again to resume` : 'nothing was received'
          throw fileError(url, `${error.message}, ${failuresInARow} attempts in a row; ${kept}`)
        }
        retries++
        await sleep(retryDelay(failuresInARow, context.retryDelayMs, error.retryAfterMs), undefined, {signal: context.signal}).catch(() => {
          throw interrupted()
        })
      } finally {
        bytesTransferred += received.bytes
      }
    }
    await part.flush()
    const digests = part.digests()
    const problem = mismatch(file, {size: part.size, ...digests}, {...expected, size: fileSize})
    if (problem) {
      await part.restart() // bytes known to be wrong; the empty .part is removed when the download ends
      throw fileError(url, `${problem}; the download was deleted`)
    }
    await part.complete()
    completed = true
    await unlink(validatorPath).catch(() => undefined)
    await rename(partPath, path).catch((error: NodeJS.ErrnoException) => {
      throw fileError(path, `cannot be created (${fsFailure(error)})`)
    })
    report('done', part.size, part.size)
    return {size: part.size, sha256: digests.sha256!, md5: digests.md5, gitBlob: digests['git-blob'], resumedFrom: part.keptFromEarlierRun, bytesTransferred, retries}
  } finally {
    if (!completed) {
      await part.close()
      // An empty .part holds nothing worth resuming.
      if (part.size === 0) await Promise.all([partPath, validatorPath].map((leftover) => unlink(leftover).catch(() => undefined)))
    }
  }
}

/** Appends one response's body to the part file; returns the file's size once known. */
async function receive(
  transfer: Transfer,
  part: PartFile,
  file: SourceFile,
  expected: Expected,
  context: DownloadContext,
  received: {bytes: number},
  onBytes: (bytes: number) => void,
): Promise<number | undefined> {
  // The first bytes first: an HTML page in place of the archive is the clearest thing to report about it.
  const chunks = transfer.chunks[Symbol.asyncIterator]()
  const first = await chunks.next()
  if (transfer.start === 0 && !first.done && looksLikeHtml(first.value)) throw htmlError(transfer.url, 'the body starts with "<"')
  const total = transfer.totalBytes
  if (expected.size !== undefined && total !== undefined && total !== expected.size) {
    throw fileError(transfer.url, `serves ${total} bytes, but ${file.name} is ${expected.size} bytes (${expected.origin === 'pinned sha256' ? 'as first downloaded' : 'as published'}): a different or damaged file`)
  }
  if (transfer.start !== part.size) {
    if (transfer.start !== 0) throw new RestartFromScratch(`asked for bytes from ${part.size}, got bytes from ${transfer.start}`)
    await part.restart() // the server ignored Range and sends the whole file: a clean restart
  }
  const fileSize = expected.size ?? total
  if (total !== undefined && part.size > total) throw new RestartFromScratch(`the .part (${part.size} bytes) is longer than the file (${total} bytes)`)
  if (fileSize !== undefined) await checkFreeSpace(context.paths.downloads, fileSize - part.size)
  for (let next = first; !next.done; next = await chunks.next()) {
    const chunk = next.value
    if (fileSize !== undefined && part.size + chunk.length > fileSize) {
      await part.restart() // bytes known to be wrong; the empty .part is removed when the download ends
      throw fileError(transfer.url, `sends more than the ${fileSize} bytes of ${file.name}; the download was deleted`)
    }
    await part.append(chunk)
    received.bytes += chunk.length
    onBytes(part.size)
  }
  if (fileSize !== undefined && part.size < fileSize) throw new TransientError(`the connection ended after ${part.size} of ${fileSize} bytes`)
  return fileSize ?? part.size
}

/** An archive never starts with "<": this is an HTML (or XML) page answered in its place. */
function looksLikeHtml(chunk: Buffer): boolean {
  return /^\s*</.test(chunk.subarray(0, 64).toString('latin1'))
}


function retryDelay(failuresInARow: number, baseMs: number, retryAfterMs: number | undefined): number {
  const backoff = Math.min(baseMs * 2 ** (failuresInARow - 1), MAX_RETRY_DELAY_MS)
  return Math.max(backoff, retryAfterMs ?? 0)
}
