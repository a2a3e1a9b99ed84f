import {describe, expect, it} from 'vitest'

import {mergeLevel, mergeLevels, scramblePermutation} from '../../src/audio/eigen-fft.js'
import {exactKernel} from '../../src/audio/kws-features.js'

const f32 = Math.fround

/** Plain float64 DFT, the mathematical reference. */
function dft(re: ArrayLike<number>, im: ArrayLike<number>, size: number, inverse = false): {re: number[]; im: number[]} {
  const sign = inverse ? 1 : -1
  const outRe: number[] = []
  const outIm: number[] = []
  for (let k = 0; k < size; k++) {
    let sumRe = 0
    let sumIm = 0
    for (let n = 0; n < re.length; n++) {
      const angle = (sign * 2 * Math.PI * k * n) / size
      sumRe += re[n] * Math.cos(angle) - im[n] * Math.sin(angle)
      sumIm += re[n] * Math.sin(angle) + im[n] * Math.cos(angle)
    }
    outRe.push(sumRe)
    outIm.push(sumIm)
  }
  return {re: outRe, im: outIm}
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>, count: number): number {
  let max = 0
  for (let i = 0; i < count; i++) max = Math.max(max, Math.abs(a[i] - b[i]))
  return max
}

/** Deterministic float32 test signals, written so numpy computes exactly the same values (no transcendental). */
const sawtooth = (length: number, step: number, modulus: number, scale = 1, offset = -0.5) =>
  Float32Array.from({length}, (_, n) => f32((((n * step) % modulus) / modulus) * scale + offset))

/** Exact equality of float32 values, treating −0 as +0 (signs of zero are not emulated). */
function expectExact(actual: number, expected: number): void {
  expect(actual + 0).toBe(expected)
}

/** The transforms of the kernel that mfccExact / lfbeExact run (assembly/fft.ts), through its test entry points. */
const kernel = exactKernel()

describe('the kernel\'s Eigen FFTs against a float64 DFT', () => {
  it('rfft(512) of a windowed two-tone frame is within float32 accuracy', () => {
    const frame = Float32Array.from({length: 480}, (_, n) =>
      f32(0.6 * Math.cos((2 * Math.PI * 10 * n) / 512) + 0.3 * Math.sin((2 * Math.PI * 57.5 * n) / 512)),
    )
    const {re, im} = kernel.frameRfft(frame)
    expect(re.length).toBe(257)
    const reference = dft(frame, new Float32Array(480), 512)
    // float32 rounding (and Eigen's twiddle recurrence) relative to the peak of about 150.
    expect(maxAbsDifference(re, reference.re, 257)).toBeLessThan(1e-3)
    expect(maxAbsDifference(im, reference.im, 257)).toBeLessThan(1e-3)
    // The tone at bin 10 dominates its neighbours.
    expect(Math.hypot(re[10], im[10])).toBeGreaterThan(100)
  })

  it('a complex forward radix-2 transform of size 256 matches the DFT', () => {
    const re = sawtooth(256, 13, 29)
    const im = sawtooth(256, 7, 31)
    const {re: outRe, im: outIm} = kernel.complexFft(re, im, false)
    const reference = dft(re, im, 256)
    expect(maxAbsDifference(outRe, reference.re, 256)).toBeLessThan(1e-4)
    expect(maxAbsDifference(outIm, reference.im, 256)).toBeLessThan(1e-4)
  })

  it('Bluestein rfft(80) matches the DFT for a 40-sample and an 80-sample input', () => {
    for (const input of [sawtooth(40, 1, 40, 14.8, -3), sawtooth(80, 11, 23, 2.5, -1)]) {
      const {re, im} = kernel.bluesteinRfft(input)
      expect(re.length).toBe(41)
      const reference = dft(input, new Float32Array(input.length), 80)
      expect(maxAbsDifference(re, reference.re, 41)).toBeLessThan(1e-3)
      expect(maxAbsDifference(im, reference.im, 41)).toBeLessThan(1e-3)
    }
  })

  it('inverse(forward(x)) / n gives x back', () => {
    const re = sawtooth(512, 37, 101)
    const im = sawtooth(512, 5, 17)
    const spectrum = kernel.complexFft(re, im, false)
    const {re: backRe, im: backIm} = kernel.complexFft(spectrum.re, spectrum.im, true)
    expect(maxAbsDifference(backRe.map((v) => v / 512), re, 512)).toBeLessThan(1e-5)
    expect(maxAbsDifference(backIm.map((v) => v / 512), im, 512)).toBeLessThan(1e-5)
  })

  it('pruned transforms give the same first outputs as the full ones', () => {
    const re = sawtooth(256, 13, 29)
    const im = sawtooth(256, 7, 31)
    // 10 outputs as in the DCT's inverse; 137 = a merge level's half plus a few, whose high outputs are partly skipped.
    for (const [inverse, outputCount] of [
      [true, 10],
      [false, 137],
    ] as const) {
      const full = kernel.complexFft(re, im, inverse)
      const pruned = kernel.complexFft(re, im, inverse, outputCount)
      expect(Array.from(pruned.re.subarray(0, outputCount))).toEqual(Array.from(full.re.subarray(0, outputCount)))
      expect(Array.from(pruned.im.subarray(0, outputCount))).toEqual(Array.from(full.im.subarray(0, outputCount)))
    }
    const pruned = kernel.bluesteinRfft(sawtooth(40, 1, 40, 14.8, -3), 10)
    const full = kernel.bluesteinRfft(sawtooth(40, 1, 40, 14.8, -3))
    expect(Array.from(pruned.re)).toEqual(Array.from(full.re.subarray(0, 10)))
    expect(Array.from(pruned.im)).toEqual(Array.from(full.im.subarray(0, 10)))
  })

  it('rejects sizes it cannot emulate', () => {
    expect(() => kernel.complexFft(new Float32Array(96), new Float32Array(96), false)).toThrow(RangeError)
    expect(() => kernel.frameRfft(new Float32Array(600))).toThrow(RangeError)
    expect(() => kernel.bluesteinRfft(new Float32Array(81))).toThrow(RangeError)
    expect(() => mergeLevel(8, false)).toThrow(RangeError)
    expect(() => mergeLevel(2048, false)).toThrow(RangeError)
  })
})

