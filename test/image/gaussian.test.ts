import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {exactExp} from '../../src/image/exact-exp.js'
import {
  allIndices, antiAliasSigma, filterColumns, filterRows, filtersAxis, gaussianFilterUint8, gaussianKernel, mirrorIndex, pairwiseSum,
} from '../../src/image/gaussian.js'
import {KERNEL_TABLE, tableKernel} from '../../src/image/vww-resize-plan.js'
import {REPO_ROOT} from '../helpers/archives.js'
import {naiveFilter, noiseBytes} from '../helpers/images.js'

interface KernelTable {
  kernels: Record<string, {sigma: string; lw: number; w_center_out: string[]}>
}

describe('the uint8 anti-aliasing Gaussian (scipy gaussian_filter as skimage 0.18 calls it)', () => {
  it('σ = max(0, (n/96 − 1)/2); axes of 96 or fewer are left alone', () => {
    expect(antiAliasSigma(480, 96)).toBe(2)
    expect(antiAliasSigma(640, 96)).toBe(2.8333333333333335)
    expect(antiAliasSigma(96, 96)).toBe(0)
    expect(antiAliasSigma(50, 96)).toBe(0)
    expect(filtersAxis(antiAliasSigma(96, 96))).toBe(false)
    expect(filtersAxis(antiAliasSigma(97, 96))).toBe(true)
  })

  it('sums as numpy does: a plain loop below 8 values, 8 partial sums up to 128, a recursive split above', () => {
    const values = Float64Array.from({length: 23}, (_, i) => 0.1 * (i + 1) ** 1.5)
    // 23 values: partial sums r[j] of values j and j + 8, combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the tail 16…22.
    const r = Array.from({length: 8}, (_, j) => values[j]! + values[j + 8]!)
    let expected = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!))
    for (let i = 16; i < 23; i++) expected += values[i]!
    expect(pairwiseSum(values)).toBe(expected)
    expect(pairwiseSum(Float64Array.of(0.1, 0.2, 0.3))).toBe(0.1 + 0.2 + 0.3)
    const long = Float64Array.from({length: 300}, (_, i) => 1 / (i + 3))
    expect(pairwiseSum(long)).toBe(pairwiseSum(long.subarray(0, 144)) + pairwiseSum(long.subarray(144)))
  })

  it('computes, with a correctly rounded exp, exactly the pinned kernels of every side 97–640', () => {
    const table = JSON.parse(readFileSync(join(REPO_ROOT, KERNEL_TABLE), 'utf8')) as KernelTable
    const sides = Object.keys(table.kernels).map(Number)
    expect(sides).toHaveLength(640 - 97 + 1)
    let mathExpDiffers = 0
    for (const side of sides) {
      const pinned = table.kernels[side]!
      const sigma = antiAliasSigma(side, 96)
      expect(sigma, `σ of ${side}`).toBe(Number(pinned.sigma))
      const computed = gaussianKernel(sigma)
      expect(computed.length - 1, `radius of ${side}`).toBe(pinned.lw)
      expect([...computed], `kernel of ${side}`).toEqual(pinned.w_center_out.map(Number))
      expect(tableKernel(side)).toEqual(computed)
      // What V8's Math.exp would give instead (vww-parity.md §4.2: it is not correctly rounded).
      const coefficient = -0.5 / (sigma * sigma)
      if (computed.some((_, k) => Math.exp(coefficient * k * k) !== exactExp(coefficient * k * k))) mathExpDiffers++
    }
    expect(mathExpDiffers).toBeGreaterThan(0)
  })

  it('mirrors at the edges: x[−k] = x[k] and x[n−1+k] = x[n−1−k]', () => {
    expect([-3, -1, 0, 5, 9, 10, 12].map((i) => mirrorIndex(i, 10))).toEqual([3, 1, 0, 5, 9, 8, 6])
    // A spike at the edge is seen twice by its neighbour's window (once directly, once through the mirror).
    const kernel = Float64Array.of(0.5, 0.25)
    const image = new Uint8Array(5 * 1 * 3)
    image.set([200, 200, 200], 0)
    const out = new Uint8Array(image.length)
    filterRows(image, 5, 1, kernel, allIndices(5), out)
    expect([...out].filter((_, i) => i % 3 === 0)).toEqual([100, 50, 0, 0, 0])
    const image2 = new Uint8Array(5 * 1 * 3)
    image2.set([200, 200, 200], 3) // row 1: row 0 sees it on both sides through the mirror
    filterRows(image2, 5, 1, kernel, allIndices(5), out)
    expect([...out].filter((_, i) => i % 3 === 0)).toEqual([100, 100, 50, 0, 0])
  })

  it('applies the kernel as scipy does, rows first, truncating to uint8 after each pass', () => {
    const [height, width] = [37, 53]
    const image = noiseBytes(height * width * 3, 5)
    const rowKernel = gaussianKernel(antiAliasSigma(height * 4, 96))
    const columnKernel = gaussianKernel(antiAliasSigma(width * 5, 96))
    const ours = gaussianFilterUint8(image, height, width, rowKernel, columnKernel)
    expect(ours).toEqual(naiveFilter(image, height, width, rowKernel, columnKernel))

    // Truncating between the passes matters: with a float intermediate (skimage ≥ 0.19) bytes come out higher.
    const untruncated = naiveFilter(image, height, width, rowKernel, columnKernel, false)
    const higher = ours.filter((v, i) => untruncated[i]! > v).length
    expect(higher).toBeGreaterThan(ours.length / 4)
    expect(ours.every((v, i) => untruncated[i]! >= v)).toBe(true)
  })

  it('filters only the requested rows and columns, with the same bytes as the whole image', () => {
    const [height, width] = [120, 150]
    const image = noiseBytes(height * width * 3, 9)
    const rowKernel = gaussianKernel(antiAliasSigma(height, 96))
    const columnKernel = gaussianKernel(antiAliasSigma(width, 96))
    const whole = gaussianFilterUint8(image, height, width, rowKernel, columnKernel)
    const rows = Int32Array.of(0, 1, 57, 118, 119)
    const columns = Int32Array.of(0, 2, 75, 149)
    const rowPass = new Uint8Array(rows.length * width * 3)
    filterRows(image, height, width, rowKernel, rows, rowPass)
    const picked = new Uint8Array(rows.length * columns.length * 3)
    filterColumns(rowPass, rows.length, width, columnKernel, columns, picked)
    rows.forEach((y, r) => columns.forEach((x, c) => {
      for (let ch = 0; ch < 3; ch++) expect(picked[(r * columns.length + c) * 3 + ch]).toBe(whole[(y * width + x) * 3 + ch])
    }))
  })

  it('copies an axis it does not filter (no kernel)', () => {
    const image = noiseBytes(4 * 6 * 3, 3)
    expect(gaussianFilterUint8(image, 4, 6, undefined, undefined)).toEqual(image)
  })
})
