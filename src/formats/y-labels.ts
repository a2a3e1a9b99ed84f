/**
 * y_labels.csv, the list a runner reads beside the stimuli (stimuli.md §0.2, spec §2.1): one row per stimulus,
 * `file,classes,label`, no header, LF endings; ad01's rows add how the runner slices the stimulus,
 * `file,classes,label,window bytes,stride bytes`.
 */
import {fileError} from '../errors.js'

/** ad01: the runner sends each stimulus as windows of `bytes`, one every `strideBytes` bytes. */
export interface YLabelsWindowing {
  bytes: number
  strideBytes: number
}

export interface YLabels {
  source: string
  /** Column 2; the ER AUC is averaged over these classes, not over the outputs (spec §4 trap 5). */
  classCount: number
  /** File name → class, in the order of the rows. Repeated rows collapse into one, as the EnergyRunner does (spec §1.5 item 5). */
  classes: Map<string, number>
  /** Fields of the first row: 3, or 5 for ad01 (window and stride). */
  fieldsPerRow: number
}

/** The rows as tinydata writes them: no spaces, LF endings, with ad01's window and stride when given. */
export function formatYLabels(rows: readonly {file: string; label: number}[], classCount: number, windowing?: YLabelsWindowing): string {
  const slicing = windowing ? `,${windowing.bytes},${windowing.strideBytes}` : ''
  return rows.map((row) => `${row.file},${classCount},${row.label}${slicing}\n`).join('')
}

/** Rows `file,classes,label[,window,stride]`, no header; spaces around fields are allowed (kws01-open lists have them). */
export function parseYLabels(text: string, source: string): YLabels {
  const classes = new Map<string, number>()
  let classCount: number | null = null
  let fieldsPerRow = 0
  for (const [index, rawLine] of text.split('\n').entries()) {
    const line = rawLine.trim()
    if (line === '') continue
    const where = `line ${index + 1}`
    const fields = line.split(',').map((field) => field.trim())
    const [file, count, label] = [fields[0], Number(fields[1]), Number(fields[2])]
    if (fields.length < 3 || file === '' || !Number.isInteger(count) || !Number.isInteger(label)) {
      throw fileError(source, `${where}: expected "file,classes,label", got "${line.slice(0, 60)}"`)
    }
    if (classCount === null) {
      classCount = count
      fieldsPerRow = fields.length
    }
    if (count !== classCount) throw fileError(source, `${where}: ${count} classes, but the first row says ${classCount}`)
    if (label < 0 || label >= classCount) throw fileError(source, `${where}: class ${label} is not in 0…${classCount - 1}`)
    const previous = classes.get(file)
    if (previous !== undefined && previous !== label) {
      throw fileError(source, `${where}: ${file} is listed again with class ${label} (was ${previous})`)
    }
    classes.set(file, label)
  }
  if (classCount === null) throw fileError(source, 'no label rows')
  return {source, classCount, classes, fieldsPerRow}
}