describe('FFT tables', () => {
  it('Eigen\'s scramble is the bit reversal, its own inverse (the kernel scatters through it)', () => {
    for (const size of [256, 512]) {
      const permutation = scramblePermutation(size)
      const bits = Math.log2(size)
      permutation.forEach((element, slot) => {
        expect(element).toBe(parseInt(slot.toString(2).padStart(bits, '0').split('').reverse().join(''), 2))
        expect(permutation[element]).toBe(slot)
      })
    }
  })

  it('merge twiddles: w_0 = 1, lane factors 1, wp_one, wp_one², wp_one³ near e^(∓2πiq/n), levels 16…size', () => {
    const level = mergeLevel(64, false)
    expect(level.groupRe[0]).toBe(1)
    expect(level.groupIm[0]).toBe(0)
    for (let q = 0; q < 4; q++) {
      expect(level.laneRe[q]).toBeCloseTo(Math.cos((2 * Math.PI * q) / 64), 6)
      expect(level.laneIm[q]).toBeCloseTo(-Math.sin((2 * Math.PI * q) / 64), 6)
      expect(mergeLevel(64, true).laneIm[q]).toBe(-level.laneIm[q] + 0)
    }
    // w_j = wp_one^(4j) ≈ e^(−2πi·4j/64)
    expect(level.groupRe[3]).toBeCloseTo(Math.cos((2 * Math.PI * 12) / 64), 6)
    expect(mergeLevels(512).map(({blockSize}) => blockSize)).toEqual([16, 32, 64, 128, 256, 512])
  })
})

