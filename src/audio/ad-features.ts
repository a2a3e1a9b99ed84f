/**
 * Anomaly-detection (ad01) stimuli of MLPerf Tiny: the log-mel spectrogram of a DCASE 2020 ToyCar clip as the
 * reference `common.py` computed it with librosa 0.6.0 and numpy 1.16 (stimuli.md §4.2–4.3, ad-parity.md). The
 * float64 pipeline is rounded to float32 at exactly the four places where the reference stored float32 values:
 *
 *  1. the STFT is stored as complex64 (re and im rounded separately);
 *  2. `np.abs` of complex64 is glibc `hypotf`, i.e. f32(sqrt(re² + im²)) with the squares and sum in float64;
 *  3. `|X|**2` squares that float32 magnitude in float32;
 *  4. the float64 dB values are written as float32.
 *
 * Everything else (window, FFT, Slaney mel basis, dot product, log10) is float64. Skipping any of the four roundings,
 * or doing the mel math in float32 as librosa ≥ 0.7 does, leaves only 47–97 % of the values bit-identical.
 */

import {createRealFft64, type RealFft64} from './ad-fft64.js'
import {float32LittleEndianBytes} from './little-endian.js'
import {applyMelBasis, slaneyMelBasis, type SlaneyMelBasis} from './slaney-mel.js'

const f32 = Math.fround

/** DCASE 2020 Task 2 clips are 16 kHz mono 16-bit PCM (stimuli.md §4.1); librosa.load(sr=None) keeps that rate. */
export const AD_SAMPLE_RATE = 16000
/** int16 → float: librosa 0.6.0 `buf_to_float` divides by 2^15 (stimuli.md §4.2 step 1). */
const INT16_SCALE = 32768
/** baseline.yaml n_fft (stimuli.md §4.2 step 2). */
export const AD_FFT_SIZE = 1024
/** baseline.yaml hop_length (stimuli.md §4.2 step 2). */
export const AD_HOP = 512
/** stft(center=True): the signal is reflect-padded by n_fft/2 on both sides (stimuli.md §4.2 step 2). */
const CENTER_PADDING = AD_FFT_SIZE / 2
/** n_fft/2 + 1 spectrum bins. */
export const AD_SPECTRUM_BINS = AD_FFT_SIZE / 2 + 1
/** baseline.yaml n_mels; the mel basis spans 0 Hz to Nyquist (stimuli.md §4.2 step 2). */
export const AD_MEL_BANDS = 128
const MEL_LOW_HZ = 0
const MEL_HIGH_HZ = AD_SAMPLE_RATE / 2
/** `sys.float_info.epsilon` added before the log (stimuli.md §4.2 step 3). */
export const AD_LOG_EPSILON = 2.220446049250313e-16
/** `20.0 / 2.0 * log10(...)`: power dB (stimuli.md §4.2 step 3). */
const DECIBELS_PER_DECADE = 10
/** `log_mel[:, 50:250]`: the stimulus keeps frames 50..249 (stimuli.md §4.2 step 4). */
export const AD_FIRST_FRAME = 50
export const AD_FRAMES = 200
/** A clip needs 250 frames, 1 + floor(samples/512) ≥ 250 (stimuli.md §4.2 step 4): at least 127,488 samples. */
export const AD_MIN_SAMPLES = (AD_FIRST_FRAME + AD_FRAMES - 1) * AD_HOP
/** 200 × 128 float32 values, time-major (stimuli.md §4.2 step 5). */
const AD_STIMULUS_VALUES = AD_FRAMES * AD_MEL_BANDS
export const AD_STIMULUS_BYTES = AD_STIMULUS_VALUES * Float32Array.BYTES_PER_ELEMENT

/** Frames of a centred STFT: 1 + floor(samples / hop) (librosa 0.6.0 `util.frame` on the padded signal). */
export function frameCount(samples: number): number {
  return 1 + Math.floor(samples / AD_HOP)
}

/**
 * Index into the clip of sample `n` of the padded signal `np.pad(y, 512, mode='reflect')`: mirrored about the first
 * and last samples, which are not repeated (…, y[2], y[1], y[0], y[1], y[2], …). Valid while the padding is
 * shorter than the clip, as it is for any clip of 250 frames.
 */
