/** The pinned tables under manifests/ are TSV: a header row naming the columns, then one row per entry. */
import {fileError} from '../errors.js'

/**
 * The rows of a TSV text as records keyed by the header's column names. The header must be exactly `columns` (a
 * table whose columns moved would silently mean something else), and every row must have that many fields.
 */
export function parseTsv<Column extends string>(text: string, columns: readonly Column[], file: string): Record<Column, string>[] {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, '')).filter((line) => line !== '')
  const header = lines[0]?.split('\t') ?? []
  if (header.join('\t') !== columns.join('\t')) {
    throw fileError(file, `expected the header "${columns.join('<TAB>')}", found "${header.join('<TAB>')}"`)
  }
  return lines.slice(1).map((line, index) => {
    const fields = line.split('\t')
    if (fields.length !== columns.length) throw fileError(file, `line ${index + 2}: expected ${columns.length} tab-separated fields, found ${fields.length}`)
    return Object.fromEntries(columns.map((column, at) => [column, fields[at]!])) as Record<Column, string>
  })
}
