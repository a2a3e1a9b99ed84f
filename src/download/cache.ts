import {statfs} from 'node:fs/promises'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'

import {fileError} from '../errors.js'
import {fsFailure} from '../io/fs-error.js'
import {makeFolder} from '../io/make-folder.js'

/** Where the cache lives, in this order: the `home` option, `$TINYDATA_HOME`, the platform's per-user cache folder. */
export const HOME_ENV = 'TINYDATA_HOME'

export interface CachePaths {
  home: string
  /**
   * The verified files under their published names, and nothing else but downloads in progress (`.part`, with their
   * `.part.lock` claim and `.part.validator`): a lab can serve this very folder as a mirror (`--mirror file:///…/downloads/`
   * or over HTTP).
   */
  downloads: string
  /** JSON record of every verified download (URL, size, sha256, when), beside the files rather than among them. */
  lockFile: string
}

export function cachePaths(home?: string): CachePaths {
  const root = resolve(home ?? (process.env[HOME_ENV] || defaultCacheHome()))
  return {home: root, downloads: join(root, 'downloads'), lockFile: join(root, 'downloads-lock.json')}
}

/** The per-user cache folder of the platform (XDG on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows). */
function defaultCacheHome(): string {
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'tinydata', 'Cache')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'tinydata')
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tinydata')
}

/** Node's recursive mkdir is not used: on a read-only mount it answers ENOENT, not EROFS (makeFolder says why). */
export async function createDownloadsFolder(paths: CachePaths): Promise<void> {
  await makeFolder(paths.downloads).catch((error: unknown) => {
    throw fileError(paths.downloads, `cannot create the download cache (${fsFailure(error)}); set ${HOME_ENV} to a writable folder`)
  })
}

/** Fails before a download that cannot fit, rather than after filling the disk. */
export async function checkFreeSpace(folder: string, bytesNeeded: number): Promise<void> {
  if (bytesNeeded <= 0) return
  const {bavail, bsize} = await statfs(folder)
  const free = bavail * bsize
  if (free < bytesNeeded) {
    throw fileError(folder, `not enough free disk space: ${bytesNeeded} bytes needed, ${free} free (free some space or set ${HOME_ENV} to another disk)`)
  }
}