export function reflectPaddedIndex(n: number, length: number): number {
  const i = n - CENTER_PADDING
  if (i < 0) return -i
  if (i >= length) return 2 * (length - 1) - i
  return i
}

/** Periodic Hann, scipy `get_window('hann', 1024, fftbins=True)`, as 0.5 − 0.5·cos(2πn/N) (ad-parity.md). */
function periodicHann(size: number): Float64Array {
  return Float64Array.from({length: size}, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size))
}

/** Reusable buffers and tables of the log-mel computation; one per thread. */
export class AdLogMel {
  private readonly fft: RealFft64 = createRealFft64(AD_FFT_SIZE)
  private readonly window = periodicHann(AD_FFT_SIZE)
  private readonly melBasis: SlaneyMelBasis = slaneyMelBasis({
    sampleRate: AD_SAMPLE_RATE,
    fftSize: AD_FFT_SIZE,
    bands: AD_MEL_BANDS,
    lowHz: MEL_LOW_HZ,
    highHz: MEL_HIGH_HZ,
  })
  private readonly frame = new Float64Array(AD_FFT_SIZE)
  private readonly re = new Float64Array(AD_SPECTRUM_BINS)
  private readonly im = new Float64Array(AD_SPECTRUM_BINS)
  private readonly power = new Float64Array(AD_SPECTRUM_BINS)
  private readonly mel = new Float64Array(AD_MEL_BANDS)

  /**
   * Log-mel frames `first … first+count−1` of the clip, time-major: value (t − first)·128 + m is band m of frame t.
   * Throws a RangeError when the clip does not have that many frames.
   */
  frames(samples: Int16Array, first: number, count: number): Float32Array {
    if (first < 0 || first + count > frameCount(samples.length) || samples.length <= CENTER_PADDING) {
      throw new RangeError(`frames ${first}..${first + count - 1} need a clip of ${(first + count - 1) * AD_HOP} samples, got ${samples.length}`)
    }
    const out = new Float32Array(count * AD_MEL_BANDS)
    for (let frame = 0; frame < count; frame++) {
      this.powerSpectrum(samples, (first + frame) * AD_HOP)
      applyMelBasis(this.melBasis, this.power, this.mel)
      const row = frame * AD_MEL_BANDS
      for (let band = 0; band < AD_MEL_BANDS; band++) {
        out[row + band] = DECIBELS_PER_DECADE * Math.log10(this.mel[band]! + AD_LOG_EPSILON) // f32 #4: the Float32Array store
      }
    }
    return out
  }

  /** S[k] of the frame starting at sample `start` of the padded signal, with roundings 1–3 of the module comment. */
  private powerSpectrum(samples: Int16Array, start: number): void {
    const {frame, re, im, window, power} = this
    const length = samples.length
    const inside = start >= CENTER_PADDING && start - CENTER_PADDING + AD_FFT_SIZE <= length
    for (let n = 0; n < AD_FFT_SIZE; n++) {
      const index = inside ? start - CENTER_PADDING + n : reflectPaddedIndex(start + n, length)
      frame[n] = window[n]! * (samples[index]! / INT16_SCALE)
    }
    this.fft.forward(frame, re, im)
    for (let k = 0; k < AD_SPECTRUM_BINS; k++) {
      const real = f32(re[k]!) // f32 #1: complex64 store
      const imaginary = f32(im[k]!)
      const magnitude = f32(Math.sqrt(real * real + imaginary * imaginary)) // f32 #2: glibc hypotf
      power[k] = f32(magnitude * magnitude) // f32 #3: float32 square
    }
  }
}

let shared: AdLogMel | undefined

/**
 * The ad01 stimulus values of a clip: log-mel frames 50..249, 200 × 128 float32, time-major. The clip must have at
 * least AD_MIN_SAMPLES samples (the caller reports a shorter one as a user error).
 */
export function adLogMelStimulus(samples: Int16Array): Float32Array {
  shared ??= new AdLogMel()
  return shared.frames(samples, AD_FIRST_FRAME, AD_FRAMES)
}

/** The ad01 stimulus file of a clip (102,400 bytes). */
export function adStimulusBytes(samples: Int16Array): Uint8Array {
  return float32LittleEndianBytes(adLogMelStimulus(samples))
}
