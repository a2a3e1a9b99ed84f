/** Inline SVG charts of the report: ROC curves and per-class accuracy bars. Static markup, no script needed. */

import type {ClassFigure} from '../scoring/accuracy.js'
import type {RocFigure} from './roc.js'

import {formatFixed} from '../scoring/format.js'
import {EXTRA_DIGITS} from '../scoring/report.js'
import {coordinate, escapeHtml} from './markup.js'
import {cornerPoints} from './roc.js'

/** The single curve of a binary ROC; no other element of the report uses it (the browser test looks for it). */
export const BINARY_ROC_COLOUR = '#d62728'
/** One-vs-rest curves: twelve distinguishable colours, enough for kws01's classes. */
const CLASS_COLOURS = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948',
  '#b07aa1', '#ff9da7', '#9c755f', '#17becf', '#7f3c8d', '#2f2f2f',
]
export const ACCURACY_BAR_COLOUR = '#4e79a7'

const FONT = 'font-family="system-ui, sans-serif" font-size="11"'
const GRID_COLOUR = '#e3e3e3'
const AXIS_COLOUR = '#333'

const ROC_PLOT = 360
const ROC_MARGIN = {left: 56, top: 16, bottom: 48}
const ROC_LEGEND_GAP = 24
const ROC_LEGEND_WIDTH = 230
const LEGEND_ROW = 18
const TICK_STEPS = 5

/** The part of ROC space a chart shows: false positive rates 0…fprMax across, true positive rates tprMin…1 up. */
export interface RocView {
  fprMax: number
  tprMin: number
}

const WHOLE_ROC: RocView = {fprMax: 1, tprMin: 0}
/** The top-left corner, where the curves of a good classifier (AUC ≈ 0.99) lie on top of one another. */
export const ROC_CORNER: RocView = {fprMax: 0.1, tprMin: 0.5}

/**
 * ROC curves in a square plot, false positive rate across, true positive rate up, the chance diagonal dashed; the
 * legend gives each curve's AUC. `curveName` names a curve in the legend from its class. A view other than the whole
 * square clips the curves to it (`clipId`: an id unique in the page).
 */
export function rocChartSvg(figure: RocFigure, curveName: (cls: number) => string, view = WHOLE_ROC, clipId = 'roc'): string {
  const x = (fpr: number) => ROC_MARGIN.left + (fpr / view.fprMax) * ROC_PLOT
  const y = (tpr: number) => ROC_MARGIN.top + (1 - (tpr - view.tprMin) / (1 - view.tprMin)) * ROC_PLOT
  const legendX = ROC_MARGIN.left + ROC_PLOT + ROC_LEGEND_GAP
  const width = legendX + ROC_LEGEND_WIDTH
  const legendHeight = LEGEND_ROW * (figure.curves.length + 1)
  const height = ROC_MARGIN.top + Math.max(ROC_PLOT + ROC_MARGIN.bottom, legendHeight)
  const colour = (index: number) => (figure.kind === 'binary'
    ? BINARY_ROC_COLOUR
    : CLASS_COLOURS[index % CLASS_COLOURS.length])
  const parts: string[] = []
  const [left, right, bottom, top] = [x(0), x(view.fprMax), y(view.tprMin), y(1)]
  for (let step = 0; step <= TICK_STEPS; step++) {
    const fpr = (view.fprMax * step) / TICK_STEPS
    const tpr = view.tprMin + ((1 - view.tprMin) * step) / TICK_STEPS
    parts.push(
      line(x(fpr), bottom, x(fpr), top, GRID_COLOUR),
      line(left, y(tpr), right, y(tpr), GRID_COLOUR),
      text(x(fpr), bottom + 16, tickLabel(fpr), 'middle'),
      text(left - 6, y(tpr) + 4, tickLabel(tpr), 'end'),
    )
  }
  const zoomed = view.fprMax !== WHOLE_ROC.fprMax || view.tprMin !== WHOLE_ROC.tprMin
  const clip = zoomed ? ` clip-path="url(#${clipId})"` : ''
  if (zoomed) parts.push(`<clipPath id="${clipId}"><rect x="${left}" y="${top}" width="${ROC_PLOT}" height="${ROC_PLOT}"/></clipPath>`)
  parts.push(
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 4"${clip}/>`,
    `<rect x="${left}" y="${top}" width="${ROC_PLOT}" height="${ROC_PLOT}" fill="none" stroke="${AXIS_COLOUR}"/>`,
    text((left + right) / 2, bottom + 36, 'false positive rate', 'middle'),
    `<text transform="translate(${ROC_MARGIN.left - 38} ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">`
      + 'true positive rate</text>',
  )
  for (const [index, curve] of figure.curves.entries()) {
    const points = cornerPoints(curve.points).map((point) => `${coordinate(x(point.fpr))},${coordinate(y(point.tpr))}`)
    parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${colour(index)}" stroke-width="2"`
      + ` stroke-linejoin="round"${clip}/>`)
    const rowY = ROC_MARGIN.top + LEGEND_ROW * index + 10
    parts.push(
      line(legendX, rowY - 4, legendX + 18, rowY - 4, colour(index), 3),
      text(legendX + 24, rowY, `${curveName(curve.cls)} · AUC ${formatFixed(curve.auc, EXTRA_DIGITS)}`, 'start'),
    )
  }
  return svg(width, height, 'ROC curves', parts)
}

