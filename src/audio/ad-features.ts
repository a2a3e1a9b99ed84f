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
 *
 * Steps 1–3 and everything before the log run in a WebAssembly kernel (assembly/ad.ts, the float64 FFT of
 * ad-fft64.ts and the dot product of slaney-mel.ts operation for operation) on tables computed here.
 */

import {bitReversal, splitTwiddles, stageTwiddles} from './ad-fft64.js'
import {float32LittleEndianBytes} from './little-endian.js'
import {slaneyMelBasis} from './slaney-mel.js'
import {AdKernel, type AdTables} from './wasm/ad-kernel.js'

/** DCASE 2020 Task 2 clips are 16 kHz mono 16-bit PCM (stimuli.md §4.1); librosa.load(sr=None) keeps that rate. */
export const AD_SAMPLE_RATE = 16000
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

/** The log-mel computation with its kernel and tables; one per thread. */
export class AdLogMel {
  private readonly kernel = new AdKernel(adTables())

  /**
   * Log-mel frames `first … first+count−1` of the clip, time-major: value (t − first)·128 + m is band m of frame t.
   * Throws a RangeError when the clip does not have that many frames.
   */
  frames(samples: Int16Array, first: number, count: number): Float32Array {
    const energies = this.melEnergies(samples, first, count)
    const out = new Float32Array(energies.length)
    for (let i = 0; i < energies.length; i++) {
      out[i] = DECIBELS_PER_DECADE * Math.log10(energies[i]! + AD_LOG_EPSILON) // f32 #4: the Float32Array store
    }
    return out
  }

  /**
   * The float64 mel energies before the log (`np.dot(mel_basis, S)`) of the same frames, laid out as `frames`
   * lays out its values; a view into the kernel, valid until the next call.
   */
  melEnergies(samples: Int16Array, first: number, count: number): Float64Array {
    if (first < 0 || first + count > frameCount(samples.length) || samples.length <= CENTER_PADDING) {
      throw new RangeError(`frames ${first}..${first + count - 1} need a clip of ${(first + count - 1) * AD_HOP} samples, got ${samples.length}`)
    }
    // The padded signal the frames span, copied into the kernel with the reflected ends written out.
    const signal = this.kernel.signal(count)
    const from = first * AD_HOP
    const to = from + signal.length
    const insideFrom = Math.min(Math.max(from, CENTER_PADDING), to)
    const insideTo = Math.max(Math.min(to, samples.length + CENTER_PADDING), insideFrom)
    signal.set(samples.subarray(insideFrom - CENTER_PADDING, insideTo - CENTER_PADDING), insideFrom - from)
    for (let n = from; n < insideFrom; n++) signal[n - from] = samples[reflectPaddedIndex(n, samples.length)]!
    for (let n = insideTo; n < to; n++) signal[n - from] = samples[reflectPaddedIndex(n, samples.length)]!
    return this.kernel.melEnergies()
  }
}

/** The kernel's tables: window, FFT twiddles and the Slaney mel basis, all float64. */
function adTables(): AdTables {
  const melBasis = slaneyMelBasis({sampleRate: AD_SAMPLE_RATE, fftSize: AD_FFT_SIZE, bands: AD_MEL_BANDS, lowHz: MEL_LOW_HZ, highHz: MEL_HIGH_HZ})
  const stage = stageTwiddles(AD_FFT_SIZE / 2)
  const split = splitTwiddles(AD_FFT_SIZE)
  return {
    geometry: {FFT_SIZE: AD_FFT_SIZE, HOP: AD_HOP, SPECTRUM_BINS: AD_SPECTRUM_BINS, MEL_BANDS: AD_MEL_BANDS},
    window: periodicHann(AD_FFT_SIZE),
    bitReversal: bitReversal(AD_FFT_SIZE / 2),
    stageRe: stage.re,
    stageIm: stage.im,
    splitCos: split.cos,
    splitSin: split.sin,
    melWeights: melBasis.weights,
    melFirstBin: melBasis.firstBin,
    melEndBin: melBasis.endBin,
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
