import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {
  AD_STRIDE_VALUES, AD_WINDOW_VALUES, AD_WINDOWS, adWindowScore, dequantizeInt8, modelInputTensors, quantizeFloatToInt8,
} from '../../src/quantization/model-input.js'

const f32 = Math.fround

function adStimulus(value: (index: number) => number): Uint8Array {
  const values = new Float32Array(200 * 128)
  for (let i = 0; i < values.length; i++) values[i] = value(i)
  return new Uint8Array(values.buffer)
}

describe('quantizeFloatToInt8 (the reference firmware\'s QuantizeFloatToInt8)', () => {
  const unit = {scale: 1, zeroPoint: 0}

  it('rounds halves away from zero, then adds the zero point and clamps', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49, -0.49].map((value) => quantizeFloatToInt8(value, unit))).toEqual([1, 2, 3, -1, -2, -3, 0, 0])
    expect(quantizeFloatToInt8(2.5, {scale: 1, zeroPoint: -128})).toBe(-125)
    expect(quantizeFloatToInt8(1000, unit)).toBe(127)
    expect(quantizeFloatToInt8(-1000, unit)).toBe(-128)
    expect(quantizeFloatToInt8(300, {scale: 1, zeroPoint: -128})).toBe(127)
  })

  it('divides in float32, as the C code does: a quotient just under a half in float64 is exactly 16.5 in float32', () => {
    // Found by search with numpy: float32(0.20294998586177826) / float32(0.0123) is 16.5 in float32, 16.4999994 in float64.
    const value = 0.20294998586177826
    const scale = f32(0.0123)
    expect(value / scale).toBeLessThan(16.5)
    expect(quantizeFloatToInt8(value, {scale, zeroPoint: 0})).toBe(17)
  })

  it('equals round(value / scale) with halves away from zero (sign · round(|x|)) for any float32, NaN and ±0 included', () => {
    // Any float32, ±0 and NaN, and quotients at and near halves (scale 1), where roundings part.
    const values = fc.oneof(
      fc.float(), fc.constantFrom(0, -0, Number.NaN), fc.float({min: -300, max: 300}), fc.integer({min: -600, max: 600}).map((n) => n / 2),
    )
    const scales = fc.oneof(fc.constant(1), fc.float({min: f32(1e-6), max: 10, noNaN: true}))
    const zeroPoints = fc.oneof(fc.constant(0), fc.integer({min: -128, max: 127}))
    fc.assert(fc.property(values, scales, zeroPoints, (value, scale, zeroPoint) => {
      const scaled = f32(value / scale)
      const rounded = Number.isNaN(scaled) ? 0 : Math.sign(scaled) * Math.round(Math.abs(scaled))
      expect(quantizeFloatToInt8(value, {scale, zeroPoint})).toBe(Math.min(127, Math.max(-128, rounded + zeroPoint)))
    }), {numRuns: 20_000})
  })

  it('dequantises (q − zero point) · scale', () => {
    expect(dequantizeInt8(-128, {scale: 1 / 256, zeroPoint: -128})).toBe(0)
    expect(dequantizeInt8(127, {scale: 1 / 256, zeroPoint: -128})).toBe(255 / 256)
  })
})

describe('modelInputTensors: what the device feeds the model', () => {
  it('vww01 and ic01: uint8 − 128', () => {
    const image = new Uint8Array(3072)
    image.set([0, 127, 128, 255])
    const tensor = modelInputTensors('ic01', image, null)
    expect(tensor).toBeInstanceOf(Int8Array)
    expect(Array.from(tensor.subarray(0, 5))).toEqual([-128, -1, 0, 127, -128])
    expect(modelInputTensors('vww01', new Uint8Array(27648).fill(200), null)[27647]).toBe(72)
  })

  it('kws01: the stimulus bytes read as int8', () => {
    const stimulus = new Uint8Array(490)
    stimulus.set([1, 200, 128, 255])
    expect(Array.from(modelInputTensors('kws01', stimulus, null).subarray(0, 4))).toEqual([1, -56, -128, -1])
  })

  it('ad01: 196 windows of 640 values, stride 128 values, each quantised with the model input', () => {
    expect(AD_WINDOWS).toBe(196)
    const stimulus = adStimulus((index) => (index % 7) * 0.25)
    const quantization = {scale: 0.25, zeroPoint: -3}
    const tensor = modelInputTensors('ad01', stimulus, quantization)
    expect(tensor.length).toBe(196 * 640)
    for (const window of [0, 1, 100, 195]) {
      for (const offset of [0, 1, 639]) {
        const source = window * AD_STRIDE_VALUES + offset
        expect(tensor[window * AD_WINDOW_VALUES + offset]).toBe((source % 7) - 3)
      }
    }
  })

  it('ad01 without a quantisation, and any wrong size, is an error', () => {
    expect(() => modelInputTensors('ad01', adStimulus(() => 0), null)).toThrow(/input quantisation/)
    expect(() => modelInputTensors('ic01', new Uint8Array(3000), null)).toThrow('ic01 stimuli are 3072 bytes, not 3000')
  })
})

describe('adWindowScore: the mean squared reconstruction error of calculate_result()', () => {
  it('compares the dequantised output with the float input', () => {
    const quantization = {scale: 0.5, zeroPoint: 0}
    const output = Int8Array.from([2, 4]) // dequantised: 1, 2
    expect(adWindowScore(output, Float32Array.from([0, 0]), quantization)).toBe((1 + 4) / 2)
    expect(adWindowScore(output, Float32Array.from([1, 2]), quantization)).toBe(0)
    // Summed in float32, one square at a time, in index order.
    const square = (value: number): number => f32(f32(value) * f32(value))
    const sum = f32(f32(square(0.1) + square(0.2)) + square(0.3))
    expect(adWindowScore(Int8Array.from([0, 0, 0]), Float32Array.from([0.1, 0.2, 0.3]), quantization)).toBe(f32(sum / 3))
  })
})