const BAR_LABEL_WIDTH = 110
const BAR_AREA = 300
const BAR_VALUE_WIDTH = 64
const BAR_ROW = 20
const BAR_HEIGHT = 14
const BAR_TOP = 8
const BAR_AXIS = 24
const PERCENT_TICKS = [0, 25, 50, 75, 100]

/** One horizontal bar per class: its accuracy on a 0–100 % scale; a class without stimuli gets no bar. */
export function accuracyBarsSvg(perClass: readonly ClassFigure[], names: readonly string[]): string {
  const x = (percent: number) => BAR_LABEL_WIDTH + (percent / 100) * BAR_AREA
  const bottom = BAR_TOP + perClass.length * BAR_ROW
  const parts: string[] = []
  for (const tick of PERCENT_TICKS) {
    parts.push(line(x(tick), BAR_TOP, x(tick), bottom, GRID_COLOUR), text(x(tick), bottom + 16, `${tick} %`, 'middle'))
  }
  for (const [row, figure] of perClass.entries()) {
    const top = BAR_TOP + row * BAR_ROW
    const middle = top + BAR_ROW / 2 + 4
    parts.push(text(BAR_LABEL_WIDTH - 8, middle, names[figure.cls], 'end'))
    if (Number.isNaN(figure.accuracy)) {
      parts.push(text(x(0) + 4, middle, 'no stimuli', 'start'))
      continue
    }
    const barTop = top + (BAR_ROW - BAR_HEIGHT) / 2
    parts.push(
      `<rect x="${x(0)}" y="${barTop}" width="${coordinate(x(figure.accuracy) - x(0))}" height="${BAR_HEIGHT}"`
        + ` fill="${ACCURACY_BAR_COLOUR}"/>`,
      text(x(figure.accuracy) + 4, middle, `${formatFixed(figure.accuracy, 1)} %`, 'start'),
    )
  }
  parts.push(line(x(0), BAR_TOP, x(0), bottom, AXIS_COLOUR))
  return svg(BAR_LABEL_WIDTH + BAR_AREA + BAR_VALUE_WIDTH, bottom + BAR_AXIS, 'accuracy per class', parts)
}

/** 0.1, 0.02, 0.6: a rate with no more digits than it has. */
function tickLabel(rate: number): string {
  return String(Number(rate.toFixed(4)))
}

export function svg(width: number, height: number, label: string, parts: string[]): string {
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img"`
    + ` aria-label="${escapeHtml(label)}" ${FONT}>${parts.join('')}</svg>`
}

export function line(x1: number, y1: number, x2: number, y2: number, colour: string, width = 1): string {
  return `<line x1="${coordinate(x1)}" y1="${coordinate(y1)}" x2="${coordinate(x2)}" y2="${coordinate(y2)}"`
    + ` stroke="${colour}" stroke-width="${width}"/>`
}

export function text(x: number, y: number, content: string, anchor: 'end' | 'middle' | 'start'): string {
  return `<text x="${coordinate(x)}" y="${coordinate(y)}" text-anchor="${anchor}">${escapeHtml(content)}</text>`
}
