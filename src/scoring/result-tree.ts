/**
 * The result folders under a folder of the official layout (`<division>/<submitter>/results/<system>/<benchmark>/<mode>/`),
 * so `score` can take a system, a submitter, a division or a whole tree as well as one result folder.
 */

import {readdir, realpath, stat} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'

import {fileError} from '../errors.js'
import {isLogName} from './result-files.js'

/** A folder left out of the walk, and why: the walk goes on without it. */
export interface SkippedPath {
  path: string
  reason: string
}

export interface ResultTree {
  /** The folders holding a log, in a stable order: names compared by code unit, parents before children. */
  folders: string[]
  skipped: SkippedPath[]
}

/** Whether `path` is a folder above result folders: a folder holding no log of its own. */
export async function isFolderAboveResults(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isDirectory()) return false
    return !(await readdir(path)).some((name) => isLogName(name))
  } catch {
    return false // not there or unreadable: scoring the path itself says so, naming it
  }
}

/**
 * Every result folder (a folder holding `log.txt`, `*_log.txt` or their `.gz`) under `root`, without descending into
 * one. Symlinks are followed only while they stay inside the tree, and each real folder is walked once (no cycles).
 */
export async function findResultFolders(root: string): Promise<ResultTree> {
  const tree: ResultTree = {folders: [], skipped: []}
  const realRoot = await realpath(root)
  const visited = new Set<string>()

  async function walk(folder: string): Promise<void> {
    let real: string
    let names: string[]
    try {
      real = await realpath(folder)
      names = (await readdir(folder)).sort()
    } catch (error) {
      tree.skipped.push({path: folder, reason: `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`})
      return
    }
    if (real !== realRoot && !real.startsWith(realRoot + sep)) {
      tree.skipped.push({path: folder, reason: `a symlink to ${real}, outside ${root}: not followed`})
      return
    }
    if (visited.has(real)) return
    visited.add(real)
    if (names.some((name) => isLogName(name))) {
      tree.folders.push(folder)
      return
    }
    for (const name of names) {
      // hidden entries (.git, macOS ._ files) hold no results
      if (name.startsWith('.')) continue
      const child = join(folder, name)
      if (await isFolder(child)) await walk(child)
    }
  }

  await walk(root)
  return tree
}

/** A folder, or a symlink to one; a dangling symlink is not. */
async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

/** The one-line error of a folder with no result folder under it. */
export function noResultFolderError(root: string) {
  return fileError(root, 'no result folder under here (a folder holding log.txt or *_log.txt, as in'
    + ' <division>/<submitter>/results/<system>/<benchmark>/<mode>/)')
}

/** `folder` as shown under the PATH the user gave. */
export function pathUnder(root: string, folder: string): string {
  return relative(root, folder) || '.'
}
