/**
 * Where the EEMBC EnergyRunner reads its datasets. The runner keeps its work tree (`eembc/runner/…`) under the `root=`
 * of `~/.eembc.ini` (`%USERPROFILE%` on Windows), which it writes on first start with the home folder as root
 * (energyrunner README, "Custom Configuration"); a user who moved the tree there moved the datasets with it.
 */

import {readFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {isAbsolute, join} from 'node:path'

import {fileError} from '../errors.js'

/** The datasets folder below the runner's root. */
export const EEMBC_DATASETS = join('eembc', 'runner', 'benchmarks', 'ulp-mlperf', 'datasets')
export const EEMBC_INI = '.eembc.ini'

export interface EembcDatasets {
  /** `<root>/eembc/runner/benchmarks/ulp-mlperf/datasets`. */
  folder: string
  /** The ini file that set the root; null where none does (no file, or no `root=` in it): the root is the home folder. */
  iniFile: string | null
}

/** The EnergyRunner's datasets folder, from `~/.eembc.ini` `root=` where it has one. */
export async function eembcDatasets(): Promise<EembcDatasets> {
  const home = homedir()
  const iniFile = join(home, EEMBC_INI)
  const text = await readFile(iniFile).then(
    (bytes) => decodeIni(bytes, iniFile),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null // the runner has not been started yet: it will use the home folder
      throw fileError(iniFile, `cannot read it (${error.code ?? error.message})`)
    },
  )
  const root = text === null ? null : iniRoot(text, iniFile)
  return root === null ? {folder: join(home, EEMBC_DATASETS), iniFile: null} : {folder: join(root, EEMBC_DATASETS), iniFile}
}

function decodeIni(bytes: Buffer, iniFile: string): string {
  try {
    return new TextDecoder('utf-8', {fatal: true}).decode(bytes) // a BOM is dropped
  } catch {
    throw fileError(iniFile, 'malformed: not UTF-8 text (the EnergyRunner writes key=value lines)')
  }
}

/** The last `root=` of the file's `key=value` lines (blank lines and `;` or `#` comments aside), or null. */
function iniRoot(text: string, iniFile: string): string | null {
  let root: string | null = null
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue
    const equals = line.indexOf('=')
    if (equals <= 0) throw fileError(iniFile, `malformed: line ${index + 1} is not key=value (${JSON.stringify(line.slice(0, 60))})`)
    if (line.slice(0, equals).trim() !== 'root') continue
    const value = line.slice(equals + 1).trim()
    // A relative or `~` root depends on the folder the runner starts in: refused rather than guessed.
    if (!isAbsolute(value)) {
      throw fileError(iniFile, `line ${index + 1}: root=${value} is not an absolute path (root= names the folder holding eembc/)`)
    }
    root = value
  }
  return root
}
