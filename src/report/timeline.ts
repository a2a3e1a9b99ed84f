/**
 * The sww01 timeline of the report: the whole WAV, its truth windows (hit or missed) and every detection (inside a
 * window, a false positive, or debounced into one), so that "my device detects nothing" can be seen at a glance.
 */

import type {SwwScore} from '../scoring/index.js'

import {coordinate, escapeHtml} from './markup.js'
import {line, svg, text} from './svg.js'

export const TIMELINE_COLOURS = {
  hit: '#59a14f',
  missed: '#e15759',
  matched: '#1b5e20',
  falsePositive: '#d62728',
  debounced: '#9e9e9e',
}

const PLOT_LEFT = 56
const PLOT_WIDTH = 960
/** Room for the last tick's label. */
const PLOT_RIGHT_MARGIN = 32
const LEGEND_HEIGHT = 26
const ROW_HEIGHT = 62
const WINDOW_TOP = 6
const WINDOW_HEIGHT = 14
const TICK_TOP = 24
const TICK_HEIGHT = 16
const SHORT_TICK = 8
const LABEL_OFFSET = 57
/** Windows last under a second: on a 1200-s WAV they would vanish without a minimum width. */
const MIN_MARK_WIDTH = 2
/** A WAV up to this long fits one row; a longer one is cut into rows of a round length, about ten of them. */
const SINGLE_ROW_S = 120
const TARGET_ROWS = 10
const ROUND_SECONDS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 3600]
const TICKS_PER_ROW = 6

type DetectionKind = 'matched' | 'falsePositive' | 'debounced'

export function swwTimelineSvg(sww: SwwScore): string {
  const {stats} = sww
  // a loop, not Math.max(...spread): a noisy device's detection list can be longer than the call stack allows
  let lastEvent = 0
  for (const seconds of [...sww.windows.map(([, stop]) => stop), ...stats.detectionsS]) lastEvent = Math.max(lastEvent, seconds)
  const length = Number.isFinite(sww.lengthS) && sww.lengthS > 0 ? Math.max(sww.lengthS, lastEvent) : lastEvent
  const rowSeconds = length <= SINGLE_ROW_S ? Math.max(length, ROUND_SECONDS[0]) : roundUp(length / TARGET_ROWS)
  const rows = Math.max(1, Math.ceil(length / rowSeconds))
  const scale = PLOT_WIDTH / rowSeconds
  const rowOf = (seconds: number) => Math.min(rows - 1, Math.max(0, Math.floor(seconds / rowSeconds)))
  // a detection before the t = 0 marker (a list out of order) sits at the left edge
  const x = (seconds: number) => PLOT_LEFT + Math.min(rowSeconds, Math.max(0, seconds - rowOf(seconds) * rowSeconds)) * scale
  const top = (row: number) => LEGEND_HEIGHT + row * ROW_HEIGHT
  const parts: string[] = [legend()]
  const tickStep = roundUp(rowSeconds / TICKS_PER_ROW)
  for (let row = 0; row < rows; row++) {
    const rowStart = row * rowSeconds
    const y = top(row)
    parts.push(`<rect x="${PLOT_LEFT}" y="${y}" width="${PLOT_WIDTH}" height="${TICK_TOP + TICK_HEIGHT + 2}"`
      + ' fill="#fafafa" stroke="#ddd"/>')
    for (let tick = 0; tick <= rowSeconds + 1e-9; tick += tickStep) {
      const tickX = PLOT_LEFT + tick * scale
      parts.push(line(tickX, y + TICK_TOP + TICK_HEIGHT + 2, tickX, y + TICK_TOP + TICK_HEIGHT + 6, '#333'),
        text(tickX, y + LABEL_OFFSET, `${Number((rowStart + tick).toFixed(1))} s`, 'middle'))
    }
  }
  if (length > sww.lengthS) {
    // detections after the end of the WAV: the axis runs on to show them, the WAV's end marked
    const endX = x(sww.lengthS)
    const endTop = top(rowOf(sww.lengthS))
    parts.push(`<line class="wav-end" x1="${coordinate(endX)}" y1="${endTop}" x2="${coordinate(endX)}"`
      + ` y2="${endTop + TICK_TOP + TICK_HEIGHT + 2}" stroke="#333" stroke-dasharray="3 3">`
      + `<title>end of the WAV (${sww.lengthS} s)</title></line>`)
  }
  for (const [index, [start, stop]] of sww.windows.entries()) {
    const hit = stats.matches[index].length > 0
    // a window crossing a row boundary is drawn in the row it starts in, clipped at the row's end
    const left = x(start)
    const width = Math.max(MIN_MARK_WIDTH, Math.min((stop - start) * scale, PLOT_LEFT + PLOT_WIDTH - left))
    const title = `window ${index + 1}: ${start.toFixed(3)}–${stop.toFixed(3)} s, `
      + (hit ? `detected (${stats.matches[index].length} detection${stats.matches[index].length === 1 ? '' : 's'})`
        : 'missed (false negative)')
    parts.push(`<rect class="${hit ? 'tp' : 'fn'}" x="${coordinate(left)}" y="${top(rowOf(start)) + WINDOW_TOP}"`
      + ` width="${coordinate(width)}" height="${WINDOW_HEIGHT}" fill="${hit ? TIMELINE_COLOURS.hit : TIMELINE_COLOURS.missed}">`
      + `<title>${escapeHtml(title)}</title></rect>`)
  }
  const kinds = detectionKinds(sww)
  // false positives drawn last, on top of the detections debounced into them
  const drawingOrder = stats.detectionsS.map((_, index) => index)
    .sort((a, b) => DRAWING_RANK[kinds[a]] - DRAWING_RANK[kinds[b]] || a - b)
  for (const index of drawingOrder) {
    const seconds = stats.detectionsS[index]
    const kind = kinds[index]
    const y = top(rowOf(seconds))
    const height = kind === 'debounced' ? SHORT_TICK : TICK_HEIGHT
    const title = `detection at ${seconds.toFixed(3)} s (${sww.detectionsMs[index + 1]} ms): ${DETECTION_NAMES[kind]}`
    parts.push(`<line class="${DETECTION_CLASSES[kind]}" x1="${coordinate(x(seconds))}" y1="${y + TICK_TOP}"`
      + ` x2="${coordinate(x(seconds))}" y2="${y + TICK_TOP + height}" stroke="${TIMELINE_COLOURS[kind]}"`
      + ` stroke-width="2"><title>${escapeHtml(title)}</title></line>`)
  }
  const width = PLOT_LEFT + PLOT_WIDTH + PLOT_RIGHT_MARGIN
  const height = top(rows) + 4
  const label = `timeline of ${sww.wavFile}: ${stats.truePositives} true positives, ${stats.falseNegatives} false`
    + ` negatives, ${stats.falsePositives} false positives`
  return svg(width, height, label, parts)
}

