/** The sww01 DUT front end stage by stage (stimuli.md §5.3), against values that follow from the spec by hand. */
import {describe, expect, it} from 'vitest'

import {
  lfbeFeature, SWW_FRAME_LENGTH, SWW_FRAME_STEP, SWW_MEL_BANDS, SWW_SPECTRUM_BINS, SwwFrontEnd, swwFeatureToInt8,
  symmetricHamming,
} from '../../src/audio/sww-features.js'
import {melWeightMatrix32} from '../../src/audio/mel.js'

/** The reference model's input quantisation (stimuli.md §6). */
const INPUT_SCALE = 0.003701042616739869
const INPUT_ZERO_POINT = -128

describe('symmetric Hamming (1024)', () => {
  const window = symmetricHamming(SWW_FRAME_LENGTH)
  it('is 0.08 at both ends and symmetric', () => {
    expect(window[0]).toBeCloseTo(0.08, 15)
    expect(window[SWW_FRAME_LENGTH - 1]).toBeCloseTo(0.08, 15)
    for (let n = 0; n < SWW_FRAME_LENGTH; n++) expect(window[n]).toBeCloseTo(window[SWW_FRAME_LENGTH - 1 - n]!, 14)
  })
  it('sums to 0.54·1024 − 0.46·Σcos(2πn/1023) = 552.96 − 0.46 = 552.5 (a periodic window would give 552.96)', () => {
    expect(window.reduce((sum, value) => sum + value, 0)).toBeCloseTo(552.5, 9)
  })
})

describe('power spectrum |rfft(x·w)|²/1024', () => {
  const frontEnd = new SwwFrontEnd()
  it('a constant frame c has DC power (c·Σw)²/1024', () => {
    const power = frontEnd.powerSpectrum(new Float64Array(SWW_FRAME_LENGTH).fill(0.5))
    expect(power).toHaveLength(SWW_SPECTRUM_BINS)
    expect(power[0]).toBeCloseTo((0.5 * 552.5) ** 2 / 1024, 9)
  })
  it('a cosine of amplitude A on bin 64 (1000 Hz) has power ≈ (A·Σw/2)²/1024 there', () => {
    const frame = Float64Array.from({length: SWW_FRAME_LENGTH}, (_, n) => 0.25 * Math.cos((2 * Math.PI * 64 * n) / SWW_FRAME_LENGTH))
    const power = frontEnd.powerSpectrum(frame)
    expect(power[64]! / ((0.25 * 552.5) / 2) ** 2 * 1024).toBeCloseTo(1, 3)
    expect(power[80]!).toBeLessThan(power[64]! * 1e-6)
  })
})

describe('TF mel bands (40, 0-8000 Hz)', () => {
  const frontEnd = new SwwFrontEnd()
  const matrix = melWeightMatrix32(SWW_MEL_BANDS, SWW_SPECTRUM_BINS, 16000, 0, 8000)
  it('DC carries no weight (TF zeroes the DC row): a DC-only spectrum has zero energy in every band', () => {
    const power = new Float64Array(SWW_SPECTRUM_BINS)
    power[0] = 1e6
    expect([...frontEnd.melEnergies(power)].every((energy) => energy === 0)).toBe(true)
  })
  it('one bin of power 1 gives each band that bin\'s weight; between the outer band centres the weights sum to 1', () => {
    for (const bin of [20, 100, 300]) {
      const power = new Float64Array(SWW_SPECTRUM_BINS)
      power[bin] = 1
      const energies = frontEnd.melEnergies(power)
      for (let band = 0; band < SWW_MEL_BANDS; band++) expect(energies[band]).toBe(matrix[bin * SWW_MEL_BANDS + band])
      expect(energies.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5)
    }
  })
})

describe('log scaling (10·log10(max(E, 1e-30)) + 52)/64, clipped to [0, 1]', () => {
  it.each([
    [1, 52 / 64],
    [1e-2, 32 / 64],
    [10 ** -5.2, 0],
    [1e-9, 0],
    [0, 0],
    [10 ** 1.2, 1],
    [1e6, 1],
  ])('E = %d → %d', (energy, feature) => {
    expect(lfbeFeature(energy)).toBeCloseTo(feature, 12)
  })
})

describe('int8 by truncation and wrap: (int8)(x/0.0037010426 − 128)', () => {
  it.each([
    [0, -128], // silence is the zero point
    [0.5, 7], // 135.097 − 128 = 7.097
    [0.1, -100], // 27.019 − 128 = −100.98: toward zero, not −101
    [0.947, 127], // 255.87 − 128
    [0.9475, -128], // 256.009 − 128 = 128.009 → 128 wraps
    [1, -114], // 270.19 − 128 = 142.19 → 142 − 256
  ])('%d → %d', (feature, expected) => {
    expect(swwFeatureToInt8(feature, INPUT_SCALE, INPUT_ZERO_POINT)).toBe(expected)
  })
})

describe('streaming: pre-emphasis 0.96875 over the stream, frames of the last 1024 samples every 512', () => {
  const samples = Int16Array.from({length: 4 * SWW_FRAME_STEP}, (_, n) => Math.round(12000 * Math.sin(n / 7) + 3000 * Math.cos(n / 3)))
  // y[n] = x[n] − 0.96875·x[n−1] with x = int16/32768 and x[−1] = 0: the recording as one signal, 512 zeros before it.
  const emphasised = new Float64Array(SWW_FRAME_STEP + samples.length)
  samples.forEach((sample, n) => {
    emphasised[SWW_FRAME_STEP + n] = sample / 32768 - 0.96875 * (n > 0 ? samples[n - 1]! / 32768 : 0)
  })

  it('frame k is the pre-emphasised samples 512(k − 1) … 512(k + 1) − 1, the carried sample included', () => {
    const streaming = new SwwFrontEnd()
    const reference = new SwwFrontEnd()
    for (let frame = 0; frame < 4; frame++) {
      const got = streaming.next(samples.subarray(frame * SWW_FRAME_STEP, (frame + 1) * SWW_FRAME_STEP))
      const expected = reference.features(emphasised.slice(frame * SWW_FRAME_STEP, frame * SWW_FRAME_STEP + SWW_FRAME_LENGTH))
      expect(got).toHaveLength(SWW_MEL_BANDS)
      for (let band = 0; band < SWW_MEL_BANDS; band++) expect(got[band]).toBeCloseTo(expected[band]!, 12)
    }
  })

  it('a frame without the carried sample differs (the stride boundary is not restarted)', () => {
    const streaming = new SwwFrontEnd()
    streaming.next(samples.subarray(0, SWW_FRAME_STEP))
    const second = streaming.next(samples.subarray(SWW_FRAME_STEP, 2 * SWW_FRAME_STEP))
    const restarted = emphasised.slice(SWW_FRAME_STEP, SWW_FRAME_STEP + SWW_FRAME_LENGTH)
    restarted[SWW_FRAME_STEP] = samples[SWW_FRAME_STEP]! / 32768
    const without = new SwwFrontEnd().features(restarted)
    expect([...second].some((value, band) => Math.abs(value - without[band]!) > 1e-9)).toBe(true)
  })

  it('refuses a stride of another length', () => {
    expect(() => new SwwFrontEnd().next(new Int16Array(100))).toThrow(RangeError)
  })
})
