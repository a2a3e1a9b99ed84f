/** `<division>/<submitter>/systems/<system>.json`: read, parsed and held to the checker's rules (spec/check.md "Per system"). */

import {readFile} from 'node:fs/promises'

import {SYSTEM_FIELDS, VALID_AVAILABILITIES} from './rules.js'
import type {OfficialSummaryColumns} from './summary-row.js'
import {decodeUtf8} from './text.js'

export type SystemColumns = Pick<OfficialSummaryColumns, keyof typeof SYSTEM_FIELDS>

export interface SystemDescription {
  /** The `Status` lower-cased, when it is one of available, preview, rdi; else null. */
  availability: string | null
  columns: SystemColumns
  /** Why the checker drops the system (missing, unreadable, not JSON, a bad Status); null: it does not. */
  error: string | null
  /** Table fields the JSON lacks (the table shows them empty). */
  missingFields: string[]
}

const EMPTY_COLUMNS = Object.fromEntries(Object.keys(SYSTEM_FIELDS).map((column) => [column, null])) as SystemColumns

export async function readSystemDescription(file: string): Promise<SystemDescription> {
  const dropped = (error: string): SystemDescription => ({availability: null, columns: EMPTY_COLUMNS, error, missingFields: []})
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return dropped(code === 'ENOENT' ? 'missing: every system under results/ needs its description here'
      : `cannot read (${code ?? String(error)})`)
  }
  const text = decodeUtf8(bytes)
  if (text === null) return dropped('not UTF-8 text')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return dropped(`not valid JSON (${(error as Error).message})`)
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return dropped('not a JSON object')
  const fields = json as Record<string, unknown>
  const columns = {...EMPTY_COLUMNS}
  const missingFields: string[] = []
  for (const [column, field] of Object.entries(SYSTEM_FIELDS) as [keyof SystemColumns, string][]) {
    const value = fields[field]
    if (value === undefined || value === null) missingFields.push(field)
    else columns[column] = typeof value === 'string' ? value : JSON.stringify(value)
  }
  const status = fields.Status
  if (typeof status !== 'string') return {...dropped('no "Status" (available, preview or rdi)'), columns, missingFields}
  const availability = status.toLowerCase()
  if (!VALID_AVAILABILITIES.has(availability)) {
    return {...dropped(`"Status" is "${status}", not available, preview or rdi`), columns, missingFields}
  }
  return {availability, columns, error: null, missingFields}
}
