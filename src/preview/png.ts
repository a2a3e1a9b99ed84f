/** PNG encoding with sharp: the canvas as it is, with the overlay's text and lines composited on top. */

import {escapeHtml} from '../report/markup.js'
import {loadSharp} from '../image/decode.js'
import type {RgbCanvas} from './canvas.js'

const SANS = 'DejaVu Sans, Verdana, Arial, sans-serif'
const MONO = 'DejaVu Sans Mono, Menlo, Consolas, monospace'
const TEXT_COLOUR = '#222222'
const AXIS_COLOUR = '#555555'

/** Advance width of one DejaVu Sans Mono character, in em: captions are cut to fit by counting characters. */
export const MONO_ADVANCE_EM = 0.602

export interface TextOptions {
  size: number
  anchor?: 'start' | 'middle' | 'end'
  mono?: boolean
  /** Degrees, about the text's anchor point (−90: reading upwards, for a y-axis title). */
  rotate?: number
  weight?: 'bold'
}

/** SVG elements drawn over a canvas; everywhere else the overlay is transparent, so the pixels stay exact. */
export class Overlay {
  private readonly elements: string[] = []

  text(x: number, y: number, content: string, options: TextOptions): void {
    const family = options.mono ? MONO : SANS
    const rotation = options.rotate ? ` transform="rotate(${options.rotate} ${x} ${y})"` : ''
    const weight = options.weight ? ` font-weight="${options.weight}"` : ''
    this.elements.push(`<text x="${x}" y="${y}" font-family="${family}" font-size="${options.size}"${weight}`
      + ` text-anchor="${options.anchor ?? 'start'}" fill="${TEXT_COLOUR}"${rotation}>${escapeHtml(content)}</text>`)
  }

  /** A 1-pixel line between pixel centres: (x, y) are pixel coordinates, drawn on the pixels themselves. */
  line(x1: number, y1: number, x2: number, y2: number): void {
    this.elements.push(`<line x1="${x1 + 0.5}" y1="${y1 + 0.5}" x2="${x2 + 0.5}" y2="${y2 + 0.5}" stroke="${AXIS_COLOUR}" stroke-width="1" shape-rendering="crispEdges"/>`)
  }

  get isEmpty(): boolean {
    return this.elements.length === 0
  }

  svg(width: number, height: number): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${this.elements.join('')}</svg>`
  }
}

/** The canvas as an RGB PNG, with the overlay composited where it has any elements. */
export async function encodePng(canvas: RgbCanvas, overlay: Overlay): Promise<Buffer> {
  const sharp = await loadSharp('PNG previews need it')
  const raw = {raw: {width: canvas.width, height: canvas.height, channels: 3 as const}}
  const image = sharp(canvas.pixels, raw)
  if (overlay.isEmpty) return image.png().toBuffer()
  // The composite adds an alpha channel; it is fully opaque, and dropped so that the PNG is plain RGB.
  return image
    .composite([{input: Buffer.from(overlay.svg(canvas.width, canvas.height)), top: 0, left: 0}])
    .removeAlpha()
    .png()
    .toBuffer()
}

