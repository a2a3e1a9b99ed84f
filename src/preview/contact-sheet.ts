/** Many stimuli of one benchmark in a grid, each tile captioned with its file name and label. */

import type {BenchmarkId} from '../benchmark-ids.js'
import {type Rect, RgbCanvas} from './canvas.js'
import {drawPicture, finiteRange, formatValue} from './draw.js'
import {encodePng, MONO_ADVANCE_EM, Overlay} from './png.js'
import {checkScale, defaultScale} from './preview.js'
import {decodeStimulus, type KwsFeatures} from './stimulus.js'

export interface ContactSheetEntry {
  /** The file name, the first caption line. */
  name: string
  /** The second caption line, for example labelText(benchmark, label): "Stop (7)". */
  label?: string
  bytes: Uint8Array
}

export interface ContactSheetOptions {
  /** Magnification of each tile's picture (see PreviewOptions.scale); default half a preview's, at least 1. */
  scale?: number
  /** Tiles per row; default ⌈√count⌉ (4 × 4 for 16 stimuli). */
  columns?: number
  kwsFeatures?: KwsFeatures
}

export interface ContactSheet {
  png: Buffer
  width: number
  height: number
  columns: number
  rows: number
  /** Every tile has this size; tile i is at column i mod columns, row ⌊i / columns⌋. */
  tileWidth: number
  tileHeight: number
  /** Where the picture sits inside a tile. */
  picture: Rect
  scale: number
}

const PADDING = 8
const CAPTION_FONT = 11
const CAPTION_LINE_HEIGHT = 14
const CAPTION_GAP = 4
/** Tiles are at least this wide, so that a caption of some 24 characters fits beside a small picture. */
const MIN_CAPTION_WIDTH = 160

/** Renders the entries (all stimuli of `benchmark`) in a grid; spectrogram captions give each tile's value range. */
export async function renderContactSheet(
  entries: readonly ContactSheetEntry[], benchmark: BenchmarkId, options: ContactSheetOptions = {},
): Promise<ContactSheet> {
  if (entries.length === 0) throw new Error('a contact sheet needs at least one stimulus')
  const stimuli = entries.map((entry) => decodeStimulus(benchmark, entry.bytes, options.kwsFeatures))
  const scale = checkScale(options.scale ?? Math.max(1, Math.floor(defaultScale(benchmark, stimuli[0]!) / 2)))
  const pictures = stimuli.map((stimulus) => drawPicture(stimulus, scale))
  const pictureWidth = Math.max(...pictures.map((picture) => picture.width))
  const pictureHeight = Math.max(...pictures.map((picture) => picture.height))
  const contentWidth = Math.max(pictureWidth, MIN_CAPTION_WIDTH)
  const maxCharacters = Math.floor(contentWidth / (MONO_ADVANCE_EM * CAPTION_FONT))
  const names = entries.map((entry) => splitName(entry.name, maxCharacters))
  const nameLines = Math.max(...names.map((lines) => lines.length))
  const captionLines = nameLines + 1 + (stimuli.some((stimulus) => stimulus.kind === 'spectrogram') ? 1 : 0)
  const tileWidth = contentWidth + 2 * PADDING
  const tileHeight = PADDING + pictureHeight + CAPTION_GAP + captionLines * CAPTION_LINE_HEIGHT + PADDING
  const columns = options.columns ?? Math.ceil(Math.sqrt(entries.length))
  if (!Number.isInteger(columns) || columns < 1) throw new Error(`columns ${columns}: expected a whole number of at least 1`)
  const rows = Math.ceil(entries.length / columns)
  const canvas = new RgbCanvas(columns * tileWidth, rows * tileHeight)
  const overlay = new Overlay()
  for (const [index, entry] of entries.entries()) {
    const [tileLeft, tileTop] = [(index % columns) * tileWidth, Math.floor(index / columns) * tileHeight]
    const picture = pictures[index]!
    canvas.draw(picture, tileLeft + PADDING + Math.floor((contentWidth - picture.width) / 2), tileTop + PADDING)
    const stimulus = stimuli[index]!
    const lines = [...names[index]!, entry.label ?? '']
    if (stimulus.kind === 'spectrogram') {
      const [min, max] = finiteRange(stimulus.values)
      lines.push(`${formatValue(min, stimulus)} … ${formatValue(max, stimulus)}`)
    }
    for (const [line, text] of lines.entries()) {
      const baseline = tileTop + PADDING + pictureHeight + CAPTION_GAP + (line + 1) * CAPTION_LINE_HEIGHT - 3
      overlay.text(tileLeft + PADDING, baseline, text, {size: CAPTION_FONT, mono: true})
    }
  }
  const png = await encodePng(canvas, overlay)
  const picture = {left: PADDING + Math.floor((contentWidth - pictureWidth) / 2), top: PADDING, width: pictureWidth, height: pictureHeight}
  return {png, width: canvas.width, height: canvas.height, columns, rows, tileWidth, tileHeight, picture, scale}
}

/** The contact sheet as PNG bytes (see renderContactSheet). */
export async function contactSheetPng(
  entries: readonly ContactSheetEntry[], benchmark: BenchmarkId, options: ContactSheetOptions = {},
): Promise<Buffer> {
  return (await renderContactSheet(entries, benchmark, options)).png
}

/**
 * A name on one caption line, or on two where it is too long: broken after its last "_" that fits, and the
 * rest cut in the middle if it is still too long. File names are told apart by their numbers, in the middle of an
 * ad01 name (normal_id_01_00000003_hist_librosa.bin) and at the end of the others, so neither end can simply go.
 */
function splitName(name: string, maxCharacters: number): string[] {
  if (name.length <= maxCharacters) return [name]
  const breakAfter = name.lastIndexOf('_', maxCharacters - 1)
  const firstLength = breakAfter > 0 ? breakAfter + 1 : maxCharacters
  return [name.slice(0, firstLength), cutMiddle(name.slice(firstLength), maxCharacters)]
}

function cutMiddle(text: string, maxCharacters: number): string {
  if (text.length <= maxCharacters) return text
  const head = Math.ceil((maxCharacters - 1) / 2)
  return `${text.slice(0, head)}…${text.slice(text.length - (maxCharacters - 1 - head))}`
}
