import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {describe, expect, it} from 'vitest'

import {
  AD_MIN_SAMPLES, AD_STIMULUS_BYTES, AdLogMel, adLogMelStimulus, adStimulusBytes, frameCount,
  reflectPaddedIndex,
} from '../../src/audio/ad-features.js'
import {createRealFft64} from '../../src/audio/ad-fft64.js'
import {float32LittleEndianBytes} from '../../src/audio/little-endian.js'
import {slaneyMelBasis} from '../../src/audio/slaney-mel.js'
import {decodeWav} from '../../src/audio/wav.js'
import {skipMessage} from '../helpers/archives.js'
import {AD_REFERENCE_BIN, AD_REFERENCE_CLIP, HAS_AD_FIXTURES, float32Values, syntheticToyCarClip} from '../helpers/toycar.js'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

describe('framing (librosa 0.6.0 stft, center=True, pad_mode=reflect)', () => {
  it('mirrors about the edge samples without repeating them, as np.pad(y, 512, "reflect")', () => {
    const length = 1000
    const padded = Array.from({length: length + 1024}, (_, n) => reflectPaddedIndex(n, length))
    expect(padded.slice(0, 3)).toEqual([512, 511, 510])
    expect(padded.slice(510, 515)).toEqual([2, 1, 0, 1, 2])
    expect(padded.slice(1509, 1514)).toEqual([997, 998, 999, 998, 997])
    expect(padded.at(-1)).toBe(length - 1 - 512)
  })

  it('counts 1 + floor(samples/512) frames; a clip needs 250 of them (127,488 samples)', () => {
    expect(frameCount(160_000)).toBe(313)
    expect(frameCount(176_000)).toBe(344)
    expect(AD_MIN_SAMPLES).toBe(127_488)
    expect(frameCount(AD_MIN_SAMPLES)).toBe(250)
    expect(frameCount(AD_MIN_SAMPLES - 1)).toBe(249)
    expect(() => adLogMelStimulus(new Int16Array(AD_MIN_SAMPLES - 1))).toThrow(RangeError)
    expect(adLogMelStimulus(new Int16Array(AD_MIN_SAMPLES))).toHaveLength(200 * 128)
  })
})

/**
 * sha256 of the numpy research oracle's output (shared/spec/oracles/ad_ref_features.py, the exact recipe) for the
 * synthetic clips of test/helpers/toycar.ts: `bin` is the stimulus (frames 50..249), `allFrames` every frame
 * 0..n−1 as float32 time-major, so the reflect-padded frames at both ends are covered too.
 */
const ORACLE = [
  {seed: 1, length: 160_000, bin: '09128bedbf9d69155cb50ed09d8bcc1258851e8afd0d225fad5278258487428c', allFrames: 'b0c3f8fa2524e66a6d7df9aa2f35a23acc2bfae62c4683b07c72d7cc0ed7d4b7'},
  {seed: 2, length: 127_488, bin: '27bdf2ab27c8df6075864f350a93cf35c69171f8a083113ce68a7e14e76a44ef', allFrames: '35192068330f4032af2b625c0e6c0cd3a4086ab2499f03520b3415ccb7ae62e0'},
  {seed: 3, length: 160_300, bin: '726b5fe67b7c7fdf59a34ec3602438b8eaf1f309b285a90353b8dcd88612418b', allFrames: 'c434de81b60306028e263f0d277db5b0d8dfc9684555b87316cddcd8fd18b242'},
  {seed: 4, length: 176_000, bin: '6266e48236643a5d50ddff2e3827d5b44c74be4a97441138692fb2365bbb0003', allFrames: 'be0a3e5d6cda3e44c0644698341fb3b713b03c43a624dd5b33ce12e6ccd913c2'},
]

