/** An RGB pixel buffer to draw the pictures into, and its PNG encoding (text and lines come as an SVG overlay). */

import type {Rgb} from './colour-map.js'

export interface Rect {
  left: number
  top: number
  width: number
  height: number
}

const WHITE: Rgb = [255, 255, 255]

export class RgbCanvas {
  /** height × width × 3 bytes, row-major. */
  readonly pixels: Uint8Array

  constructor(readonly width: number, readonly height: number, background: Rgb = WHITE) {
    this.pixels = new Uint8Array(width * height * 3)
    this.fill({left: 0, top: 0, width, height}, background)
  }

  fill(rect: Rect, colour: Rgb): void {
    for (let y = rect.top; y < rect.top + rect.height; y++) {
      for (let x = rect.left; x < rect.left + rect.width; x++) this.pixels.set(colour, (y * this.width + x) * 3)
    }
  }

  /** Copies `source` with its top-left corner at (left, top); it must fit. */
  draw(source: RgbCanvas, left: number, top: number): void {
    const rowBytes = source.width * 3
    for (let y = 0; y < source.height; y++) {
      const from = y * rowBytes
      this.pixels.set(source.pixels.subarray(from, from + rowBytes), ((top + y) * this.width + left) * 3)
    }
  }
}
