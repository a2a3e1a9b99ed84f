/**
 * `tinydata check --final-report FILE`: the results workbook MLCommons publishes, laid out as mlcommons/tiny's
 * `tools/submission/generate_final_report.py` lays it out from the checker's summary.csv: one sheet per division, one
 * row per system (open: per system and model), latency and energy per benchmark side by side.
 */

import ExcelJS from 'exceljs'
import {extname} from 'node:path'

import {fileError} from '../errors.js'
import {writeFileAtomically} from '../io/atomic-write.js'
import {officialColumns, type OfficialSummaryColumns, type SummaryRow} from './summary-row.js'
import {csvText} from './table.js'

export interface FinalReportOptions {
  /** The mlcommons repository the Details and Code links point into; default `submissions_tiny_v<version>`. */
  repository?: string
}

/** A cell as pandas reads it back from summary.csv: a column holding numbers only is read as numbers. */
type Cell = number | string
type Fields = Record<string, Cell>

const SHEETS = ['closed', 'open', 'network'] as const
const FIGURES = ['Result', 'Power'] as const
const MODELS = ['ad', 'ic', 'ic2', 'kws', 'sww', 'vww']
const UNIQUE_ID = 'Unique ID (e.g. for Audit)'
const SYSTEM_COLUMNS = [
  'ID', UNIQUE_ID, 'ColorKey', 'Submitter', 'Availability', 'SystemDesc', 'BoardName', 'HostProcessorModelName',
  'HostProcessorFrequency', 'HostProcessorMemory', 'AcceleratorModelName', 'AcceleratorFrequency', 'AcceleratorMemory',
  'HardwareNotes', 'InferenceFramework', 'SoftwareLibraries', 'SoftwareNotes',
]
const LINK_COLUMNS = ['Details', 'Code']
/** The official names the script renames (the rest keep theirs). */
const RENAMED: Partial<Record<keyof OfficialSummaryColumns, string>> = {
  Organization: 'Submitter', Division: 'Category', Model: 'UsedModel', MlperfModel: 'Model',
}
/** What pandas' read_csv takes for a missing value by default; the script then blanks those. */
const PANDAS_MISSING = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA',
  'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
])
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

const NUMBER_FORMAT = '#,##0.00'
/** The script formats every column from the 20th (after the closed sheet's 19 index columns) to the 101st. */
const FIRST_FORMATTED_COLUMN = SYSTEM_COLUMNS.length + LINK_COLUMNS.length + 1
const LAST_FORMATTED_COLUMN = 101
/** Its shading of every other system (Google Sheets' COUNTUNIQUE over the ColorKey column), over rows 4 to 201. */
const SHADED_RANGE = 'A4:CW201'
const SHADING_FORMULA = 'mod(countunique($c$4:$c4), 2) = 0'
/** pandas' header style, on the header and index cells. */
const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: {bold: true},
  border: {top: {style: 'thin'}, right: {style: 'thin'}, bottom: {style: 'thin'}, left: {style: 'thin'}},
  alignment: {horizontal: 'center', vertical: 'top'},
}

/** One row of the checker's table, with the columns the script adds, ready to pivot. */
interface ReportRow {
  fields: Fields
  model: string
  result: number
  power: number
}

/** One row of a sheet: a system (open: a system and model), with the mean of each figure per benchmark. */
interface PivotRow {
  key: Cell[]
  figures: Map<string, {sum: number; count: number}>
}

/** Writes the workbook to `file` (atomically), from the rows the official checker lists (OfficialRow). */
export async function writeFinalReport(file: string, rows: SummaryRow[], version: string, options: FinalReportOptions = {}): Promise<void> {
  if (extname(file).toLowerCase() !== '.xlsx') throw fileError(file, 'the final report is an Excel workbook: name the file .xlsx')
  const versionNumber = version.replace(/^v/, '')
  const repository = options.repository ?? `submissions_tiny_v${versionNumber}`
  const reportRows = withIds(readBack(rows.filter((row) => row.OfficialRow), version, repository), versionNumber)
  const workbook = new ExcelJS.Workbook()
  for (const category of SHEETS) {
    const indexColumns = category === 'open'
      ? [...SYSTEM_COLUMNS, 'UsedModel', 'Accuracy', ...LINK_COLUMNS]
      : [...SYSTEM_COLUMNS, ...LINK_COLUMNS]
    const pivot = pivotRows(reportRows.filter((row) => row.fields.Category === category), indexColumns)
    if (pivot.length > 0) writeSheet(workbook.addWorksheet(category), indexColumns, pivot)
  }
  // An xlsx file needs a sheet: the script's writer adds an empty one when no division had a row.
  if (workbook.worksheets.length === 0) workbook.addWorksheet('Sheet1')
  await writeFileAtomically(file, new Uint8Array(await workbook.xlsx.writeBuffer()))
}

