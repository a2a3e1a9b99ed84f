/**
 * The download cache: source archives fetched once, resumed after interruptions, verified before they take their
 * final name, from the publisher, a mirror (http, https, file) or nowhere (--offline).
 */
import {stat} from 'node:fs/promises'
import {join} from 'node:path'

import type {SourceDataset, SourceFile} from '../../datasets/types.js'
import {FileError, UserError} from '../errors.js'
import {settleConcurrently} from '../parallel/concurrently.js'
import {cachePaths, checkFreeSpace, createDownloadsFolder, type CachePaths} from './cache.js'
import {cacheSourceFile, NotInCache, verifiedAndUnchanged, type CachedFile, type DownloadContext, type DownloadProgress} from './download-file.js'
import {DownloadInterrupted, type KeptPart} from './interrupt.js'
import {LockFile, type LockEntry} from './lock-file.js'
import {downloadCommandFor} from './plan.js'

export {cachePaths, HOME_ENV, type CachePaths} from './cache.js'
export {NotInCache, type CachedFile} from './download-file.js'
export {abortOnSigint, DownloadInterrupted} from './interrupt.js'
export {BENCHMARK_NAMES, downloadCommandFor, planDownloads, type PlannedFile} from './plan.js'
export {DownloadProgressBoard} from './progress.js'
export {formatBytes, shortDigest} from './format.js'

export interface DownloadOptions {
  /** The cache folder (default `$TINYDATA_HOME`, else the platform's per-user cache folder). */
  home?: string
  /** A base URL holding the same file names: http(s)://host/path/, file:///folder/ or a folder path. */
  mirror?: string
  /** Use the cache only; a missing file is an error naming the command that fetches it. */
  offline?: boolean
  onProgress?: (progress: DownloadProgress) => void
  /** Stops every download, keeping the .part files (DownloadInterrupted). */
  signal?: AbortSignal
  /** Files fetched at the same time (default 3). */
  concurrency?: number
  /** Failed attempts in a row, without a new byte, retried before giving up (default 5). */
  retries?: number
  /** First wait before a retry, doubled on each failure in a row, at most 30 s (default 1000). */
  retryDelayMs?: number
  /** A connection silent for this long is dropped and retried (default 30000). */
  stallTimeoutMs?: number
}

const DEFAULTS = {concurrency: 3, retries: 5, retryDelayMs: 1000, stallTimeoutMs: 30_000}

/**
 * The local path of a verified copy of `fileName` of `dataset`, downloading it into the cache if it is not there.
 * What the `prepare` commands call when no `--source` is given.
 */
export async function ensureSourceFile(dataset: SourceDataset, fileName: string, options: DownloadOptions = {}): Promise<string> {
  const file = dataset.files.find((candidate) => candidate.name === fileName)
  if (!file) throw new Error(`${dataset.id} has no file ${fileName}`)
  const [cached] = await downloadSourceFiles([{dataset, file}], options)
  return cached!.path
}

/**
 * Brings every file into the cache (at most `concurrency` at a time) and returns them in the order given. A file
 * that fails does not stop the others; the failures are then reported together, one line.
 */
export async function downloadSourceFiles(files: readonly {dataset: SourceDataset; file: SourceFile}[], options: DownloadOptions = {}): Promise<CachedFile[]> {
  const paths = cachePaths(options.home)
  if (!options.offline) {
    await createDownloadsFolder(paths)
    await checkFreeSpace(paths.downloads, await bytesStillNeeded(files, paths))
  }
  const context: DownloadContext = {
    paths,
    lock: new LockFile(paths.lockFile),
    mirror: options.mirror,
    offline: Boolean(options.offline),
    retries: options.retries ?? DEFAULTS.retries,
    retryDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
    stallTimeoutMs: options.stallTimeoutMs ?? DEFAULTS.stallTimeoutMs,
    signal: options.signal,
    onProgress: options.onProgress,
  }
  const settled = await settleConcurrently(files, options.concurrency ?? DEFAULTS.concurrency, async ({dataset, file}) => {
    if (options.signal?.aborted) throw new DownloadInterrupted([])
    return cacheSourceFile(dataset, file, context)
  })
  const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []))
  if (failures.length === 0) return settled.map((outcome) => (outcome as PromiseFulfilledResult<CachedFile>).value)

  if (options.signal?.aborted) {
    const kept: KeptPart[] = failures.flatMap((failure) => (failure instanceof DownloadInterrupted ? failure.parts : []))
    throw new DownloadInterrupted(kept)
  }
  const bug = failures.find((failure) => !(failure instanceof UserError))
  if (bug) throw bug
  if (failures.length === 1) throw failures[0]
  if (failures.every((failure) => failure instanceof NotInCache)) throw notInCacheError(failures as NotInCache[], paths)
  const done = settled.length - failures.length
  const others = done > 0 ? ` (the other ${done} are in the cache)` : ''
  throw new UserError(`${failures.length} of ${settled.length} files failed${others}: ${sameProblemOnce(failures as UserError[])}`)
}

