/** Ground truth: the `y_labels.csv` lists (spec §2.1) and the choice of the one a log used. */

import {stat} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {fileError} from '../errors.js'
import {Y_LABELS_FILE} from '../output/runner-folder.js'
import {packageFile} from '../package-files.js'
import {readMaybeGzip} from './result-files.js'

export interface LabelList {
  /** `kws01`, `ic01_v0.5`, …; for a list given with `--labels`, its file name. */
  name: string
  /** The benchmark an official list belongs to; null for a user's list. */
  benchmark: string | null
  source: string
  /** Column 2 of y_labels.csv; the ER AUC is averaged over these classes, not over the outputs (spec §4 trap 5). */
  classCount: number
  /** File name → class. Repeated rows collapse into one, as the EnergyRunner does (spec §1.5 item 5). */
  classes: Map<string, number>
}

/** The lists embedded under `manifests/labels/` (see its README for their sources). */
const OFFICIAL_LISTS = [
  {name: 'kws01', benchmark: 'kws01'},
  {name: 'vww01', benchmark: 'vww01'},
  {name: 'ic01', benchmark: 'ic01'},
  {name: 'ic01_v0.5', benchmark: 'ic01'},
  {name: 'ad01', benchmark: 'ad01'},
  {name: 'ad01_alt', benchmark: 'ad01'},
]

let officialLists: Promise<LabelList[]> | undefined

export function officialLabelLists(): Promise<LabelList[]> {
  officialLists ??= Promise.all(OFFICIAL_LISTS.map(async ({name, benchmark}) => {
    const source = packageFile('manifests', 'labels', `${name}.csv`)
    const text = (await readMaybeGzip(source)).toString('utf8')
    return {...parseLabelCsv(text, source, name), benchmark}
  }))
  return officialLists
}

/** `--labels`: a y_labels.csv, or a prepared stimulus folder holding one. */
export async function readLabelsOption(path: string): Promise<LabelList> {
  let file = path
  try {
    if ((await stat(path)).isDirectory()) file = join(path, Y_LABELS_FILE)
  } catch {
    throw fileError(path, 'no such file or folder')
  }
  try {
    await stat(file)
  } catch {
    throw fileError(path, `no ${Y_LABELS_FILE} in this folder`)
  }
  const text = (await readMaybeGzip(file)).toString('utf8')
  return parseLabelCsv(text, file, basename(file))
}

/** Rows `file,classes,label[,window,stride]`, no header; spaces around fields are allowed (kws01-open lists have them). */
export function parseLabelCsv(text: string, source: string, name: string): LabelList {
  const classes = new Map<string, number>()
  let classCount: number | null = null
  for (const [index, rawLine] of text.split('\n').entries()) {
    const line = rawLine.trim()
    if (line === '') continue
    const where = `line ${index + 1}`
    const fields = line.split(',').map((field) => field.trim())
    const [file, count, label] = [fields[0], Number(fields[1]), Number(fields[2])]
    if (fields.length < 3 || file === '' || !Number.isInteger(count) || !Number.isInteger(label)) {
      throw fileError(source, `${where}: expected "file,classes,label", got "${line.slice(0, 60)}"`)
    }
    classCount ??= count
    if (count !== classCount) throw fileError(source, `${where}: ${count} classes, but the first row says ${classCount}`)
    if (label < 0 || label >= classCount) throw fileError(source, `${where}: class ${label} is not in 0…${classCount - 1}`)
    const previous = classes.get(file)
    if (previous !== undefined && previous !== label) {
      throw fileError(source, `${where}: ${file} is listed again with class ${label} (was ${previous})`)
    }
    classes.set(file, label)
  }
  if (classCount === null) throw fileError(source, 'no label rows')
  return {name, benchmark: null, source, classCount, classes}
}

/**
 * The list a log used, decided by file names, not by version (spec §2.1): the one holding most of the loaded files;
 * on a tie the smaller list, which the log covers more fully (ad01_alt is a subset of ad01).
 */
export function chooseLabelList(files: ReadonlySet<string>, lists: LabelList[]): LabelList | null {
  let best: LabelList | null = null
  let bestHits = 0
  for (const list of lists) {
    let hits = 0
    for (const file of files) if (list.classes.has(file)) hits++
    if (hits > bestHits || (hits === bestHits && best !== null && list.classes.size < best.classes.size)) {
      best = list
      bestHits = hits
    }
  }
  return best
}
