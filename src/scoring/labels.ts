/** Ground truth: the `y_labels.csv` lists (spec §2.1) and the choice of the one a log used. */

import {stat} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {BENCHMARK_CLASS_NAMES} from '../../datasets/class-names.js'
import {fileError} from '../errors.js'
import {parseYLabels, type YLabels} from '../formats/y-labels.js'
import {Y_LABELS_FILE} from '../output/runner-folder.js'
import {packageFile} from '../package-files.js'
import {readMaybeGzip} from './result-files.js'

export interface LabelList extends YLabels {
  /** `kws01`, `ic01_v0.5`, …; for a list given with `--labels`, its file name. */
  name: string
  /** The benchmark an official list belongs to; null for a user's list. */
  benchmark: string | null
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
    return {...parseYLabels(text, source), name, benchmark}
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
  return {...parseYLabels(text, file), name: basename(file), benchmark: null}
}

/** A user's list for a benchmark tinydata does not know: far above any tinyML classifier (ImageNet has 1000). */
const MAX_CLASSES = 1000

/** The classes of a list must fit the log's benchmark: a list claiming 100 000 would size every figure after it. */
export function checkClassCount(labels: LabelList, benchmark: string | null): void {
  const classNames = BENCHMARK_CLASS_NAMES as Record<string, readonly string[] | undefined>
  const known = benchmark === null ? undefined : classNames[benchmark]
  if (known && labels.classCount > known.length) {
    throw fileError(labels.source, `${labels.classCount} classes, but ${benchmark} has ${known.length}`)
  }
  if (labels.classCount > MAX_CLASSES) {
    throw fileError(labels.source, `${labels.classCount} classes: more than the ${MAX_CLASSES} a list may have`)
  }
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
