/** The readable report of one score: lines for a terminal, in the order a reader checks them. */

import type {ScoreResult} from './types.js'

import {ER_TRACE_AGREEMENT} from './energy.js'
import {formatFixed} from './format.js'

const INDENT = '  '
/** Digits for figures the runners do not print (exact AUC, per-class accuracy, window seconds); the HTML report's too. */
export const EXTRA_DIGITS = 4

export function scoreReportLines(result: ScoreResult): string[] {
  const lines = [result.path]
  const runner = [result.runner, result.runnerVersion].filter(Boolean).join(' ')
  lines.push(...indented(alignedRows([
    ['benchmark', result.benchmark ?? '?', 'labels', result.labels ?? '-'],
    ['runner', runner, 'mode', result.runMode ? `${result.mode} (runMode=${result.runMode})` : result.mode],
    ['convention', result.convention, 'coverage', coverageText(result)],
  ])))
  lines.push('', ...indented(alignedRows(figureRows(result))))
  if (result.windows.length > 0) lines.push('', ...indented(alignedRows(windowRows(result))))
  if (result.perClass && result.confusion) {
    lines.push('', ...indented(alignedRows([
      ['class', 'stimuli', 'correct', 'accuracy %'],
      ...result.perClass.map((figure) => [
        String(figure.cls), String(figure.stimuli), String(figure.correct), formatFixed(figure.accuracy, 1),
      ]),
    ])))
    lines.push('', `${INDENT}confusion (rows: true class, columns: predicted class)`)
    const columns = result.confusion[0].map((_, index) => String(index))
    lines.push(...indented(alignedRows([
      ['', ...columns],
      ...result.confusion.map((row, cls) => [String(cls), ...row.map(String)]),
    ])))
  }
  return lines
}

/** One result folder of a tree: scored, or the one-line error that stopped it. */
export interface ScoreSummaryRow {
  /** As shown: relative to the PATH the user gave. */
  path: string
  result: ScoreResult | null
  error: string | null
}

/** The closing table of a tree: one row per result folder, with its headline figure and what is wrong with it. */
export function scoreSummaryLines(rows: ScoreSummaryRow[]): string[] {
  const failed = rows.filter((row) => row.error !== null).length
  const table = alignedRows([
    ['folder', 'benchmark', 'mode', 'figure', 'problems'],
    ...rows.map(({path, result, error}) => (result
      ? [path, result.benchmark ?? '?', result.mode, headlineFigure(result), scoreProblems(result).join('; ') || '-']
      : [path, '-', '-', '-', error ?? '-'])),
  ])
  const counts = `${rows.length} result folder(s)${failed > 0 ? `, ${failed} could not be scored` : ''}`
  return [`summary: ${counts}`, ...indented(table)]
}

/** The figure a result is known by: Top-1 (AUC for anomaly detection), throughput, energy; sww01 its detections or power. */
function headlineFigure(result: ScoreResult): string {
  const withUnit = (value: string | null, unit: string) => (value === null ? '-' : `${value} ${unit}`)
  if (result.sww) {
    const {stats, printed} = result.sww
    if (result.mode === 'energy') return withUnit(printed.powerMw, 'mW')
    return `TP ${stats.truePositives}, FN ${stats.falseNegatives}, FP ${stats.falsePositives}`
  }
  if (result.mode === 'accuracy') {
    if (result.anomalyThreshold !== null) return result.printed.auc === null ? '-' : `AUC ${result.printed.auc}`
    return result.printed.top1 === null ? '-' : `Top-1 ${result.printed.top1} %`
  }
  if (result.mode === 'performance') return withUnit(result.printed.medianIps, 'inf./s')
  return withUnit(result.printed.medianUjPerInference, 'uJ/inf.')
}

/** What a reader of the summary must look at: results.txt figures that disagree, and the count of warnings. */
function scoreProblems(result: ScoreResult): string[] {
  const problems = publishedDisagreements(result)
    .map(({figure, recomputed, published}) => `${figure}: ${recomputed}, results.txt ${published}`)
  const warnings = result.warnings.length
  if (warnings > 0) problems.push(`${warnings} warning${warnings === 1 ? '' : 's'}`)
  return problems
}

export interface Disagreement {
  figure: string
  recomputed: string
  published: string
}