/**
 * The rows as the script sees them after reading summary.csv back: renamed, missing values blank, numbers where a
 * whole column is numbers, 'on-premise' made 'available', and the Details and Code links added.
 */
function readBack(rows: SummaryRow[], version: string, repository: string): ReportRow[] {
  const columns = officialColumns(version)
  const texts = rows.map((row) => columns.map((column) => {
    const text = csvText(row[column])
    return PANDAS_MISSING.has(text) ? '' : text
  }))
  const numeric = columns.map((_, index) => texts.every((row) => row[index] === '' || DECIMAL.test(row[index]!)))
  const baseUrl = `https://github.com/mlcommons/${repository}/tree/main`
  return texts.map((row) => {
    const fields: Fields = {}
    columns.forEach((column, index) => {
      const text = row[index]!
      fields[RENAMED[column] ?? column] = numeric[index] && text !== '' ? Number(text) : text
    })
    if (fields.Availability === 'on-premise') fields.Availability = 'available'
    for (const [column, folder] of [['Details', 'results'], ['Code', 'code']] as const) {
      fields[column] = `=HYPERLINK("${[baseUrl, fields.Category, fields.Submitter, folder].join('/')}","details")`
    }
    return {fields, model: String(fields.Model), result: figure(fields.Result), power: figure(fields.Power)}
  })
}

function figure(cell: Cell | undefined): number {
  return typeof cell === 'number' ? cell : Number.NaN
}

/**
 * Adds the unique id (division/submitter/board, and the model in the open division), the colour key and the ID
 * `<version>-NNNN`, numbered by first appearance once sorted by division, availability, submitter and unique id.
 */
function withIds(rows: ReportRow[], versionNumber: string): ReportRow[] {
  for (const {fields} of rows) {
    const parts = [fields.Category, fields.Submitter, fields.BoardName]
    if (fields.Category === 'open') parts.push(fields.UsedModel)
    fields[UNIQUE_ID] = parts.join('/')
    fields.ColorKey = `${fields.Availability}${fields.Submitter}`
  }
  const sortKey = (row: ReportRow) => ['Category', 'Availability', 'Submitter', UNIQUE_ID].map((name) => String(row.fields[name]))
  const sorted = [...rows].sort((a, b) => compareKeys(sortKey(a), sortKey(b)))
  const ids = new Map<Cell, string>()
  for (const {fields} of sorted) {
    const uniqueId = fields[UNIQUE_ID]!
    if (!ids.has(uniqueId)) ids.set(uniqueId, `${versionNumber}-${String(ids.size + 1).padStart(4, '0')}`)
    fields.ID = ids.get(uniqueId)!
  }
  return sorted
}

/** pandas' pivot_table: rows grouped on the index columns, sorted by them, each figure averaged per benchmark. */
function pivotRows(rows: ReportRow[], indexColumns: string[]): PivotRow[] {
  const groups = new Map<string, PivotRow>()
  for (const row of rows) {
    const key = indexColumns.map((column) => row.fields[column] ?? '')
    const id = JSON.stringify(key)
    let group = groups.get(id)
    if (!group) groups.set(id, group = {key, figures: new Map()})
    for (const [name, value] of [['Result', row.result], ['Power', row.power]] as const) {
      if (Number.isNaN(value)) continue
      const mean = group.figures.get(`${name}/${row.model}`) ?? {sum: 0, count: 0}
      group.figures.set(`${name}/${row.model}`, {sum: mean.sum + value, count: mean.count + 1})
    }
  }
  // a row without a single figure is dropped, as pivot_table drops an all-missing row
  return [...groups.values()].filter((group) => group.figures.size > 0).sort((a, b) => compareKeys(a.key, b.key))
}

