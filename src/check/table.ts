/**
 * `tinydata check --csv FILE`: the results table, as CSV laid out like the official checker's summary.csv (so the
 * official final-report tool and anything else reading that file read this one), or as Arrow.
 */

import {Bool, Field, List, Table, tableToIPC, Utf8, vectorFromArray} from 'apache-arrow'
import {extname} from 'node:path'

import {fileError} from '../errors.js'
import {writeFileAtomically} from '../io/atomic-write.js'
import {officialColumns, RECOMPUTED_COLUMNS, type SummaryRow} from './summary-row.js'

type Column = keyof SummaryRow
type Value = SummaryRow[Column]

/** Writes the table to `file` (atomically): CSV when it ends in `.csv`, Arrow IPC when in `.arrow`. */
export async function writeSummaryTable(file: string, rows: SummaryRow[], version: string): Promise<void> {
  const columns: Column[] = [...officialColumns(version), ...RECOMPUTED_COLUMNS]
  const extension = extname(file).toLowerCase()
  let bytes: Uint8Array
  if (extension === '.csv') bytes = Buffer.from(summaryCsv(columns, rows))
  else if (extension === '.arrow') bytes = summaryArrow(columns, rows)
  else throw fileError(file, 'cannot tell the table format: name the file .csv or .arrow')
  await writeFileAtomically(file, bytes)
}

/** As pandas writes it there: the header unquoted, every field of every row quoted, a missing value as `""`. */
function summaryCsv(columns: Column[], rows: SummaryRow[]): string {
  const lines = [columns.join(',')]
  for (const row of rows) lines.push(columns.map((column) => `"${csvText(row[column]).replaceAll('"', '""')}"`).join(','))
  return lines.join('\n') + '\n'
}

/** A field's text in the CSV (before quoting); the final report reads the table back from this text, as pandas would. */
export function csvText(value: Value): string {
  if (value === null) return ''
  if (typeof value === 'boolean') return value ? 'True' : 'False' // Python's spelling
  if (Array.isArray(value)) return value.join('; ')
  return value
}

function summaryArrow(columns: Column[], rows: SummaryRow[]): Uint8Array {
  const vectors = Object.fromEntries(columns.map((column) => {
    const values = rows.map((row) => row[column])
    if (column === 'Problems') return [column, vectorFromArray(values, new List(new Field('item', new Utf8(), false)))]
    if (column === 'HasPower' || column === 'OfficialRow') return [column, vectorFromArray(values, new Bool())]
    return [column, vectorFromArray(values, new Utf8())]
  }))
  return tableToIPC(new Table(vectors), 'file')
}