/** The failures' messages, where several files failed alike the problem said once: `<problem>: <file>, <file>; …`. */
function sameProblemOnce(failures: readonly UserError[]): string {
  const filesByProblem = new Map<string, string[]>()
  const others: string[] = []
  for (const failure of failures) {
    if (failure instanceof FileError) filesByProblem.set(failure.problem, [...(filesByProblem.get(failure.problem) ?? []), failure.file])
    else others.push(failure.message)
  }
  const grouped = [...filesByProblem].map(([problem, files]) => (files.length === 1 ? `${files[0]}: ${problem}` : `${problem}: ${files.join(', ')}`))
  return [...grouped, ...others].join('; ')
}

function notInCacheError(missing: readonly NotInCache[], paths: CachePaths): UserError {
  const names = missing.map((failure) => failure.fileName)
  return new UserError(
    `${names.join(', ')}: not in the cache (${paths.downloads}) and --offline forbids downloading them; run \`${downloadCommandFor(...names)}\` on a machine with access, or copy the files there`,
  )
}

/** Bytes the downloads still need on disk, counting only files whose size is published. */
async function bytesStillNeeded(files: readonly {file: SourceFile}[], paths: CachePaths): Promise<number> {
  let needed = 0
  for (const {file} of files) {
    if (file.size === undefined || (await sizeOf(join(paths.downloads, file.name))) !== undefined) continue
    needed += file.size - ((await sizeOf(join(paths.downloads, `${file.name}.part`))) ?? 0)
  }
  return needed
}

async function sizeOf(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.size
}

/** What the cache holds of a file, for `tinydata download --list`. */
export interface CacheStatus {
  dataset: string
  name: string
  url: string
  format: SourceFile['format']
  size: number | null
  /** The published digests, and the sha256 the lock file pinned where none is published. */
  sha256: string | null
  md5: string | null
  gitBlob: string | null
  pinnedSha256: string | null
  /**
   * cached: verified, in the lock file and unchanged since. unverified: a file of that name that tinydata has not
   * checked yet, or that has changed since it was (hashed again on its next use).
   */
  status: 'cached' | 'unverified' | 'partial' | 'missing'
  path: string
  partialBytes: number
}

export async function cacheStatus(files: readonly {dataset: SourceDataset; file: SourceFile}[], options: {home?: string} = {}): Promise<CacheStatus[]> {
  const paths = cachePaths(options.home)
  const entries = await new LockFile(paths.lockFile).entries()
  const statuses: CacheStatus[] = []
  for (const {dataset, file} of files) {
    const path = join(paths.downloads, file.name)
    const entry: LockEntry | undefined = entries[file.name]
    const size = await sizeOf(path)
    const partialBytes = (await sizeOf(`${path}.part`)) ?? 0
    const status = size !== undefined ? ((await verifiedAndUnchanged(file, entry, path)) ? 'cached' : 'unverified') : partialBytes > 0 ? 'partial' : 'missing'
    statuses.push({
      dataset: dataset.id,
      name: file.name,
      url: file.url,
      format: file.format,
      size: file.size ?? entry?.size ?? null,
      sha256: file.sha256 ?? null,
      md5: file.md5 ?? null,
      gitBlob: file.gitBlob ?? null,
      pinnedSha256: !file.sha256 && !file.md5 && !file.gitBlob && entry ? entry.sha256 : null,
      status,
      path,
      partialBytes,
    })
  }
  return statuses
}
