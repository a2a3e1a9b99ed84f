/** The HTML of `tinydata score --report`: one self-contained page, inline CSS and SVG, no script, no external asset. */

import type {AgainstResult} from '../scoring/against.js'
import type {ScoreResult, SwwScore} from '../scoring/index.js'
import type {StimulusPrediction} from '../scoring/accuracy.js'
import type {StimulusPreviews} from './previews.js'

import {formatFixed} from '../scoring/format.js'
import {coverageText, EXTRA_DIGITS, scoreFigures, windowRows} from '../scoring/report.js'
import {TINYDATA_VERSION} from '../version.js'
import {classNames} from './class-names.js'
import {escapeHtml, formatOutput} from './markup.js'
import {rocFigure} from './roc.js'
import {accuracyBarsSvg, ROC_CORNER, rocChartSvg} from './svg.js'
import {swwTimelineSvg} from './timeline.js'

/** Digits of the exact AUC, which the runners do not print, as in the text report. */
const TOP_OUTPUTS = 3
/** Every curve at least this good: they crowd the top-left corner of the whole chart. */
const CROWDED_AUC = 0.95

export interface ResultSection {
  result: ScoreResult
  /** Previews of the misclassified stimuli listed; null outside accuracy mode. */
  previews: StimulusPreviews | null
  /** How many misclassified stimuli (and disagreements with the golden run) to list at most. */
  misclassifiedLimit: number
  against?: AgainstResult
}

export function reportDocument(sections: readonly ResultSection[]): string {
  const title = sections.length === 1 ? `tinydata score: ${sections[0].result.path}` : 'tinydata score'
  const links = sections.map(({result}, index) => `<li><a href="#result-${index + 1}">${escapeHtml(result.path)}</a></li>`)
  const contents = sections.length > 1 ? `<nav><ol>${links.join('')}</ol></nav>` : ''
  return '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    + `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>`
    + `<style>${STYLE}</style></head><body>`
    + `<header><h1>tinydata score report</h1><p class="meta">tinydata ${escapeHtml(TINYDATA_VERSION)} · `
    + `${sections.length} result${sections.length === 1 ? '' : 's'}</p>${contents}</header>`
    + sections.map((section, index) => resultHtml(section, index + 1)).join('')
    + '</body></html>\n'
}

function resultHtml({result, previews, misclassifiedLimit, against}: ResultSection, number: number): string {
  const parts = [`<section id="result-${number}"><h2>${escapeHtml(result.path)}</h2>`, summaryHtml(result)]
  if (result.windows.length > 0) parts.push(windowsHtml(result))
  if (result.sww) parts.push(swwTimelineHtml(result.sww))
  if (result.perClass && result.confusion) {
    const names = classNames(result.benchmark, result.perClass.length)
    if (against) parts.push(againstHtml(against, names, previews, misclassifiedLimit))
    parts.push(perClassHtml(result, names), confusionHtml(result.confusion, names), rocHtml(result, names, number),
      misclassifiedHtml(result, names, previews, misclassifiedLimit))
  }
  parts.push('</section>')
  return parts.join('')
}

function summaryHtml(result: ScoreResult): string {
  const runner = [result.runner, result.runnerVersion].filter(Boolean).join(' ')
  const facts: [string, string][] = [
    ['benchmark', result.benchmark ?? '?'],
    ['labels', result.labels ?? '-'],
    ['runner', runner],
    ['mode', result.runMode ? `${result.mode} (runMode=${result.runMode})` : result.mode],
    ['convention', result.convention],
    ['scored', coverageText(result)],
    ['log', result.log],
  ]
  if (result.anomalyThreshold !== null) facts.push(['anomaly threshold', `score > ${formatOutput(result.anomalyThreshold)}`])
  const factRows = facts.map(([name, value]) => {
    const flagged = name === 'scored' && result.coverageComplete === false ? ' class="bad"' : ''
    return `<tr><th>${escapeHtml(name)}</th><td${flagged}>${escapeHtml(value)}</td></tr>`
  })
  const figureRows = scoreFigures(result).map(([name, value, published]) =>
    `<tr><th>${escapeHtml(name)}</th><td class="number">${escapeHtml(value)}</td>`
    + `<td class="number">${escapeHtml(published)}</td></tr>`)
  return `<div class="summary"><table class="facts"><tbody>${factRows.join('')}</tbody></table>`
    + '<table class="figures"><thead><tr><th>figure</th><th>value</th><th>published</th></tr></thead>'
    + `<tbody>${figureRows.join('')}</tbody></table></div>${warningsHtml(result.warnings)}`
}

