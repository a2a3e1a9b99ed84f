import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {antiAliasSigma, filtersAxis, gaussianKernel} from '../../src/image/gaussian.js'
import {clipBounds, skimageResizeUint8, type ResizePlan} from '../../src/image/skimage-resize.js'
import {AFFINE_TABLE, tableAffine, VWW_SIDE, vwwResizePlan} from '../../src/image/vww-resize-plan.js'
import {idealAffine, reflectCoordinate, sampleAxis, type AffineParameters} from '../../src/image/warp.js'
import {REPO_ROOT} from '../helpers/archives.js'
import {noiseBytes, referenceResize, syntheticRgb} from '../helpers/images.js'

function planFor(height: number, width: number, affine: AffineParameters = idealAffine(height, width, VWW_SIDE)): ResizePlan {
  const kernel = (side: number) => (filtersAxis(antiAliasSigma(side, VWW_SIDE)) ? gaussianKernel(antiAliasSigma(side, VWW_SIDE)) : undefined)
  return {outputSize: VWW_SIDE, rowKernel: kernel(height), columnKernel: kernel(width), affine}
}

describe('the bilinear warp of skimage 0.18 resize', () => {
  it('samples input column M00·j + M02 and row M11·i + M12, weighting floor and ceil by 1 − d and d', () => {
    const {columnScale, columnOffset} = idealAffine(480, 640, 96)
    expect([columnScale, columnOffset]).toEqual([640 / 96, 640 / 192 - 0.5])
    const axis = sampleAxis(columnScale, columnOffset, 640, 96)
    const c5 = columnScale * 5 + columnOffset // 36.1666…
    expect([axis.low[5], axis.high[5], axis.fraction[5], axis.complement[5]]).toEqual([36, 37, c5 - 36, 1 - (c5 - 36)])
    // An integer position samples one pixel with weight 1.
    const rows = sampleAxis(5, 2, 480, 96)
    expect([rows.low[3], rows.high[3], rows.fraction[3]]).toEqual([17, 17, 0])
  })

  it("mirrors coordinates outside the image like skimage's coord_map 'R' (images smaller than 96)", () => {
    expect([-1, -2, 0, 9, 10, 11, -12, 22].map((c) => reflectCoordinate(c, 10))).toEqual([1, 2, 0, 9, 8, 7, 6, 4])
  })

  it.each([
    [480, 640],
    [640, 427],
    [145, 200],
    [97, 300],
    [96, 96],
    [60, 80],
    [100, 41],
  ])('equals the whole-image reference on a %i×%i noise image', (height, width) => {
    const image = noiseBytes(height * width * 3, height * 7 + width)
    const plan = planFor(height, width)
    expect(skimageResizeUint8(image, height, width, plan)).toEqual(referenceResize(image, height, width, plan))
  })

  it.each([
    [480, 640, 0],
    [426, 640, 1],
    [375, 500, 2],
  ])('equals the reference on a photo-like %i×%i image with the pinned parameters', (height, width, seed) => {
    const image = syntheticRgb(width, height, seed)
    const plan = vwwResizePlan(height, width)
    expect(skimageResizeUint8(image, height, width, plan)).toEqual(referenceResize(image, height, width, plan))
  })

  it.each([0, 1, 23, 77, 164, 254, 255])('equals the reference on flat %i, alone and with one bright and one dark pixel', (level) => {
    const [height, width] = [480, 640]
    const plan = vwwResizePlan(height, width)
    const flat = new Uint8Array(height * width * 3).fill(level)
    // On a flat image (1 − d)·a + d·a lands an ulp above a·(1/255) on some samples, so the clip decides bytes
    // (for 23 the whole image is filtered to settle it: the byte of a value past the sampled extreme depends on the clip).
    // The spots sit between the sampled rows and columns.
    const spots = flat.slice()
    spots.fill(Math.min(255, level + 100), (244 * width + 326) * 3, (244 * width + 326) * 3 + 3)
    spots.fill(Math.max(0, level - 100), (100 * width + 3) * 3, (100 * width + 3) * 3 + 3)
    for (const image of [flat, spots]) expect(skimageResizeUint8(image, height, width, plan)).toEqual(referenceResize(image, height, width, plan))
  })
})

