/** Drawing a decoded stimulus: the bare picture (image, heatmap or waveform), and the axes around a plot. */

import {COLOUR_MAP, COLOUR_MAP_SIZE, colourOf, type Rgb} from './colour-map.js'
import {type Rect, RgbCanvas} from './canvas.js'
import {Overlay} from './png.js'
import type {DecodedStimulus, ImageStimulus, SpectrogramStimulus, WaveformStimulus} from './stimulus.js'

export interface Drawing {
  canvas: RgbCanvas
  overlay: Overlay
  /** Where the bare picture sits on the canvas. */
  picture: Rect
}

/** Spectrograms with this many rows or fewer (kws01's 10) get cells twice as tall as wide, not a sliver of a plot. */
const TALL_CELL_MAX_BINS = 16
/** A waveform plot is this many times `scale` wide and high. */
const WAVEFORM_WIDTH_PER_SCALE = 100
const WAVEFORM_HEIGHT_PER_SCALE = 40
const WAVEFORM_COLOUR: Rgb = [0x31, 0x68, 0x8e]
const ZERO_LINE_COLOUR: Rgb = [0xcc, 0xcc, 0xcc]

const TICK_LENGTH = 4
const TICK_FONT = 11
const TITLE_FONT = 13
const MARGIN_LEFT = 72
const MARGIN_TOP = 12
const TITLE_HEIGHT = 22
const MARGIN_BOTTOM = 44
const MARGIN_RIGHT = 16
const COLOUR_BAR_GAP = 16
const COLOUR_BAR_WIDTH = 14
const COLOUR_BAR_LABELS = 64
/** At most this many numbered ticks on an axis. */
const MAX_TICKS = 6
const NICE_TICK_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]

/** The stimulus alone: each image pixel or spectrogram cell `scale` pixels wide; a waveform plot of 100·scale × 40·scale. */
export function drawPicture(stimulus: DecodedStimulus, scale: number): RgbCanvas {
  switch (stimulus.kind) {
    case 'image': return drawImage(stimulus, scale)
    case 'spectrogram': return drawHeatmap(stimulus, scale)
    case 'waveform': return drawWaveform(stimulus, scale)
  }
}

/** The plot of a spectrogram or waveform with a frame, axis titles, tick numbers, and a spectrogram's colour bar. */
export function drawWithAxes(
  stimulus: SpectrogramStimulus | WaveformStimulus, plot: RgbCanvas, scale: number, title: string | undefined,
): Drawing {
  const top = MARGIN_TOP + (title === undefined ? 0 : TITLE_HEIGHT)
  const right = stimulus.kind === 'spectrogram' ? COLOUR_BAR_GAP + COLOUR_BAR_WIDTH + COLOUR_BAR_LABELS : MARGIN_RIGHT
  const picture = {left: MARGIN_LEFT, top, width: plot.width, height: plot.height}
  const canvas = new RgbCanvas(MARGIN_LEFT + plot.width + right, top + plot.height + MARGIN_BOTTOM)
  canvas.draw(plot, picture.left, picture.top)
  const overlay = new Overlay()
  if (title !== undefined) overlay.text(picture.left, MARGIN_TOP + TITLE_FONT, title, {size: TITLE_FONT, weight: 'bold'})
  outline(overlay, picture)
  if (stimulus.kind === 'spectrogram') spectrogramAxes(stimulus, canvas, overlay, picture, scale)
  else waveformAxes(stimulus, overlay, picture)
  return {canvas, overlay, picture}
}

/** The [min, max] of the finite values; [0, 0] where there are none. */
export function finiteRange(values: ArrayLike<number>): [number, number] {
  let [min, max] = [Infinity, -Infinity]
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!
    if (!Number.isFinite(value)) continue
    if (value < min) min = value
    if (value > max) max = value
  }
  return min <= max ? [min, max] : [0, 0]
}

