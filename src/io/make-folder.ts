import {mkdir, stat} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

/**
 * `mkdir -p`: makes `folder` and its missing parents, one level at a time, and returns the first one it made (undefined
 * if the folder was there). Node's recursive mkdir is not used: where the file system refuses a folder though its
 * parent exists (under /proc it answers ENOENT) it climbs back up and retries without end. Here that is an error,
 * thrown as the file system gave it (its `code` says why).
 */
export async function makeFolder(folder: string): Promise<string | undefined> {
  const missing: string[] = []
  for (let path = resolve(folder); ; path = dirname(path)) {
    const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' && dirname(path) !== path) return undefined
      throw error
    })
    if (found?.isDirectory()) break
    if (found) await mkdir(path) // a file in the way: fails as mkdir -p fails there (EEXIST)
    missing.unshift(path)
  }
  for (const path of missing) {
    // EEXIST: another run made it meanwhile (a file of that name fails the next mkdir, or the caller's first write).
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
    })
  }
  return missing[0]
}