describe('the clip to the filtered image’s extremes', () => {
  const unit = (byte: number) => byte * (1 / 255)
  const sampled = Uint8Array.of(40, 90, 200)
  const whole = Uint8Array.of(10, 40, 90, 200, 230)
  const bounds = (values: number[], sampledBytes = sampled) => {
    let filtered = 0
    const result = clipBounds(Float64Array.from(values), sampledBytes, () => (filtered++, whole))
    return {...result, filtered}
  }
  const above = (byte: number) => unit(byte) + 2 ** -52

  it('uses the sampled extremes while every value lies within them (the global ones lie beyond)', () => {
    expect(bounds([unit(40), 0.5, unit(200)])).toEqual({low: unit(40), high: unit(200), filtered: 0})
  })

  it('filters the whole image when a value passes a sampled extreme that may not be the global one, and its byte depends on it', () => {
    // 255·unit(164) lies just below 164: clipped, the value above it gives byte 163; unclipped, 164.
    expect(Math.trunc(255 * unit(164))).toBe(163)
    expect(bounds([0.5, above(164)], Uint8Array.of(40, 164))).toEqual({low: unit(10), high: unit(230), filtered: 1})
    expect(bounds([unit(40) - 2 ** -54, 0.5])).toEqual({low: unit(10), high: unit(230), filtered: 1})
  })

  it('needs no whole image when the value past a sampled extreme gives the same byte clipped or not', () => {
    expect(Math.trunc(255 * unit(200))).toBe(200)
    expect(Math.trunc(255 * above(200))).toBe(200)
    expect(bounds([0.5, above(200)])).toEqual({low: unit(40), high: unit(200), filtered: 0})
  })

  it('needs no whole image when the passed extreme is 255 or 0, which nothing exceeds', () => {
    expect(bounds([above(255)], Uint8Array.of(3, 255))).toEqual({low: unit(3), high: unit(255), filtered: 0})
    expect(bounds([-(2 ** -60)], Uint8Array.of(0, 90))).toEqual({low: 0, high: unit(90), filtered: 0})
  })
})

describe('the pinned per-shape numbers (manifests/vww01/)', () => {
  it('looks the affine parameters up by HxW as exact doubles', () => {
    const table = JSON.parse(readFileSync(join(REPO_ROOT, AFFINE_TABLE), 'utf8')) as {M: Record<string, string[]>; M_dec: Record<string, string[]>; in_vww01: string[]}
    expect(Object.keys(table.M_dec)).toHaveLength(603)
    for (const shape of table.in_vww01) {
      const [height, width] = shape.split('x').map(Number) as [number, number]
      const {columnScale, columnOffset, rowScale, rowOffset} = tableAffine(height, width)!
      // The decimal strings and the hex floats are the same doubles.
      expect([columnScale, columnOffset, rowScale, rowOffset]).toEqual(table.M[shape]!.map(hexFloat))
      expect(vwwResizePlan(height, width).affineSource).toBe('table')
    }
    // The 2021 machine's SVD left last-bit noise: 480×640 is not the ideal 5, 2, 6.666…, 2.833….
    expect(tableAffine(480, 640)).not.toEqual(idealAffine(480, 640, 96))
  })

  it('falls back to the ideal parameters for a shape outside the table, and says so', () => {
    expect(tableAffine(481, 639)).toBeUndefined()
    const plan = vwwResizePlan(481, 639)
    expect(plan.affineSource).toBe('ideal')
    expect(plan.affine).toEqual(idealAffine(481, 639, 96))
    expect(plan.kernelSource).toBe('table')
  })

  it('computes the kernel of a side above 640 and leaves sides up to 96 unfiltered', () => {
    const plan = vwwResizePlan(700, 96)
    expect(plan.kernelSource).toBe('computed')
    expect(plan.rowKernel).toEqual(gaussianKernel(antiAliasSigma(700, 96)))
    expect(plan.columnKernel).toBeUndefined()
    expect(vwwResizePlan(90, 96)).toMatchObject({kernelSource: 'none', rowKernel: undefined, columnKernel: undefined})
  })
})

/** Python's float.fromhex for the normal doubles of the table (`0x1.aaaaaaaaaaaabp+2`). */
function hexFloat(text: string): number {
  const match = /^(-?)0x([01])\.([0-9a-f]*)p([+-]\d+)$/.exec(text)
  if (!match) throw new Error(`not a hex float: ${text}`)
  const [, sign, lead, fraction, exponent] = match
  const mantissa = Number(lead) + (fraction ? parseInt(fraction, 16) / 16 ** fraction.length : 0)
  return (sign ? -1 : 1) * mantissa * 2 ** Number(exponent)
}