describe('log-mel stimulus: bit-identical to the numpy oracle on synthetic clips (no real data needed)', () => {
  it.each(ORACLE)('seed $seed, $length samples', ({seed, length, bin, allFrames}) => {
    const samples = syntheticToyCarClip(seed, length)
    const stimulus = adStimulusBytes(samples)
    expect(stimulus.byteLength).toBe(AD_STIMULUS_BYTES)
    expect(sha256(stimulus)).toBe(bin)
    expect(sha256(float32LittleEndianBytes(new AdLogMel().frames(samples, 0, frameCount(length))))).toBe(allFrames)
  })

  it('gives log10(2.22e-16) dB = −156.5356 for an all-zero frame (the odd seeds have digital silence)', () => {
    const values = adLogMelStimulus(syntheticToyCarClip(1))
    expect(Math.min(...values)).toBe(Math.fround(10 * Math.log10(2.220446049250313e-16)))
    expect(Math.fround(10 * Math.log10(2.220446049250313e-16))).toBeCloseTo(-156.5356, 4)
  })
})

/**
 * The mel energies of ad-features.ts §1–3 computed in plain TypeScript: the float64 FFT of ad-fft64.ts, the three
 * float32 roundings and the dense float64 product with every weight of the basis, zeros included.
 */
function referenceMelEnergies(samples: Int16Array, first: number, count: number): Float64Array {
  const basis = slaneyMelBasis({sampleRate: 16000, fftSize: 1024, bands: 128, lowHz: 0, highHz: 8000})
  const fft = createRealFft64(1024)
  const frame = new Float64Array(1024)
  const re = new Float64Array(513)
  const im = new Float64Array(513)
  const power = new Float64Array(513)
  const out = new Float64Array(count * 128)
  for (let t = 0; t < count; t++) {
    for (let n = 0; n < 1024; n++) {
      frame[n] = (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / 1024)) * (samples[reflectPaddedIndex((first + t) * 512 + n, samples.length)]! / 32768)
    }
    fft.forward(frame, re, im)
    for (let k = 0; k < 513; k++) {
      const magnitude = Math.fround(Math.sqrt(Math.fround(re[k]!) ** 2 + Math.fround(im[k]!) ** 2))
      power[k] = Math.fround(magnitude * magnitude)
    }
    for (let band = 0; band < 128; band++) {
      let sum = 0
      for (let k = 0; k < 513; k++) sum += basis.weights[band * 513 + k]! * power[k]!
      out[t * 128 + band] = sum
    }
  }
  return out
}

describe('the WebAssembly kernel', () => {
  it('gives the float64 mel energies of the plain TypeScript computation bit for bit, padded ends included', () => {
    const logMel = new AdLogMel()
    for (const [seed, length, first, count] of [[5, 160_000, 0, 313], [6, 127_488, 240, 10], [7, 130_001, 3, 7]] as const) {
      const samples = syntheticToyCarClip(seed, length)
      const ours = logMel.melEnergies(samples, first, count)
      const reference = referenceMelEnergies(samples, first, count)
      expect(ours).toHaveLength(reference.length)
      let different = 0
      for (let i = 0; i < reference.length; i++) if (!Object.is(ours[i], reference[i])) different++
      expect(different).toBe(0)
    }
  })
})

if (!HAS_AD_FIXTURES) console.warn(skipMessage('the ad01 reference-clip parity test'))

describe.skipIf(!HAS_AD_FIXTURES)('log-mel stimulus of a real ToyCar clip (../shared/fixtures/ad01)', () => {
  it('is bit-identical to the reference pipeline: all 25,600 float32 values', async () => {
    const audio = decodeWav(await readFile(AD_REFERENCE_CLIP), AD_REFERENCE_CLIP)
    const ours = float32Values(adStimulusBytes(audio.samples))
    const reference = float32Values(await readFile(AD_REFERENCE_BIN))
    expect(reference).toHaveLength(25_600)
    let identical = 0
    let maxUlps = 0
    const bits = (value: number) => new Int32Array(Float32Array.of(value).buffer)[0]!
    for (let i = 0; i < reference.length; i++) {
      if (Object.is(ours[i], reference[i])) identical++
      else maxUlps = Math.max(maxUlps, Math.abs(bits(ours[i]!) - bits(reference[i]!)))
    }
    console.log(`ad01 parity (normal_id_01_00000000): ${identical} of ${reference.length} float32 values bit-identical (${((100 * identical) / reference.length).toFixed(3)} %), max ${maxUlps} ulp apart`)
    expect(identical).toBe(25_600)
  })
})
