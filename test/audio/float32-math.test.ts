import {describe, expect, it} from 'vitest'

import {cosineWindow32, eigenPlog, logf} from '../../src/audio/float32-math.js'
import {exactKernel} from '../../src/audio/kws-features.js'

const f32 = Math.fround
/** The kernel that mfccExact / lfbeExact run (assembly/float32-math.ts), through its test entry points. */
const kernel = exactKernel()

describe('Eigen plog: eigenPlog (the mel matrix) and the kernel\'s plog (mfcc and lfbe logs)', () => {
  // [input, kws_ref_features.eigen_plog(f32(input))], printed by the oracle.
  const reference: [number, number][] = [
    [0, -Infinity],
    [9.99994610111476e-41, -87.3365478515625], // denormal: clamped to the smallest normal
    [1.1754943508222875e-38, -87.3365478515625],
    [1.0000000031710769e-30, -69.07755279541016],
    [9.999999974752427e-7, -13.815510749816895],
    [0.5, -0.6931471824645996],
    [0.7071067690849304, -0.3465736210346222],
    [0.7071068286895752, -0.34657353162765503],
    [1, 0],
    [1.0000001192092896, 1.1920928244535389e-7],
    [2, 0.6931471824645996],
    [10, 2.3025851249694824],
    [31.25, 3.442019462585449],
    [1000, 6.907755374908447],
    [3.3999999521443642e38, 88.72200775146484],
    // Inputs where the Cephes polynomial is one ulp off the correctly rounded log.
    [89.7741928100586, 4.497297286987305],
    [42.258731842041016, 3.7438111305236816],
    [54.85667037963867, 4.00472354888916],
    [55.35151672363281, 4.013704299926758],
  ]

  it('matches the reference bit for bit', () => {
    for (const [input, expected] of reference) expect(eigenPlog(input)).toBe(expected)
    // The kernel takes four values per f32x4 and the rest one by one: 19 values exercise both.
    expect(Array.from(kernel.plog(reference.map(([input]) => input)))).toEqual(reference.map(([, expected]) => expected))
  })

  it('differs from the correctly rounded logf exactly where the reference does', () => {
    // kws_ref_features.cr_log of the same inputs.
    expect(logf(89.7741928100586)).toBe(4.497297763824463)
    expect(logf(42.258731842041016)).toBe(3.7438108921051025)
    expect(logf(9.99994610111476e-41)).toBe(-92.10340881347656)
    expect(logf(10)).toBe(eigenPlog(10))
  })

  it('follows Eigen for inputs outside (0, ∞)', () => {
    const outside = [-1, NaN, Infinity, -0, 0, -Infinity, 2, -1e-40]
    const expected = [NaN, NaN, Infinity, -Infinity, -Infinity, NaN, eigenPlog(2), NaN]
    expect(outside.map(eigenPlog)).toEqual(expected)
    // Lanes of one f32x4 do not leak into each other: special values next to ordinary ones.
    expect(Array.from(kernel.plog(outside))).toEqual(expected)
  })
})

describe('the kernel\'s hypotf', () => {
  it('is the double hypotenuse rounded once (kws_ref_features.hypotf values)', () => {
    expect(kernel.hypotf(3, 4)).toBe(5)
    expect(kernel.hypotf(f32(0.1), f32(0.2))).toBe(0.22360679507255554)
    expect(kernel.hypotf(f32(1e-20), f32(3e-20))).toBe(3.162277554460413e-20)
    expect(kernel.hypotf(-1.5, 2.25)).toBe(2.7041635513305664)
    expect(kernel.hypotf(f32(123.456), f32(-0.001))).toBe(123.45600128173828)
  })
})

describe('cosineWindow32', () => {
  it('periodic Hann(480) equals the reference window_tf(480, 0.5, 0.5, True)', () => {
    const hann = cosineWindow32(480, 0.5, 0.5, true)
    const expected: [number, number][] = [
      [0, 0],
      [1, 4.2825937271118164e-5],
      [2, 0.00017133355140686035],
      [100, 0.3705904483795166],
      [240, 1],
      [241, 0.9999572038650513],
      [479, 4.2825937271118164e-5],
    ]
    for (const [n, value] of expected) expect(hann[n]).toBe(value)
  })

  it('symmetric Hamming(480) equals the reference window_tf(480, 0.54, 0.46, False)', () => {
    const hamming = cosineWindow32(480, 0.54, 0.46, false)
    const expected: [number, number][] = [
      [0, 0.08000001311302185],
      [1, 0.08003959059715271],
      [239, 0.9999901056289673],
      [240, 0.9999901056289673],
      [479, 0.08000001311302185],
    ]
    for (const [n, value] of expected) expect(hamming[n]).toBe(value)
  })
})