export function formatValue(value: number, stimulus: SpectrogramStimulus): string {
  const number = stimulus.integer ? String(value) : value.toFixed(1)
  return stimulus.unit === 'dB' ? `${number} dB` : number
}

function drawImage(stimulus: ImageStimulus, scale: number): RgbCanvas {
  const canvas = new RgbCanvas(stimulus.width * scale, stimulus.height * scale)
  for (let y = 0; y < stimulus.height; y++) {
    for (let x = 0; x < stimulus.width; x++) {
      const at = (y * stimulus.width + x) * 3
      const colour: Rgb = [stimulus.rgb[at]!, stimulus.rgb[at + 1]!, stimulus.rgb[at + 2]!]
      canvas.fill({left: x * scale, top: y * scale, width: scale, height: scale}, colour)
    }
  }
  return canvas
}

/** Time runs left to right, bins bottom to top; colours span the stimulus's own finite range. */
function drawHeatmap(stimulus: SpectrogramStimulus, scale: number): RgbCanvas {
  const [cellWidth, cellHeight] = cellSize(stimulus, scale)
  const canvas = new RgbCanvas(stimulus.frames * cellWidth, stimulus.bins * cellHeight)
  const [min, max] = finiteRange(stimulus.values)
  for (let frame = 0; frame < stimulus.frames; frame++) {
    for (let bin = 0; bin < stimulus.bins; bin++) {
      const colour = colourOf(stimulus.values[frame * stimulus.bins + bin]!, min, max)
      canvas.fill({left: frame * cellWidth, top: (stimulus.bins - 1 - bin) * cellHeight, width: cellWidth, height: cellHeight}, colour)
    }
  }
  return canvas
}

function cellSize(stimulus: SpectrogramStimulus, scale: number): [number, number] {
  return [scale, stimulus.bins <= TALL_CELL_MAX_BINS ? 2 * scale : scale]
}

/** Each pixel column spans the min…max of its samples; the vertical scale is ± the clip's peak. */
function drawWaveform(stimulus: WaveformStimulus, scale: number): RgbCanvas {
  const canvas = new RgbCanvas(WAVEFORM_WIDTH_PER_SCALE * scale, WAVEFORM_HEIGHT_PER_SCALE * scale)
  const peak = waveformPeak(stimulus)
  const rowOf = (sample: number): number => Math.round(((peak - sample) / (2 * peak)) * (canvas.height - 1))
  canvas.fill({left: 0, top: rowOf(0), width: canvas.width, height: 1}, ZERO_LINE_COLOUR)
  const {samples} = stimulus
  for (let x = 0; x < canvas.width; x++) {
    const [start, end] = [Math.floor((x * samples.length) / canvas.width), Math.floor(((x + 1) * samples.length) / canvas.width)]
    const [low, high] = finiteRange(samples.subarray(start, Math.max(end, start + 1)))
    canvas.fill({left: x, top: rowOf(high), width: 1, height: rowOf(low) - rowOf(high) + 1}, WAVEFORM_COLOUR)
  }
  return canvas
}

function waveformPeak(stimulus: WaveformStimulus): number {
  const [min, max] = finiteRange(stimulus.samples)
  return Math.max(1, -min, max)
}

/** A 1-pixel frame just outside the picture, so that no picture pixel is drawn over. */
function outline(overlay: Overlay, picture: Rect): void {
  const [left, top, right, bottom] = [picture.left - 1, picture.top - 1, picture.left + picture.width, picture.top + picture.height]
  overlay.line(left, top, right, top)
  overlay.line(left, bottom, right, bottom)
  overlay.line(left, top, left, bottom)
  overlay.line(right, top, right, bottom)
}

