/** `tinydata check` for a reader: one line per problem, a table per system, a closing verdict; and its --json form. */

import type {SnakeCased} from '../formats/json-case.js'
import {snakeCaseKeys} from '../formats/json-case.js'
import type {SummaryRow} from './summary-row.js'
import type {CheckProblem, CheckResult, SystemSummary} from './types.js'

const VERSION_SOURCE: Record<CheckResult['versionSource'], string> = {
  flag: 'as --version says',
  path: 'named by the path',
  default: 'the newest round; pass --version for another',
}

export function checkReportLines(result: CheckResult): string[] {
  const lines = [`${result.tree}: the rules of ${result.version} (${VERSION_SOURCE[result.versionSource]})`]
  for (const problem of result.problems) lines.push(problemLine(problem))
  if (result.systems.length > 0) {
    lines.push('', ...alignedRows([
      ['system', 'models', 'tests', 'errors', 'warnings'],
      ...result.systems.map((system) => [system.path, String(system.models), String(system.testFolders),
        String(system.errors), String(system.warnings)]),
    ]).map((line) => `  ${line}`))
  }
  lines.push('', verdict(result))
  return lines
}

/** `error   closed/acme/results/board/kws/accuracy/results.txt: Top-1 84.2 is below the target 90`; `*`: not in the official checker. */
export function problemLine(problem: CheckProblem): string {
  return `${problem.severity === 'error' ? 'error  ' : 'warning'} ${problem.path}: ${problem.message}${problem.official ? '' : ' *'}`
}

export function verdict(result: CheckResult): string {
  const errors = result.problems.filter((problem) => problem.severity === 'error').length
  const warnings = result.problems.length - errors
  const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`
    + ` in ${result.systems.length} system${result.systems.length === 1 ? '' : 's'}, ${result.rows.length} result row(s)`
  const unofficial = result.problems.some((problem) => !problem.official)
    ? ' (* found by recomputing or by a stricter reading than the official checker)' : ''
  return `${result.passed ? 'PASSED' : 'FAILED'}: ${counts}${unofficial}`
}

function alignedRows(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd())
}

/** A table row with the official columns' names in snake_case (`HostProcessorModelName` → `host_processor_model_name`). */
type RowJson = Record<string, boolean | string | string[] | null>

export interface CheckResultJson {
  tree: string
  version: string
  version_source: CheckResult['versionSource']
  passed: boolean
  errors: number
  warnings: number
  problems: SnakeCased<CheckProblem>[]
  systems: SnakeCased<SystemSummary>[]
  rows: RowJson[]
}

export function checkResultToJson(result: CheckResult): CheckResultJson {
  const errors = result.problems.filter((problem) => problem.severity === 'error').length
  return {
    tree: result.tree,
    version: result.version,
    version_source: result.versionSource,
    passed: result.passed,
    errors,
    warnings: result.problems.length - errors,
    problems: snakeCaseKeys(result.problems),
    systems: snakeCaseKeys(result.systems),
    rows: result.rows.map(rowToJson),
  }
}

function rowToJson(row: SummaryRow): RowJson {
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [
    column.replace(/^[A-Z]/, (letter) => letter.toLowerCase()).replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
    value,
  ]))
}
