/** The `--json` view of `tinydata download` and `download --list`: snake_case keys (the library types stay camelCase). */

import type {CachePaths} from './cache.js'
import type {CachedFile, ChecksumOrigin} from './download-file.js'
import type {CacheStatus} from './index.js'
import type {PlannedFile} from './plan.js'

/** Which of the benchmarks on the command line asked for a file, and whether their stimuli can do without it. */
interface RequestedJson {
  benchmarks: string[]
  optional: boolean
}

export interface DownloadedFileJson extends RequestedJson {
  dataset: string
  name: string
  path: string
  url: string
  size: number
  sha256: string
  checksum: ChecksumOrigin
  status: CachedFile['status']
  resumed_from: number
  bytes_transferred: number
  retries: number
  seconds: number
}

export interface DownloadJson {
  home: string
  lock_file: string
  mirror: string | null
  files: DownloadedFileJson[]
}

export interface ListedFileJson extends RequestedJson {
  dataset: string
  name: string
  url: string
  format: CacheStatus['format']
  size: number | null
  sha256: string | null
  md5: string | null
  pinned_sha256: string | null
  status: CacheStatus['status']
  path: string
  partial_bytes: number
}

export interface DownloadListJson {
  home: string
  lock_file: string
  files: ListedFileJson[]
}

/** `files[i]` is the download of `planned[i]`. */
export function downloadToJson(paths: CachePaths, mirror: string | null, files: readonly CachedFile[], planned: readonly PlannedFile[]): DownloadJson {
  return {
    home: paths.home,
    lock_file: paths.lockFile,
    mirror,
    files: files.map((file, index) => ({
      dataset: file.dataset,
      name: file.name,
      path: file.path,
      url: file.url,
      size: file.size,
      sha256: file.sha256,
      checksum: file.checksum,
      status: file.status,
      resumed_from: file.resumedFrom,
      bytes_transferred: file.bytesTransferred,
      retries: file.retries,
      seconds: file.seconds,
      ...requested(planned[index]!),
    })),
  }
}

/** `statuses[i]` is the cache status of `planned[i]`. */
export function downloadListToJson(paths: CachePaths, statuses: readonly CacheStatus[], planned: readonly PlannedFile[]): DownloadListJson {
  return {
    home: paths.home,
    lock_file: paths.lockFile,
    files: statuses.map((status, index) => ({
      dataset: status.dataset,
      name: status.name,
      url: status.url,
      format: status.format,
      size: status.size,
      sha256: status.sha256,
      md5: status.md5,
      pinned_sha256: status.pinnedSha256,
      status: status.status,
      path: status.path,
      partial_bytes: status.partialBytes,
      ...requested(planned[index]!),
    })),
  }
}

function requested(planned: PlannedFile): RequestedJson {
  return {benchmarks: planned.benchmarks, optional: planned.optional}
}