function warningsHtml(warnings: readonly string[]): string {
  if (warnings.length === 0) return '<p class="ok">No warnings.</p>'
  // The loud warnings (COVERAGE INCOMPLETE, ENERGY NOT RECOMPUTABLE, …) start in capitals, as in the text report.
  const items = warnings.map((warning) => `<li${/^[A-Z][A-Z ]+[:=]/.test(warning) ? ' class="bad"' : ''}>`
    + `${escapeHtml(warning)}</li>`)
  return `<h3>Warnings</h3><ul class="warnings">${items.join('')}</ul>`
}

function windowsHtml(result: ScoreResult): string {
  const [header, ...rows] = windowRows(result)
  const numeric = [true, false, true, true, true, true]
  return `<h3>Windows</h3><table class="grid"><thead><tr>${header!.map((name) => `<th>${escapeHtml(name)}</th>`).join('')}</tr></thead>`
    + `<tbody>${rows.map((row) => tableRow(row, numeric)).join('')}</tbody></table>`
}

/** sww01: the whole WAV with its truth windows and every detection, then the misses and false positives listed. */
function swwTimelineHtml(sww: SwwScore): string {
  const {stats} = sww
  const missed = sww.windows.flatMap(([start, stop], index) => (stats.matches[index].length === 0
    ? [`${index + 1}: ${start.toFixed(3)}–${stop.toFixed(3)} s`]
    : []))
  const falsePositives = stats.falsePositiveIndices.map((index) => `${stats.detectionsS[index].toFixed(3)} s`)
  const list = (name: string, items: string[]) => `<tr><th>${escapeHtml(name)}</th><td>`
    + `${items.length === 0 ? 'none' : escapeHtml(items.join(', '))}</td></tr>`
  return `<h3>Timeline of ${escapeHtml(sww.wavFile)}</h3>`
    + `<p class="note">Truth windows from ${escapeHtml(sww.truthSource)}. Time 0 is the first detection (the device's`
    + ' start marker); a window counts a detection up to 2 s past its end, as the runner does.</p>'
    + `<figure>${swwTimelineSvg(sww)}</figure>`
    + `<table class="facts"><tbody>${list('missed windows (FN)', missed)}${list('false positives', falsePositives)}`
    + '</tbody></table>'
}

