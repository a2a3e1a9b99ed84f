import {describe, expect, it} from 'vitest'

import {kws01} from '../../datasets/kws01.js'
import {quantizeInt8, quantizeUint8} from '../../src/quantization/quantize.js'

const {scale: MFCC_SCALE, zeroPoint: MFCC_ZP} = kws01.variants.mfcc.quantization
const {scale: LFBE_SCALE, zeroPoint: LFBE_ZP} = kws01.variants.lfbe.quantization

describe('quantizeInt8 (mfcc, make_bin_files.py under numpy 1.x)', () => {
  it('uses the kws_ref_model.tflite input parameters', () => {
    expect(Math.fround(MFCC_SCALE)).toBe(0.5847029089927673)
    expect(MFCC_ZP).toBe(83)
  })

  it('truncates toward zero instead of rounding', () => {
    // v = 83 + 0.2/0.5847 = 83.34 → 83; v = 83 − 1/0.5847 = 81.29 → 81; 83 + 2.9 → 85 (rounding would give 86).
    expect(Array.from(quantizeInt8([0.2, -1, 2.9 * MFCC_SCALE], MFCC_SCALE, MFCC_ZP))).toEqual([83, 81, 85])
  })

  it('wraps values above 127 modulo 256 like cvttss2si + low byte: 133.08 → −123', () => {
    const value = (133.08 - 83) * MFCC_SCALE
    expect(Array.from(quantizeInt8([value, 100, 29.2], MFCC_SCALE, MFCC_ZP))).toEqual([-123, -2, -124])
  })

  it('gives −128 for the all-zero frame c0 (v = −128.34 truncates to −128)', () => {
    expect(Array.from(quantizeInt8([-123.5687], MFCC_SCALE, MFCC_ZP))).toEqual([-128])
  })

  it('computes v in float32: 83 − tiny becomes 83.0 and truncates to 83', () => {
    expect(Array.from(quantizeInt8([-1e-7], MFCC_SCALE, MFCC_ZP))).toEqual([83])
  })

  it('maps NaN, ±∞ and values beyond the int32 range to 0 (cvttss2si gives 0x80000000)', () => {
    // numpy 1.x on x86: np.array(f32([nan, inf, -inf, 1e30]) / s + 83, dtype=np.int8) == [0, 0, 0, 0]
    expect(Array.from(quantizeInt8([NaN, Infinity, -Infinity, 1e30], MFCC_SCALE, MFCC_ZP))).toEqual([0, 0, 0, 0])
  })
})

describe('quantizeUint8 (lfbe)', () => {
  it('gives 254 for 1.0 because f32(1/255) is slightly above 1/255', () => {
    expect(Math.fround(LFBE_SCALE)).toBeGreaterThan(1 / 255)
    expect(Array.from(quantizeUint8([0, 1, 0.5, 0.999, 0.0039], LFBE_SCALE, LFBE_ZP))).toEqual([0, 254, 127, 254, 0])
  })

  it('wraps and maps NaN like the signed cast', () => {
    // 2/f32(1/255) = 509.99994 → 509 → low byte 253 (numpy gives the same).
    expect(Array.from(quantizeUint8([2, NaN], LFBE_SCALE, LFBE_ZP))).toEqual([253, 0])
  })
})
