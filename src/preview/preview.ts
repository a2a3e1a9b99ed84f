/** One stimulus as a PNG: an image magnified, or a spectrogram or waveform plotted with axes. */

import {UserError} from '../errors.js'
import type {BenchmarkId} from '../benchmark-ids.js'
import type {Rect} from './canvas.js'
import {drawPicture, drawWithAxes} from './draw.js'
import {encodePng, Overlay} from './png.js'
import {type DecodedStimulus, decodeStimulus, type KwsFeatures} from './stimulus.js'

export interface PreviewOptions {
  /**
   * Magnification, a whole number from 1 to 32. Images: each pixel becomes scale × scale (default ic01 8 → 256 × 256,
   * vww01 4 → 384 × 384). Spectrograms: each cell is scale wide and scale high (ad01, default 2 → 400 × 256), or twice
   * as high for kws01's 10 rows (default 8 → 392 × 160). kws01 samples: a 100·scale × 40·scale plot (default 4).
   */
  scale?: number
  /** Frame, axis titles, tick numbers and colour bar around a spectrogram or waveform (default true); images have none. */
  axes?: boolean
  /** A line above a plot with axes, for example the file name. */
  title?: string
  /** How to read a 490-byte kws01 stimulus (default mfcc): the bytes do not say. */
  kwsFeatures?: KwsFeatures
}

export interface StimulusPreview {
  png: Buffer
  width: number
  height: number
  /** Where the stimulus itself (the image, the heatmap, the waveform plot) sits in the PNG. */
  picture: Rect
  scale: number
}

export const MAX_SCALE = 32

/** The default magnification of a preview; contact sheets use half of it (at least 1). */
export function defaultScale(benchmark: BenchmarkId, stimulus: DecodedStimulus): number {
  if (stimulus.kind === 'waveform') return 4
  return {ic01: 8, vww01: 4, kws01: 8, ad01: 2}[benchmark]
}

/** Renders one stimulus of `benchmark`; bytes of another size, or a bad scale, are a UserError. */
export async function renderStimulusPreview(benchmark: BenchmarkId, bytes: Uint8Array, options: PreviewOptions = {}): Promise<StimulusPreview> {
  const stimulus = decodeStimulus(benchmark, bytes, options.kwsFeatures)
  const scale = checkScale(options.scale ?? defaultScale(benchmark, stimulus))
  const picture = drawPicture(stimulus, scale)
  const drawing = stimulus.kind === 'image' || options.axes === false
    ? {canvas: picture, overlay: new Overlay(), picture: {left: 0, top: 0, width: picture.width, height: picture.height}}
    : drawWithAxes(stimulus, picture, scale, options.title)
  const png = await encodePng(drawing.canvas, drawing.overlay)
  return {png, width: drawing.canvas.width, height: drawing.canvas.height, picture: drawing.picture, scale}
}

/** One stimulus as PNG bytes (see renderStimulusPreview); `{scale: 1, axes: false}` gives a thumbnail. */
export async function stimulusPreviewPng(benchmark: BenchmarkId, bytes: Uint8Array, options: PreviewOptions = {}): Promise<Buffer> {
  return (await renderStimulusPreview(benchmark, bytes, options)).png
}

export function checkScale(scale: number): number {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) throw new UserError(`scale ${scale}: expected a whole number from 1 to ${MAX_SCALE}`)
  return scale
}
