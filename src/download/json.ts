/** The `--json` view of `tinydata download` and `download --list`: the results with snake_case keys, and who asked. */
import {snakeCaseKeys, type SnakeCased} from '../formats/json-case.js'
import type {CachePaths} from './cache.js'
import type {CachedFile} from './download-file.js'
import type {CacheStatus} from './index.js'
import type {PlannedFile} from './plan.js'

/** Which of the benchmarks on the command line asked for a file, and whether their stimuli can do without it. */
type Requested = Pick<PlannedFile, 'benchmarks' | 'optional'>

export interface DownloadJson {
  home: string
  lock_file: string
  mirror: string | null
  files: (SnakeCased<CachedFile> & Requested)[]
}

export interface DownloadListJson {
  home: string
  lock_file: string
  files: (SnakeCased<CacheStatus> & Requested)[]
}

/** `files[i]` is the download of `planned[i]`. */
export function downloadToJson(paths: CachePaths, mirror: string | null, files: readonly CachedFile[], planned: readonly PlannedFile[]): DownloadJson {
  return {home: paths.home, lock_file: paths.lockFile, mirror, files: files.map((file, index) => ({...snakeCaseKeys(file), ...requested(planned[index]!)}))}
}

/** `statuses[i]` is the cache status of `planned[i]`. */
export function downloadListToJson(paths: CachePaths, statuses: readonly CacheStatus[], planned: readonly PlannedFile[]): DownloadListJson {
  return {home: paths.home, lock_file: paths.lockFile, files: statuses.map((status, index) => ({...snakeCaseKeys(status), ...requested(planned[index]!)}))}
}

function requested({benchmarks, optional}: PlannedFile): Requested {
  return {benchmarks, optional}
}