/** The figures of results.txt that differ from the recomputed ones as the runner prints them. */
export function publishedDisagreements(result: ScoreResult): Disagreement[] {
  // an EnergyRunner energy run is recomputed from its trace, whose ms-rounded stamps allow a small difference
  const fromTrace = result.runner === 'ER' && result.mode === 'energy'
  const agree = (value: string, published: string) => value === published
    || (fromTrace && Math.abs(Number(value) - Number(published)) <= ER_TRACE_AGREEMENT * Math.abs(Number(published)))
  return scoreFigures(result)
    .filter(([, value, published]) => value !== '-' && published !== '-' && !agree(value, published))
    .map(([figure, recomputed, published]) => ({figure, recomputed, published}))
}

/** `N of M stimuli` (or windows), flagged INCOMPLETE where the log lacks some. */
export function coverageText(result: ScoreResult): string {
  if (result.sww) {
    return `${result.sww.windows.length} truth windows of ${result.sww.wavFile}, ${result.sww.detectionsMs.length} detections`
  }
  if (result.filesExpected === null) return `${result.filesScored}`
  const unit = result.mode === 'accuracy' ? 'stimuli' : 'windows'
  const flag = result.coverageComplete ? '' : '  INCOMPLETE'
  return `${result.filesScored} of ${result.filesExpected} ${unit}${flag}`
}

function figureRows(result: ScoreResult): string[][] {
  return [['figure', 'value', 'published'], ...scoreFigures(result)]
}

/** Each figure there is: its name, the recomputed value as the runner prints it, the one in results.txt ('-': none). */
export function scoreFigures(result: ScoreResult): [string, string, string][] {
  const rows: [string, string, string][] = []
  const add = (name: string, printed: string | null, published: string | null) => {
    if (printed !== null || published !== null) rows.push([name, printed ?? '-', published ?? '-'])
  }
  add(result.anomalyThreshold === null ? 'Top-1 %' : 'Top-1 % (AD best threshold)', result.printed.top1,
    result.published.top1)
  if (result.sww) {
    const {printed, published, readBack} = result.sww
    const source = (figure: string) => (readBack.includes(figure) ? ' (read back)' : '')
    add('true/false positives', printed.accuracy, published.accuracy)
    add('F1', formatFixed(result.sww.stats.f1, EXTRA_DIGITS), null)
    add(`duty cycle${source('duty cycle')}`, printed.dutyCycle, published.dutyCycle)
    add(`period s${source('period')}`, printed.periodS, published.periodS)
    add(`throughput inf./s${source('throughput')}`, printed.throughputIps, published.throughputIps)
    add(`power mW${source('power')}`, printed.powerMw, published.powerMw)
    add(`energy uJ, whole run${source('energy')}`, result.printed.medianUjPerInference, result.published.medianUjPerInference)
    return rows
  }
  add(`AUC (${result.convention.toUpperCase()})`, result.printed.auc, result.published.auc)
  if (result.aucExact !== null) add('exact ROC AUC', formatFixed(result.aucExact, EXTRA_DIGITS), null)
  add('median inf./s', result.printed.medianIps, result.published.medianIps)
  add('median uJ/inf.', result.printed.medianUjPerInference, result.published.medianUjPerInference)
  return rows
}

/** The header and one row per measurement window (performance and energy logs). */
export function windowRows(result: ScoreResult): string[][] {
  const number = (value: number | null, digits: number) => (value === null ? '-' : formatFixed(value, digits))
  return [
    ['window', 'file', 'inferences', 'seconds', 'inf./s', 'uJ/inf.'],
    ...result.windows.map((window, index) => [
      String(index + 1),
      window.file ?? '-',
      String(window.inferences),
      number(window.seconds, 3),
      number(window.inferencesPerSecond, 3),
      number(window.microjoulesPerInference, 3),
    ]),
  ]
}

/** Columns padded to a common width; a column whose cells below the header are all numbers is right-aligned. */
function alignedRows(rows: string[][]): string[] {
  const widths: number[] = []
  const numeric: boolean[] = []
  for (const [rowIndex, row] of rows.entries()) {
    for (const [index, cell] of row.entries()) {
      widths[index] = Math.max(widths[index] ?? 0, cell.length)
      if (rowIndex > 0) numeric[index] = (numeric[index] ?? true) && NUMBER.test(cell)
    }
  }
  return rows.map((row) => row.map((cell, index) => (numeric[index] ? cell.padStart(widths[index]) : cell.padEnd(widths[index])))
    .join('  ').trimEnd())
}

const NUMBER = /^(?:-?[\d.]+|-|nan|inf)$/

function indented(lines: string[]): string[] {
  return lines.map((line) => INDENT + line)
}
