/**
 * The streaming wake word (sww01) front end as the reference DUT runs it (stimuli.md §5.3, `sww_ref_util_submitter.c`):
 * every stride of 512 samples, the last 1024 samples → 40 log-mel features (LFBE) → int8 by truncation with wrap.
 *
 * The DUT's arithmetic is followed, not the training pipeline's (`get_dataset.py`, `evaluate.py`): samples scale as
 * int16/32768 (evaluate.py divides the whole WAV by its max|x|), and pre-emphasis runs over the stream, carried from one
 * stride to the next. Sums are in double precision where the DUT computes in float32, so a feature lying within a few
 * ulps of an int8 step can land one step away from the device's.
 */
import {createRealFft64} from './ad-fft64.js'
import {PRE_EMPHASIS} from './kws-features.js'
import {melWeightMatrix32} from './mel.js'

export const SWW_SAMPLE_RATE = 16000
/** Samples per LFBE frame, and the FFT length. */
export const SWW_FRAME_LENGTH = 1024
/** New samples per frame (32 ms): the DUT runs the model once per stride. */
export const SWW_FRAME_STEP = 512
export const SWW_MEL_BANDS = 40
export const SWW_SPECTRUM_BINS = SWW_FRAME_LENGTH / 2 + 1
/** The model's input holds the last 30 frames, oldest first ([1, 30, 1, 40]). */
export const SWW_INPUT_FRAMES = 30
/** Power floor before the logarithm. */
const POWER_FLOOR = 1e-30

/** Symmetric Hamming window: 0.54 − 0.46·cos(2πn/(N − 1)). */
export function symmetricHamming(length: number): Float64Array {
  return Float64Array.from({length}, (_, n) => 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (length - 1)))
}

/** log-mel energy → feature in [0, 1]: (10·log10(max(energy, 1e-30)) + 52)/64, clipped. */
export function lfbeFeature(melEnergy: number): number {
  const decibels = 10 * Math.log10(Math.max(melEnergy, POWER_FLOOR))
  return Math.min(Math.max((decibels + 52) / 64, 0), 1)
}

/**
 * The DUT's `(int8_t)(x/scale + zeroPoint)`: a float32 quotient truncated toward zero, then its low 8 bits (features
 * above ≈ 0.9475 wrap to negative values instead of saturating at 127).
 */
export function swwFeatureToInt8(feature: number, scale: number, zeroPoint: number): number {
  const f32 = Math.fround
  const truncated = Math.trunc(f32(f32(f32(feature) / f32(scale)) + zeroPoint))
  return ((truncated % 256) + 256 + 128) % 256 - 128
}

/** The TF mel matrix (40 bands, 0-8000 Hz, 513 bins) as each band's non-zero bins and weights. */
function melBands(): {bins: Int32Array; weights: Float64Array}[] {
  const matrix = melWeightMatrix32(SWW_MEL_BANDS, SWW_SPECTRUM_BINS, SWW_SAMPLE_RATE, 0, SWW_SAMPLE_RATE / 2)
  return Array.from({length: SWW_MEL_BANDS}, (_, band) => {
    const bins: number[] = []
    const weights: number[] = []
    for (let bin = 0; bin < SWW_SPECTRUM_BINS; bin++) {
      const weight = matrix[bin * SWW_MEL_BANDS + band]!
      if (weight !== 0) {
        bins.push(bin)
        weights.push(weight)
      }
    }
    return {bins: Int32Array.from(bins), weights: Float64Array.from(weights)}
  })
}

/**
 * The front end's state across strides: the last 1024 pre-emphasised samples (zeros before the recording starts, so
 * frame 0 is 512 zeros and the first 512 samples) and the last raw sample, which the next stride's pre-emphasis needs.
 */
export class SwwFrontEnd {
  private readonly window = symmetricHamming(SWW_FRAME_LENGTH)
  private readonly bands = melBands()
  private readonly fft = createRealFft64(SWW_FRAME_LENGTH)
  private readonly emphasised = new Float64Array(SWW_FRAME_LENGTH)
  private readonly frame = new Float64Array(SWW_FRAME_LENGTH)
  private readonly re = new Float64Array(SWW_SPECTRUM_BINS)
  private readonly im = new Float64Array(SWW_SPECTRUM_BINS)
  private readonly power = new Float64Array(SWW_SPECTRUM_BINS)
  private previousSample = 0

  /** Takes the next 512 samples (int16) and returns the 40 features of the frame that ends with them. */
  next(stride: ArrayLike<number>): Float64Array {
    if (stride.length !== SWW_FRAME_STEP) throw new RangeError(`a stride is ${SWW_FRAME_STEP} samples, got ${stride.length}`)
    this.emphasised.copyWithin(0, SWW_FRAME_STEP)
    for (let n = 0; n < SWW_FRAME_STEP; n++) {
      const sample = stride[n]! / 32768
      this.emphasised[SWW_FRAME_STEP + n] = sample - PRE_EMPHASIS * this.previousSample
      this.previousSample = sample
    }
    return this.features(this.emphasised)
  }

  /** |rfft(frame · Hamming)|² / 1024 of one 1024-sample frame, 513 bins. */
  powerSpectrum(frame: Float64Array): Float64Array {
    for (let n = 0; n < SWW_FRAME_LENGTH; n++) this.frame[n] = frame[n]! * this.window[n]!
    this.fft.forward(this.frame, this.re, this.im)
    for (let bin = 0; bin < SWW_SPECTRUM_BINS; bin++) {
      this.power[bin] = (this.re[bin]! * this.re[bin]! + this.im[bin]! * this.im[bin]!) / SWW_FRAME_LENGTH
    }
    return this.power
  }

  /** The mel energies of a power spectrum (513 bins → 40 bands). */
  melEnergies(power: Float64Array): Float64Array {
    return Float64Array.from(this.bands, ({bins, weights}) => {
      let sum = 0
      for (let t = 0; t < bins.length; t++) sum += power[bins[t]!]! * weights[t]!
      return sum
    })
  }

  /** The 40 features of one pre-emphasised 1024-sample frame. */
  features(frame: Float64Array): Float64Array {
    return this.melEnergies(this.powerSpectrum(frame)).map(lfbeFeature)
  }
}