function spectrogramAxes(stimulus: SpectrogramStimulus, canvas: RgbCanvas, overlay: Overlay, plot: Rect, scale: number): void {
  const [cellWidth, cellHeight] = cellSize(stimulus, scale)
  const bottom = plot.top + plot.height
  for (const frameIndex of ticks(stimulus.frames)) {
    xTick(overlay, plot, plot.left + Math.floor((frameIndex + 0.5) * cellWidth), String(frameIndex))
  }
  for (const bin of ticks(stimulus.bins)) {
    yTick(overlay, plot, bottom - 1 - Math.floor((bin + 0.5) * cellHeight), String(bin))
  }
  axisTitles(overlay, plot, `frame (${stimulus.frameStepMs} ms step)`, stimulus.binName)

  // The colour bar: the whole map from the lowest colour (bottom) to the highest (top), labelled with the range.
  const bar = {left: plot.left + plot.width + COLOUR_BAR_GAP, top: plot.top, width: COLOUR_BAR_WIDTH, height: plot.height}
  for (let row = 0; row < bar.height; row++) {
    const entry = Math.round(((bar.height - 1 - row) / Math.max(1, bar.height - 1)) * (COLOUR_MAP_SIZE - 1))
    canvas.fill({left: bar.left, top: bar.top + row, width: bar.width, height: 1}, COLOUR_MAP[entry]!)
  }
  outline(overlay, bar)
  const [min, max] = finiteRange(stimulus.values)
  const labelX = bar.left + bar.width + 5
  overlay.text(labelX, bar.top + TICK_FONT - 2, formatValue(max, stimulus), {size: TICK_FONT})
  overlay.text(labelX, bottom, formatValue(min, stimulus), {size: TICK_FONT})
  if (stimulus.unit !== 'dB') overlay.text(labelX, bar.top + bar.height / 2 + 4, stimulus.unit, {size: TICK_FONT})
}

function waveformAxes(stimulus: WaveformStimulus, overlay: Overlay, plot: Rect): void {
  const seconds = stimulus.samples.length / stimulus.sampleRate
  const quarter = seconds / 4
  for (let tick = 0; tick <= 4; tick++) {
    xTick(overlay, plot, plot.left + Math.round((tick / 4) * (plot.width - 1)), String(Number((tick * quarter).toFixed(3))))
  }
  const peak = waveformPeak(stimulus)
  for (const value of [peak, 0, -peak]) {
    yTick(overlay, plot, plot.top + Math.round(((peak - value) / (2 * peak)) * (plot.height - 1)), String(value))
  }
  axisTitles(overlay, plot, 'time (s)', 'int16 sample')
}

function xTick(overlay: Overlay, plot: Rect, x: number, label: string): void {
  const below = plot.top + plot.height + 1
  overlay.line(x, below, x, below + TICK_LENGTH - 1)
  overlay.text(x, below + TICK_LENGTH + TICK_FONT, label, {size: TICK_FONT, anchor: 'middle'})
}

function yTick(overlay: Overlay, plot: Rect, y: number, label: string): void {
  const outside = plot.left - 2
  overlay.line(outside - TICK_LENGTH + 1, y, outside, y)
  overlay.text(outside - TICK_LENGTH - 2, y + 4, label, {size: TICK_FONT, anchor: 'end'})
}

function axisTitles(overlay: Overlay, plot: Rect, xTitle: string, yTitle: string): void {
  overlay.text(plot.left + plot.width / 2, plot.top + plot.height + 38, xTitle, {size: TICK_FONT + 1, anchor: 'middle'})
  const x = 16
  const y = plot.top + plot.height / 2
  overlay.text(x, y, yTitle, {size: TICK_FONT + 1, anchor: 'middle', rotate: -90})
}

/** 0, step, 2·step, … below `count`, with the smallest nice step that keeps to MAX_TICKS numbers. */
function ticks(count: number): number[] {
  const step = NICE_TICK_STEPS.find((candidate) => Math.floor((count - 1) / candidate) + 1 <= MAX_TICKS) ?? count
  return Array.from({length: Math.floor((count - 1) / step) + 1}, (_, index) => index * step)
}
