import {readFileSync} from 'node:fs'
import {isAbsolute} from 'node:path'

import {fileError} from '../errors.js'
import {packageFile} from '../package-files.js'

/** One row of a pinned ad01 y_labels list: `file,2,label,2560,512`. */
export interface AdListEntry {
  file: string
  label: number
}

/** A pinned file: a path inside the package (manifests/…) or an absolute one. */
function readPinned(path: string): {path: string; text: string} {
  const full = isAbsolute(path) ? path : packageFile(path)
  try {
    return {path: full, text: readFileSync(full, 'utf8')}
  } catch (error) {
    throw fileError(full, `cannot read the pinned list (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
}

/**
 * The rows of a y_labels list, in its order, checked against the benchmark's class count and window fields (a
 * list that disagrees would make stimuli the runner slices differently).
 */
export function loadAdList(path: string, classes: number, windowBytes: number, strideBytes: number): AdListEntry[] {
  const list = readPinned(path)
  return list.text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const [file, classCount, label, window, stride, ...rest] = line.trim().split(',')
      const valid =
        file && rest.length === 0 && Number(classCount) === classes && Number(window) === windowBytes && Number(stride) === strideBytes &&
        Number.isInteger(Number(label)) && Number(label) >= 0 && Number(label) < classes
      if (!valid) throw fileError(list.path, `line ${index + 1} is not "file,${classes},label,${windowBytes},${strideBytes}": ${line}`)
      return {file: file!, label: Number(label)}
    })
}

/** `file<TAB>sha256` after a header line: the sha256 of each official stimulus file. */
export function loadAdOfficialSha256(path: string): Map<string, string> {
  const table = readPinned(path)
  const rows = table.text.trim().split('\n').slice(1)
  return new Map(
    rows.map((line, index) => {
      const [file, sha256] = line.split('\t')
      if (!file || !/^[0-9a-f]{64}$/.test(sha256 ?? '')) throw fileError(table.path, `line ${index + 2} is not "file<TAB>sha256": ${line}`)
      return [file, sha256!]
    }),
  )
}