function perClassHtml(result: ScoreResult, names: readonly string[]): string {
  const perClass = result.perClass!
  const rows = perClass.map((figure) => tableRow([
    String(figure.cls), names[figure.cls], String(figure.stimuli), String(figure.correct), formatFixed(figure.accuracy, 1),
  ], [true, false, true, true, true]))
  return '<h3>Accuracy per class</h3><div class="pair"><table class="grid"><thead><tr><th>class</th><th>name</th>'
    + `<th>stimuli</th><th>correct</th><th>accuracy %</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    + `<figure>${accuracyBarsSvg(perClass, names)}</figure></div>`
}

/** Cells shaded by their share of the row (of the true class), so every class reads on the same scale. */
function confusionHtml(confusion: readonly number[][], names: readonly string[]): string {
  const columnName = (column: number) => outputName(names, column)
  const header = confusion[0].map((_, column) => `<th class="column">${escapeHtml(columnName(column))}</th>`).join('')
  const rows = confusion.map((row, cls) => {
    const total = row.reduce((sum, cell) => sum + cell, 0)
    const cells = row.map((count, column) => {
      const share = total === 0 ? 0 : count / total
      const title = `true ${names[cls]}, predicted ${columnName(column)}: ${count}`
        + (total === 0 ? '' : ` (${formatFixed(100 * share, 1)} % of ${names[cls]})`)
      return `<td class="${column === cls ? 'diagonal' : ''}" style="${cellStyle(share)}" title="${escapeHtml(title)}">`
        + `${count}</td>`
    })
    return `<tr><th>${escapeHtml(names[cls])}</th>${cells.join('')}</tr>`
  })
  return '<h3>Confusion matrix</h3><p class="note">Rows: true class; columns: predicted class. Shade: share of the row.</p>'
    + `<table class="confusion"><thead><tr><th></th>${header}</tr></thead><tbody>${rows.join('')}</tbody></table>`
}

/** White to dark blue (#08519c) with the share; white text on the dark half. */
function cellStyle(share: number): string {
  const mix = (dark: number) => Math.round(255 + (dark - 255) * share)
  return `background:rgb(${mix(8)},${mix(81)},${mix(156)});color:${share > 0.5 ? '#fff' : '#111'}`
}

function rocHtml(result: ScoreResult, names: readonly string[], section: number): string {
  const figure = rocFigure(result)!
  const width = result.predictions[0].output.length
  const curveName = (cls: number) => (figure.kind === 'one-vs-rest'
    ? names[cls]
    : `${names[cls]} ${width === 1 ? 'score' : 'output'}`)
  const heading = figure.kind === 'binary'
    ? `<p class="note">ROC of the ${escapeHtml(curveName(1))} (positive: ${escapeHtml(names[1])}),`
      + ' from the scored outputs.</p>'
    : '<p class="note">One-vs-rest ROC per class, from the scored outputs'
      + (figure.curves.length > 0 && figure.undefinedClasses.length === 0
        ? `; their mean AUC is the macro AUC ${formatFixed(result.aucExact!, EXTRA_DIGITS)}.</p>`
        : '.</p>')
  const convention = result.convention === 'er'
    ? '<p class="note">The curves are exact ROC curves; the AUC (ER) figure above is the EnergyRunner\'s, computed on'
      + ' 101 thresholds.</p>'
    : ''
  const missing = figure.undefinedClasses.length === 0
    ? ''
    : `<p class="note">No curve for ${escapeHtml(figure.undefinedClasses.map((cls) => names[cls]).join(', '))}:`
      + ' an output is not a number, or the stimuli are all or none of that class.</p>'
  const chart = figure.curves.length === 0 ? '' : `<figure>${rocChartSvg(figure, curveName)}</figure>`
  // Curves of a good classifier overlap in the top-left corner: a second chart magnifies it.
  const crowded = figure.curves.length > 0 && figure.curves.every((curve) => curve.auc >= CROWDED_AUC)
  const corner = crowded
    ? `<p class="note">The top-left corner magnified: false positive rate 0–${ROC_CORNER.fprMax}, true positive rate`
      + ` ${ROC_CORNER.tprMin}–1.</p><figure>${rocChartSvg(figure, curveName, ROC_CORNER, `roc-corner-${section}`)}</figure>`
    : ''
  return `<h3>ROC</h3>${heading}${convention}${missing}${chart}${corner}`
}

function misclassifiedHtml(result: ScoreResult, names: readonly string[], previews: StimulusPreviews | null,
  limit: number): string {
  const wrong = result.predictions.filter((prediction) => !prediction.correct)
  if (wrong.length === 0) return '<h3>Misclassified stimuli</h3><p class="ok">None.</p>'
  const listed = wrong.slice(0, limit)
  const rows = listed.map((prediction) => {
    return `<tr><td>${escapeHtml(prediction.file)}</td><td>${escapeHtml(names[prediction.label])}</td>`
      + `<td>${escapeHtml(outputName(names, prediction.prediction))}</td>`
      + `<td>${escapeHtml(outputSummary(prediction, names, result.anomalyThreshold))}</td>`
      + `<td class="preview">${previewCell(previews, prediction.file)}</td></tr>`
  })
  const more = wrong.length > listed.length
    ? `<p class="note">… and ${wrong.length - listed.length} more misclassified stimuli, not listed.</p>`
    : ''
  const note = previews?.note ? `<p class="note">${escapeHtml(previews.note)}</p>` : ''
  return `<h3>Misclassified stimuli (${wrong.length} of ${result.predictions.length})</h3>${note}`
    + '<table class="grid misclassified"><thead><tr><th>file</th><th>label</th><th>prediction</th><th>top outputs</th>'
    + `<th>preview</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`
}

/** `score --against`: how the device compares with the golden run, and where the two disagree. */
function againstHtml(against: AgainstResult, names: readonly string[], previews: StimulusPreviews | null, limit: number): string {
  const percent = (value: number) => (Number.isFinite(value) ? `${formatFixed(value, 1)} %` : '-')
  const facts: [string, string][] = [
    ['golden log', against.golden],
    ['compared', `${against.compared} stimuli (only in the device log: ${against.onlyInDevice.length}; only in the golden log: ${against.onlyInGolden.length})`],
    ['agreement', `${against.agreeing} of ${against.compared} predictions (${percent(against.agreement)})`],
    ['Top-1 over these', `device ${percent(against.deviceTop1)}, golden ${percent(against.goldenTop1)}`],
    ['largest output difference', formatOutput(against.maxDifference)],
  ]
  const factRows = facts.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
  const name = (cls: number) => outputName(names, cls)
  const listed = against.disagreements.slice(0, limit)
  const rows = listed.map((stimulus) => {
    return `<tr><td>${escapeHtml(stimulus.file)}</td><td>${escapeHtml(name(stimulus.label))}</td>`
      + `<td>${escapeHtml(name(stimulus.devicePrediction))}</td><td>${escapeHtml(name(stimulus.goldenPrediction))}</td>`
      + `<td class="number">${escapeHtml(formatOutput(stimulus.maxDifference))}</td><td class="preview">${previewCell(previews, stimulus.file)}</td></tr>`
  })
  const more = against.disagreements.length > listed.length
    ? `<p class="note">… and ${against.disagreements.length - listed.length} more disagreements, not listed.</p>`
    : ''
  const table = listed.length === 0
    ? '<p class="ok">The device and the golden run agree on every compared stimulus.</p>'
    : '<table class="grid misclassified"><thead><tr><th>file</th><th>label</th><th>device</th><th>golden</th>'
      + `<th>largest difference</th><th>preview</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`
  return `<h3>Against the golden run (${against.disagreements.length} disagreement${against.disagreements.length === 1 ? '' : 's'})</h3>`
    + `<table class="facts"><tbody>${factRows.join('')}</tbody></table>${table}`
}

/** The stimulus's thumbnail, or '-' where it has none. */
function previewCell(previews: StimulusPreviews | null, file: string): string {
  const uri = previews?.uris.get(file)
  return uri ? `<img src="${uri}" alt="${escapeHtml(`preview of ${file}`)}">` : '-'
}

/** Classifiers: the highest outputs with their class; AD: the score against the threshold. */
function outputSummary(prediction: StimulusPrediction, names: readonly string[], threshold: number | null): string {
  if (prediction.output.length === 1) {
    const windows = prediction.windows > 1 ? ` (mean of ${prediction.windows} windows)` : ''
    return `score ${formatOutput(prediction.output[0])}${windows}`
      + (threshold === null ? '' : `, threshold ${formatOutput(threshold)}`)
  }
  return prediction.output
    .map((value, column) => ({value, column}))
    .sort((a, b) => b.value - a.value || a.column - b.column)
    .slice(0, TOP_OUTPUTS)
    .map(({value, column}) => `${outputName(names, column)} ${formatOutput(value)}`)
    .join(' · ')
}

/** A model output's class name; outputs beyond the label list's classes (a wider model) by their number. */
function outputName(names: readonly string[], column: number): string {
  return names[column] ?? `output ${column}`
}

function tableRow(cells: readonly string[], numeric: readonly boolean[]): string {
  const tableCells = cells.map((cell, index) => `<td${numeric[index] ? ' class="number"' : ''}>${escapeHtml(cell)}</td>`)
  return `<tr>${tableCells.join('')}</tr>`
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;color:#111;background:#fff;margin:24px auto;max-width:1120px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 12px;padding-top:12px;border-top:2px solid #ccc;
word-break:break-all}h3{font-size:15px;margin:24px 0 8px}
.meta,.note{color:#555;margin:4px 0 8px}.ok{color:#276b2e}.bad{color:#a40000;font-weight:600}
table{border-collapse:collapse}th,td{padding:3px 8px;text-align:left;vertical-align:middle}
.summary{display:flex;flex-wrap:wrap;gap:32px;align-items:flex-start}
.facts th{color:#555;font-weight:normal}.facts td{word-break:break-all;max-width:520px}
.figures{border:1px solid #ccc}.figures thead th,.grid thead th{border-bottom:1px solid #999}
.grid td,.grid th{border-bottom:1px solid #eee}.number{text-align:right;font-variant-numeric:tabular-nums}
.warnings{margin:0;padding-left:20px}.pair{display:flex;flex-wrap:wrap;gap:32px;align-items:flex-start}
figure{margin:0}
.confusion td{text-align:right;min-width:30px;font-variant-numeric:tabular-nums;border:1px solid #fff}
.confusion td.diagonal{outline:2px solid #111;outline-offset:-2px}
.confusion th.column{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;vertical-align:bottom}
.misclassified td{font-size:13px}.preview img{image-rendering:pixelated;display:block}
`.trim()