describe('bit-exact float32 values of the kernel\'s FFTs', () => {
  // Values printed by kws_ref_features.eigen_rfft(x[None], 512) with
  // x[n] = f32(((n*37) % 101)/101 − 0.5), n < 480 (zero-padded to 512): (bin, re, im).
  it('rfft(512), radix-2', () => {
    const {re, im} = kernel.frameRfft(sawtooth(480, 37, 101))
    const expected: [number, number, number][] = [
      [0, -2.94059419631958, 0.0],
      [1, -0.39237725734710693, -0.08503536880016327],
      [2, -0.3558148145675659, -0.1600499153137207],
      [37, -2.389531135559082, -0.39461401104927063],
      [128, 0.07920786738395691, -1.0792099237442017],
      [255, 1.3364667892456055, 0.37246769666671753],
      [256, 1.0792080163955688, 0.0],
    ]
    for (const [bin, expectedRe, expectedIm] of expected) {
      expectExact(re[bin], expectedRe)
      expectExact(im[bin], expectedIm)
    }
  })

  // kws_ref_features.eigen_rfft(y[None], 80) with y[n] = f32(−3 + n·0.37), n < 40: the DCT's Bluestein path.
  it('rfft(80) of 40 samples, Bluestein', () => {
    const input = Float32Array.from({length: 40}, (_, n) => f32(-3 + n * 0.37))
    const {re, im} = kernel.bluesteinRfft(input)
    const expected: [number, number, number][] = [
      [0, 168.59999084472656, -0.00010848045349121094],
      [1, -115.6259994506836, -111.98739624023438],
      [2, -7.399977684020996, 94.02587890625],
      [5, -0.4606895446777344, -22.120283126831055],
      [9, 2.8557021617889404, -11.926721572875977],
      [20, -7.399975776672363, 7.400023937225342],
      [40, -7.400094509124756, 1.6808509826660156e-5],
    ]
    for (const [bin, expectedRe, expectedIm] of expected) {
      expectExact(re[bin], expectedRe)
      expectExact(im[bin], expectedIm)
    }
  })

  // kws_ref_features.eigen_rfft(z[None], 80) with z[n] = f32(((n*11) % 23)/23·2.5 − 1), n < 80.
  it('rfft(80) of 80 samples, Bluestein', () => {
    const {re, im} = kernel.bluesteinRfft(sawtooth(80, 11, 23, 2.5, -1))
    const expected: [number, number, number][] = [
      [0, 18.260852813720703, -1.1473894119262695e-5],
      [1, 2.861715316772461, -0.3414534330368042],
      [3, 10.695572853088379, -3.4173388481140137],
      [17, -1.3218352794647217, -3.117023468017578],
      [39, 10.634868621826172, -4.030893325805664],
      [40, 7.173915863037109, 4.470348358154297e-6],
    ]
    for (const [bin, expectedRe, expectedIm] of expected) {
      expectExact(re[bin], expectedRe)
      expectExact(im[bin], expectedIm)
    }
  })

  // kws_ref_features.eigen_fft_pow2(cr, ci, fwd) with cr[n] = f32(((n*13) % 29)/29 − 0.5),
  // ci[n] = f32(((n*7) % 31)/31 − 0.5), n < 256: complex forward and (unscaled) inverse.
  it('complex radix-2 of size 256, both directions', () => {
    const re = sawtooth(256, 13, 29)
    const im = sawtooth(256, 7, 31)
    const forwardOut = kernel.complexFft(re, im, false)
    const forward: [number, number, number][] = [
      [0, -4.275861740112305, -4.6774187088012695],
      [1, 0.16066917777061462, -0.5889602899551392],
      [100, -0.07624340057373047, -0.9350375533103943],
      [255, 0.11927518248558044, -0.5155961513519287],
    ]
    for (const [k, expectedRe, expectedIm] of forward) {
      expectExact(forwardOut.re[k], expectedRe)
      expectExact(forwardOut.im[k], expectedIm)
    }
    const inverseOut = kernel.complexFft(re, im, true)
    const inverse: [number, number, number][] = [
      [0, -4.275861740112305, -4.6774187088012695],
      [3, 0.09250882267951965, -0.47066235542297363],
      [200, 2.9916768074035645, -3.036834716796875],
    ]
    for (const [k, expectedRe, expectedIm] of inverse) {
      expectExact(inverseOut.re[k], expectedRe)
      expectExact(inverseOut.im[k], expectedIm)
    }
  })
})
