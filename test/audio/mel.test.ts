import {describe, expect, it} from 'vitest'

import {bandEdgeMel32, linspace32, melWeightMatrix32, melWeightMatrix64} from '../../src/audio/mel.js'

const BINS = 257

/** [first, last] FFT bin with a non-zero weight in each band. */
function bandRanges(weights: ArrayLike<number>, bands: number): [number, number][] {
  return Array.from({length: bands}, (_, band) => {
    const used: number[] = []
    for (let bin = 0; bin < BINS; bin++) if (weights[bin * bands + band] !== 0) used.push(bin)
    return [used[0], used[used.length - 1]]
  })
}

describe('band edges (stimuli.md §1.3(a))', () => {
  it('mel(20) = 31.748644 and mel(4000) = 2146.0757', () => {
    expect(bandEdgeMel32(20)).toBeCloseTo(31.748644, 5)
    expect(bandEdgeMel32(4000)).toBeCloseTo(2146.0757, 3)
    // Exact float32 values from kws_ref_features.hz2mel(…, cr_log).
    expect(bandEdgeMel32(20)).toBe(31.748641967773438)
    expect(bandEdgeMel32(4000)).toBe(2146.07568359375)
    expect(bandEdgeMel32(8000)).toBe(2840.037841796875)
  })

  it('linspace32 pins both end points', () => {
    const points = linspace32(bandEdgeMel32(20), bandEdgeMel32(4000), 42)
    expect(points[0]).toBe(bandEdgeMel32(20))
    expect(points[41]).toBe(bandEdgeMel32(4000))
    expect(Array.from(linspace32(0, 8000, 257).subarray(0, 3))).toEqual([0, 31.25, 62.5])
  })
})

describe('melWeightMatrix32', () => {
  const mfcc = melWeightMatrix32(40, BINS, 16000, 20, 4000)
  const lfbe = melWeightMatrix32(10, BINS, 16000, 0, 8000)

  it('has a zero DC row and the MFCC band ranges of stimuli.md §1.3(a)', () => {
    expect(mfcc.length).toBe(BINS * 40)
    expect(Array.from(mfcc.subarray(0, 40)).every((w) => w === 0)).toBe(true)
    const ranges = bandRanges(mfcc, 40)
    expect(ranges[0]).toEqual([1, 2])
    expect(ranges[1]).toEqual([2, 4])
    expect(ranges[20]).toEqual([36, 40])
    expect(ranges[39]).toEqual([115, 127])
  })

  it('has the LFBE band ranges of stimuli.md §1.3(b)', () => {
    expect(bandRanges(lfbe, 10)).toEqual([
      [1, 13],
      [6, 22],
      [14, 33],
      [23, 48],
      [34, 66],
      [49, 88],
      [67, 117],
      [89, 153],
      [118, 198],
      [154, 255],
    ])
  })

  it('holds the reference weights bit for bit', () => {
    // kws_ref_features.melmat_tf(40, 257, 16000, 20, 4000)[bin, band]
    expect(mfcc[1 * 40 + 0]).toBe(0.3388298749923706)
    expect(mfcc[2 * 40 + 0]).toBe(0.7466322183609009)
    expect(mfcc[2 * 40 + 1]).toBe(0.25336775183677673)
    expect(mfcc[3 * 40 + 1]).toBe(0.8688353896141052)
    expect(mfcc[36 * 40 + 20]).toBe(0.32627373933792114)
    expect(mfcc[37 * 40 + 20]).toBe(0.6973218321800232)
    expect(mfcc[115 * 40 + 39]).toBe(0.024329334497451782)
    expect(mfcc[116 * 40 + 39]).toBe(0.182806134223938)
    // kws_ref_features.melmat_tf(10, 257, 16000, 0, 8000)[bin, band]
    expect(lfbe[1 * 10 + 0]).toBe(0.19064505398273468)
    expect(lfbe[7 * 10 + 1]).toBe(0.18701308965682983)
    expect(lfbe[100 * 10 + 6]).toBe(0.5870705842971802)
    expect(lfbe[255 * 10 + 9]).toBe(0.015707414597272873)
    expect(lfbe[256 * 10 + 9]).toBe(0)
  })

  it('agrees with the float64 matrix to float32 accuracy and has the same support', () => {
    for (const [bands, lower, upper] of [
      [40, 20, 4000],
      [10, 0, 8000],
    ]) {
      const single = melWeightMatrix32(bands, BINS, 16000, lower, upper)
      const double = melWeightMatrix64(bands, BINS, 16000, lower, upper)
      let maxDifference = 0
      for (let i = 0; i < single.length; i++) maxDifference = Math.max(maxDifference, Math.abs(single[i] - double[i]))
      expect(maxDifference).toBeLessThan(1e-4)
      expect(bandRanges(double, bands)).toEqual(bandRanges(single, bands))
    }
  })
})
