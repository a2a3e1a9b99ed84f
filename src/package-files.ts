import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The folder holding tinydata's package.json, whether running from src/ (tests) or dist/src/ (installed). */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('tinydata: cannot find its own package.json')
    dir = parent
  }
  return dir
}

export const PACKAGE_ROOT = findPackageRoot()

/** Absolute path of a file shipped with the package (`manifests/…`, `samples/…`). */
export function packageFile(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts)
}