const DETECTION_NAMES: Record<DetectionKind, string> = {
  matched: 'inside a truth window (true positive)',
  falsePositive: 'false positive',
  debounced: 'within 1 s of a false positive (debounced, not counted)',
}
const DRAWING_RANK: Record<DetectionKind, number> = {debounced: 0, matched: 1, falsePositive: 2}
const DETECTION_CLASSES: Record<DetectionKind, string> = {matched: 'matched', falsePositive: 'fp', debounced: 'debounced'}

function detectionKinds(sww: SwwScore): DetectionKind[] {
  const kinds: DetectionKind[] = sww.stats.detectionsS.map(() => 'debounced')
  for (const hit of sww.stats.matches) for (const index of hit) kinds[index] = 'matched'
  for (const index of sww.stats.falsePositiveIndices) kinds[index] = 'falsePositive'
  return kinds
}

function legend(): string {
  const items: [string, string, boolean][] = [
    ['truth window, detected', TIMELINE_COLOURS.hit, true],
    ['truth window, missed (FN)', TIMELINE_COLOURS.missed, true],
    ['detection in a window (TP)', TIMELINE_COLOURS.matched, false],
    ['false positive (FP)', TIMELINE_COLOURS.falsePositive, false],
    ['debounced into an FP', TIMELINE_COLOURS.debounced, false],
  ]
  const step = PLOT_WIDTH / items.length
  return items.map(([name, colour, isWindow], index) => {
    const itemX = PLOT_LEFT + index * step
    const mark = isWindow
      ? `<rect x="${coordinate(itemX)}" y="6" width="14" height="10" fill="${colour}"/>`
      : line(itemX + 7, 4, itemX + 7, 18, colour, 2)
    return mark + text(itemX + 20, 15, name, 'start')
  }).join('')
}

/** The smallest round length of at least `seconds`. */
function roundUp(seconds: number): number {
  return ROUND_SECONDS.find((round) => round >= seconds) ?? Math.ceil(seconds)
}