function compareKeys(a: Cell[], b: Cell[]): number {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, b[i]!]
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return x - y
    } else if (String(x) !== String(y)) return String(x) < String(y) ? -1 : 1
  }
  return 0
}

/**
 * The layout pandas gives a pivot with two header levels: row 1 the figure (merged over its benchmarks), row 2 the
 * benchmarks (`Model` above the last index column), row 3 the index names, then one row per system, an index cell
 * merged down over the rows that share it and every index cell before it.
 */
function writeSheet(sheet: ExcelJS.Worksheet, indexColumns: string[], rows: PivotRow[]): void {
  for (let column = FIRST_FORMATTED_COLUMN; column <= LAST_FORMATTED_COLUMN; column++) sheet.getColumn(column).numFmt = NUMBER_FORMAT
  sheet.getColumn(2).hidden = true // Unique ID
  sheet.getColumn(3).hidden = true // ColorKey
  const header = (row: number, column: number, value: ExcelJS.CellValue) => {
    const cell = sheet.getCell(row, column)
    cell.value = value
    cell.style = HEADER_STYLE
  }

  const figureColumns = FIGURES.flatMap((name) => MODELS
    .filter((model) => rows.some((row) => row.figures.has(`${name}/${model}`)))
    .map((model) => ({name, model})))
  const last = indexColumns.length
  header(1, last, null)
  header(2, last, 'Model')
  figureColumns.forEach(({name, model}, index) => {
    const column = last + 1 + index
    if (index === 0 || figureColumns[index - 1]!.name !== name) header(1, column, name)
    header(2, column, model)
  })
  for (const name of FIGURES) {
    const columns = figureColumns.flatMap(({name: other}, index) => (other === name ? [last + 1 + index] : []))
    if (columns.length > 1) sheet.mergeCells(1, columns[0]!, 1, columns.at(-1)!)
  }
  indexColumns.forEach((name, index) => header(3, index + 1, name))

  const firstRow = 4
  indexColumns.forEach((_, level) => {
    for (let start = 0; start < rows.length;) {
      let end = start
      while (end + 1 < rows.length && compareKeys(rows[end + 1]!.key.slice(0, level + 1), rows[start]!.key.slice(0, level + 1)) === 0) end++
      header(firstRow + start, level + 1, indexCell(rows[start]!.key[level]!))
      if (end > start) sheet.mergeCells(firstRow + start, level + 1, firstRow + end, level + 1)
      start = end + 1
    }
  })
  rows.forEach((row, index) => {
    figureColumns.forEach(({name, model}, offset) => {
      const mean = row.figures.get(`${name}/${model}`)
      const value = mean ? shown(name, mean.sum / mean.count) : null
      if (value === null) return
      const cell = sheet.getCell(firstRow + index, last + 1 + offset)
      cell.value = value
      cell.numFmt = NUMBER_FORMAT
    })
  })

  sheet.addConditionalFormatting({
    ref: SHADED_RANGE,
    rules: [{
      type: 'expression', priority: 1, formulae: [SHADING_FORMULA],
      style: {fill: {type: 'pattern', pattern: 'solid', bgColor: {argb: 'FFEFEFEF'}}},
    }],
  })
}

/** As the script's writer writes them: an empty text as a blank cell, a text starting with `=` (the links) as a formula. */
function indexCell(value: Cell): ExcelJS.CellValue {
  if (value === '') return null
  return typeof value === 'string' && value.startsWith('=') ? {formula: value.slice(1), result: 'details'} : value
}

/** Result as latency in ms (1000 / inf./sec.; pandas writes an infinite one as `inf`); a power of 0 as no value. */
function shown(name: (typeof FIGURES)[number], mean: number): number | string | null {
  if (name === 'Power') return mean === 0 ? null : mean
  const latency = 1000 / mean
  return Number.isFinite(latency) ? latency : 'inf'
}
