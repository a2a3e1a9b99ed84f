/**
 * What a submitter's folder holds, read without following a single symlink: the files with their sizes, the folders
 * (empty or not) and the symlinks (where they point, whether they leave the tree). The checker's folder rules and the
 * walk of results/ read this one listing.
 */

import {lstat, readdir, readlink} from 'node:fs/promises'
import {join, resolve, sep} from 'node:path'

export interface ListedFile {
  path: string
  size: number
}

export interface ListedSymlink {
  path: string
  target: string
  /** The target, resolved, is outside the tree being checked. */
  leavesTree: boolean
}

export interface FolderListing {
  files: ListedFile[]
  /** Every folder under the root, the root included, with whether it holds nothing at all. */
  folders: {path: string; empty: boolean}[]
  symlinks: ListedSymlink[]
  /** Entries that could not be read, and why. */
  unreadable: {path: string; reason: string}[]
}

/** Everything under `root`, in a stable order (names compared by code unit). */
export async function listFolder(root: string, tree: string): Promise<FolderListing> {
  const listing: FolderListing = {files: [], folders: [], symlinks: [], unreadable: []}
  const treeRoot = resolve(tree)

  async function walk(folder: string): Promise<void> {
    let names: string[]
    try {
      names = (await readdir(folder)).sort()
    } catch (error) {
      listing.unreadable.push({path: folder, reason: `cannot read (${errorCode(error)})`})
      return
    }
    listing.folders.push({path: folder, empty: names.length === 0})
    for (const name of names) {
      const path = join(folder, name)
      let stats
      try {
        stats = await lstat(path)
      } catch (error) {
        listing.unreadable.push({path, reason: `cannot read (${errorCode(error)})`})
        continue
      }
      if (stats.isSymbolicLink()) {
        const target = await readlink(path).catch(() => '?')
        const resolved = resolve(folder, target)
        listing.symlinks.push({path, target, leavesTree: resolved !== treeRoot && !resolved.startsWith(treeRoot + sep)})
      } else if (stats.isDirectory()) {
        await walk(path)
      } else if (stats.isFile()) {
        listing.files.push({path, size: stats.size})
      }
    }
  }

  await walk(root)
  return listing
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error)
}
