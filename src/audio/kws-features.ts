/**
 * Keyword-spotting (kws01) features of MLPerf Tiny from one 1 s clip of int16 samples: the MFCC of the closed
 * kws01 stimuli and the LFBE of kws01-open (stimuli.md §1.3). Two implementations of each:
 *  - `mfccExact` / `lfbeExact` emulate TF 2.x on CPU in float32 (Eigen FFT, GEBP matmul, plog) and reproduce the
 *    official bins byte for byte (kws-float32-parity.md §2, §5);
 *  - `mfccFloat64` / `lfbeFloat64` are plain double precision (kws-float32-parity.md §7), a few values off.
 * All take exactly CLIP_SAMPLES samples (the caller zero-pads) and return NUM_FRAMES × NUM_COEFFICIENTS values,
 * frame-major (index frame·10 + coefficient).
 */
import {eigenMatmul, createEigenMatmulPlan, type EigenMatmulPlan} from './eigen-matmul.js'
import {BluesteinFft, Radix2Fft} from './eigen-fft.js'
import {cosineWindow32, cosf, eigenPlogInto, hypotf, logf, sinf} from './float32-math.js'
import {melWeightMatrix32, melWeightMatrix64} from './mel.js'

const f32 = Math.fround

/** Speech Commands sample rate (stimuli.md §1.3). */
export const SAMPLE_RATE = 16000
/** clip_duration 1000 ms → desired_samples (stimuli.md §1.3). */
export const CLIP_SAMPLES = 16000
/** window_size_ms 30 (stimuli.md §1.3). */
export const FRAME_LENGTH = 480
/** window_stride_ms 20 (stimuli.md §1.3). */
export const FRAME_STEP = 320
/** tf.signal.stft fft_length=None: the next power of two ≥ FRAME_LENGTH (stimuli.md §1.3(a)). */
export const FFT_LENGTH = 512
/** FFT_LENGTH/2 + 1 (stimuli.md §1.3(a)). */
export const SPECTROGRAM_BINS = FFT_LENGTH / 2 + 1
/** 1 + floor((16000 − 480)/320) (stimuli.md §1.3). */
export const NUM_FRAMES = 1 + Math.floor((CLIP_SAMPLES - FRAME_LENGTH) / FRAME_STEP)
/** dct_coefficient_count; also the LFBE band count (stimuli.md §1.3). */
export const NUM_COEFFICIENTS = 10
/** 490 values per clip, byte[frame·10 + k] in the stimulus files (stimuli.md §1.4). */
export const FEATURES_PER_CLIP = NUM_FRAMES * NUM_COEFFICIENTS
/** MFCC mel bands and edges (stimuli.md §1.3(a)). */
export const MFCC_MEL_BINS = 40
export const MFCC_LOWER_EDGE_HZ = 20
export const MFCC_UPPER_EDGE_HZ = 4000
/** log(mel + 1e-6), epsilon as float32 (stimuli.md §1.3(a)). */
export const MFCC_LOG_OFFSET = f32(1e-6)
/** LFBE: 10 bands from 0 Hz to Nyquist (stimuli.md §1.3(b)). */
export const LFBE_MEL_BINS = NUM_COEFFICIENTS
export const LFBE_LOWER_EDGE_HZ = 0
export const LFBE_UPPER_EDGE_HZ = SAMPLE_RATE / 2
/** y[n] = x[n] − (1 − 2⁻⁵)·x[n−1] (stimuli.md §1.3(b)). */
export const PRE_EMPHASIS = 1 - 2 ** -5
/** Floor of the LFBE power before the log (stimuli.md §1.3(b)). */
export const LFBE_POWER_FLOOR = f32(1e-30)

/** TF's DCT-II of the 40 log-mels is an rfft of length 2·40 (stimuli.md §1.3(a), §1.6). */
const DCT_LENGTH = 2 * MFCC_MEL_BINS
/**
 * Eigen's vectorised plog covers the first 488 of the 490 LFBE logs (61 packets of 8); the last 2 go through scalar
 * logf (kws-float32-parity.md §5).
 */
const LFBE_PACKET_LOGS = Math.floor(FEATURES_PER_CLIP / 8) * 8

function checkClip(samples: Int16Array): void {
  if (samples.length !== CLIP_SAMPLES) {
    throw new RangeError(`kws features need exactly ${CLIP_SAMPLES} samples (zero-padded), got ${samples.length}`)
  }
}

/**
 * x = f32(sample) / reduce_max(x) in float32 (stimuli.md §1.3 step 2): the signed maximum, not max|x|. The official
 * clips all have a maximum > 0. A clip whose maximum is 0 (silent, or nothing above zero) divides by 0 as TF does:
 * positive samples become +∞, negative −∞ and zeros NaN, and every feature of such a clip comes out NaN. A clip
 * whose maximum is negative is divided by that negative maximum, which flips its sign.
 */
export function normalizeBySignedMax(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length)
  normalizeInto(samples, out)
  return out
}

function normalizeInto(samples: Int16Array, out: Float32Array | Float64Array): void {
  let max = -Infinity
  for (let i = 0; i < samples.length; i++) if (samples[i] > max) max = samples[i]
  for (let i = 0; i < samples.length; i++) out[i] = f32(samples[i] / max)
}

/** The float32 plans and scratch buffers of the exact pipelines, built on first use. */
class ExactPlans {
  /** rfft(512) = the complex radix-2 FFT of the zero-padded real frame; bins 0..256 are read from it. */
  readonly fft = new Radix2Fft(FFT_LENGTH)
  readonly dct = new BluesteinFft(DCT_LENGTH)
  /** Periodic Hann for mfcc, symmetric Hamming for lfbe (stimuli.md §1.3(a), (b)). */
  readonly hann = cosineWindow32(FRAME_LENGTH, 0.5, 0.5, true)
  readonly hamming = cosineWindow32(FRAME_LENGTH, 0.54, 0.46, false)
  readonly mfccMel: EigenMatmulPlan = createEigenMatmulPlan(
    melWeightMatrix32(MFCC_MEL_BINS, SPECTROGRAM_BINS, SAMPLE_RATE, MFCC_LOWER_EDGE_HZ, MFCC_UPPER_EDGE_HZ),
    SPECTROGRAM_BINS,
    MFCC_MEL_BINS,
  )
  readonly lfbeMel: EigenMatmulPlan = createEigenMatmulPlan(
    melWeightMatrix32(LFBE_MEL_BINS, SPECTROGRAM_BINS, SAMPLE_RATE, LFBE_LOWER_EDGE_HZ, LFBE_UPPER_EDGE_HZ),
    SPECTROGRAM_BINS,
    LFBE_MEL_BINS,
  )
  /** 2·exp(−iπk/80) from the float32 angle ((−k)·f32(π))·0.5/40 (kws-float32-parity.md §2 step 8). */
  readonly dctScaleRe = new Float64Array(NUM_COEFFICIENTS)
  readonly dctScaleIm = new Float64Array(NUM_COEFFICIENTS)
  /** rsqrt(2·40) as f32(1 / f32(sqrt(80))) (stimuli.md §1.3(a)). */
  readonly dctNorm = f32(1 / f32(Math.sqrt(DCT_LENGTH)))
  /** ln 10 as scalar logf (kws-float32-parity.md §5). */
  readonly lfbeLn10 = logf(10)
  /** pow = f32(1/480)·|X|² (stimuli.md §1.3(b)). */
  readonly lfbePowerScale = f32(1 / FRAME_LENGTH)

  readonly signal = new Float64Array(CLIP_SAMPLES)
  readonly frame = new Float64Array(FRAME_LENGTH)
  readonly binRe = new Float32Array(FFT_LENGTH)
  readonly binIm = new Float32Array(FFT_LENGTH)
  readonly spectrogram = new Float64Array(NUM_FRAMES * SPECTROGRAM_BINS)
  readonly melEnergies = new Float64Array(NUM_FRAMES * MFCC_MEL_BINS)
  readonly logMel = new Float64Array(MFCC_MEL_BINS)
  readonly lfbeLogs = new Float64Array(FEATURES_PER_CLIP)
  readonly dctRe = new Float32Array(NUM_COEFFICIENTS)
  readonly dctIm = new Float32Array(NUM_COEFFICIENTS)

  constructor() {
    const pi32 = f32(Math.PI)
    for (let k = 0; k < NUM_COEFFICIENTS; k++) {
      const angle = f32(f32(f32(-k * pi32) * 0.5) / MFCC_MEL_BINS)
      this.dctScaleRe[k] = f32(2 * cosf(angle))
      this.dctScaleIm[k] = f32(2 * sinf(angle))
    }
  }

  /** Windowed frame f of `signal` → its spectrum in binRe/binIm (bins 0..256 are the rfft). */
  frameSpectrum(frameIndex: number, window: Float32Array): void {
    const {signal, frame} = this
    const offset = frameIndex * FRAME_STEP
    for (let n = 0; n < FRAME_LENGTH; n++) frame[n] = f32(signal[offset + n] * window[n])
    this.fft.transformReal(frame, FRAME_LENGTH, this.binRe, this.binIm)
  }
}

let exactPlans: ExactPlans | undefined

/** MFCC as TF computed it for kws01 (kws-float32-parity.md §2), float32 throughout. */
export function mfccExact(samples: Int16Array): Float32Array {
  checkClip(samples)
  const plans = (exactPlans ??= new ExactPlans())
  const {signal, binRe, binIm, spectrogram, melEnergies, logMel, dctRe, dctIm, dctScaleRe, dctScaleIm, dctNorm} = plans
  normalizeInto(samples, signal)
  for (let frame = 0; frame < NUM_FRAMES; frame++) {
    plans.frameSpectrum(frame, plans.hann)
    const row = frame * SPECTROGRAM_BINS
    for (let bin = 0; bin < SPECTROGRAM_BINS; bin++) spectrogram[row + bin] = hypotf(binRe[bin], binIm[bin])
  }
  eigenMatmul(plans.mfccMel, spectrogram, NUM_FRAMES, melEnergies)
  const out = new Float32Array(FEATURES_PER_CLIP)
  for (let frame = 0; frame < NUM_FRAMES; frame++) {
    for (let band = 0; band < MFCC_MEL_BINS; band++) {
      logMel[band] = f32(melEnergies[frame * MFCC_MEL_BINS + band] + MFCC_LOG_OFFSET)
    }
    eigenPlogInto(logMel, 0, logMel, 0, MFCC_MEL_BINS)
    // DCT-II = Re(rfft(logMel, 80)[k] · 2·exp(−iπk/80)) · rsqrt(80); only k < 10 is kept.
    plans.dct.transform(logMel, undefined, MFCC_MEL_BINS, dctRe, dctIm, NUM_COEFFICIENTS)
    for (let k = 0; k < NUM_COEFFICIENTS; k++) {
      const real = f32(f32(dctRe[k] * dctScaleRe[k]) - f32(dctIm[k] * dctScaleIm[k]))
      out[frame * NUM_COEFFICIENTS + k] = f32(real * dctNorm)
    }
  }
  return out
}

/** LFBE of kws01-open as TF computed it (kws-float32-parity.md §5), float32 throughout. */
export function lfbeExact(samples: Int16Array): Float32Array {
  checkClip(samples)
  const plans = (exactPlans ??= new ExactPlans())
  const {signal, binRe, binIm, spectrogram, melEnergies, lfbeLogs, lfbePowerScale, lfbeLn10} = plans
  normalizeInto(samples, signal)
  // Pre-emphasis in place, from the end so x[n−1] is still the original (y[0] = x[0]).
  for (let n = CLIP_SAMPLES - 1; n > 0; n--) signal[n] = f32(signal[n] - f32(PRE_EMPHASIS * signal[n - 1]))
  let maxPower = -Infinity
  for (let frame = 0; frame < NUM_FRAMES; frame++) {
    plans.frameSpectrum(frame, plans.hamming)
    const row = frame * SPECTROGRAM_BINS
    for (let bin = 0; bin < SPECTROGRAM_BINS; bin++) {
      const magnitude = hypotf(binRe[bin], binIm[bin])
      const power = f32(lfbePowerScale * f32(magnitude * magnitude))
      spectrogram[row + bin] = power
      maxPower = Math.max(maxPower, power)
    }
  }
  for (let i = 0; i < NUM_FRAMES * SPECTROGRAM_BINS; i++) {
    spectrogram[i] = Math.min(Math.max(spectrogram[i], LFBE_POWER_FLOOR), maxPower)
  }
  eigenMatmul(plans.lfbeMel, spectrogram, NUM_FRAMES, melEnergies)
  eigenPlogInto(melEnergies, 0, lfbeLogs, 0, LFBE_PACKET_LOGS)
  for (let i = LFBE_PACKET_LOGS; i < FEATURES_PER_CLIP; i++) lfbeLogs[i] = logf(melEnergies[i])
  const out = new Float32Array(FEATURES_PER_CLIP)
  for (let i = 0; i < FEATURES_PER_CLIP; i++) {
    // 10·log10 as TF's log(x)/log(10), a real float32 division (kws-float32-parity.md §4).
    const decibels = f32(10 * f32(lfbeLogs[i] / lfbeLn10))
    // (((l + 52) − 32) + 32) / 64, left to right in float32 (stimuli.md §1.3(b)).
    const shifted = f32(f32(f32(f32(decibels + 52) - 32) + 32) / 64)
    out[i] = Math.min(Math.max(shifted, 0), 1)
  }
  return out
}

/** Which of the 49 frames have all 480 samples zero; the float64 MFCC path takes float32 values for those (stimuli.md §1.6). */
export function zeroFrames(samples: Int16Array): boolean[] {
  checkClip(samples)
  return Array.from({length: NUM_FRAMES}, (_, frame) => {
    const offset = frame * FRAME_STEP
    for (let n = 0; n < FRAME_LENGTH; n++) if (samples[offset + n] !== 0) return false
    return true
  })
}

/** Iterative radix-2 FFT in double precision with a directly computed twiddle table (float64 pipelines). */
class Fft64 {
  private readonly size: number
  private readonly bitReversed: Int32Array
  private readonly cos: Float64Array
  private readonly sin: Float64Array

  constructor(size: number) {
    this.size = size
    const bits = Math.log2(size)
    this.bitReversed = Int32Array.from({length: size}, (_, i) => {
      let reversed = 0
      for (let b = 0; b < bits; b++) reversed |= ((i >> b) & 1) << (bits - 1 - b)
      return reversed
    })
    this.cos = Float64Array.from({length: size / 2}, (_, k) => Math.cos((2 * Math.PI * k) / size))
    this.sin = Float64Array.from({length: size / 2}, (_, k) => -Math.sin((2 * Math.PI * k) / size))
  }

  /** Forward DFT of src[0..length) zero-padded to `size`, into re/im. */
  transformReal(src: Float64Array, length: number, re: Float64Array, im: Float64Array): void {
    const {size, bitReversed, cos, sin} = this
    for (let i = 0; i < size; i++) {
      const from = bitReversed[i]
      re[i] = from < length ? src[from] : 0
      im[i] = 0
    }
    for (let half = 1; half < size; half *= 2) {
      const stride = (size / (2 * half)) | 0
      for (let base = 0; base < size; base += 2 * half) {
        for (let i = 0; i < half; i++) {
          const wr = cos[i * stride]
          const wi = sin[i * stride]
          const lo = base + i
          const hi = lo + half
          const tr = re[hi] * wr - im[hi] * wi
          const ti = re[hi] * wi + im[hi] * wr
          re[hi] = re[lo] - tr
          im[hi] = im[lo] - ti
          re[lo] += tr
          im[lo] += ti
        }
      }
    }
  }
}

/** The double-precision tables and scratch buffers of the float64 pipelines, built on first use. */
class Float64Plans {
  readonly fft = new Fft64(FFT_LENGTH)
  /** The same windows as the exact path (stimuli.md §1.3(a), (b)), in double. */
  readonly hann = Float64Array.from(
    {length: FRAME_LENGTH},
    (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / FRAME_LENGTH),
  )
  readonly hamming = Float64Array.from(
    {length: FRAME_LENGTH},
    (_, n) => 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (FRAME_LENGTH - 1)),
  )
  readonly mfccMel = sparseBands(
    melWeightMatrix64(MFCC_MEL_BINS, SPECTROGRAM_BINS, SAMPLE_RATE, MFCC_LOWER_EDGE_HZ, MFCC_UPPER_EDGE_HZ),
    MFCC_MEL_BINS,
  )
  readonly lfbeMel = sparseBands(
    melWeightMatrix64(LFBE_MEL_BINS, SPECTROGRAM_BINS, SAMPLE_RATE, LFBE_LOWER_EDGE_HZ, LFBE_UPPER_EDGE_HZ),
    LFBE_MEL_BINS,
  )
  /** D[k][n] = 2·cos(πk(2n + 1)/80)/√80, TF's unnormalised DCT-II times rsqrt(80) (stimuli.md §1.3(a)). */
  readonly dct = Float64Array.from({length: NUM_COEFFICIENTS * MFCC_MEL_BINS}, (_, i) => {
    const k = Math.floor(i / MFCC_MEL_BINS)
    const n = i % MFCC_MEL_BINS
    return (2 * Math.cos((Math.PI * k * (2 * n + 1)) / DCT_LENGTH)) / Math.sqrt(DCT_LENGTH)
  })

  readonly signal = new Float64Array(CLIP_SAMPLES)
  readonly frame = new Float64Array(FRAME_LENGTH)
  readonly re = new Float64Array(FFT_LENGTH)
  readonly im = new Float64Array(FFT_LENGTH)
  readonly spectrogram = new Float64Array(NUM_FRAMES * SPECTROGRAM_BINS)
  readonly logMel = new Float64Array(MFCC_MEL_BINS)

  /** signal = samples / signed max, in double. */
  normalize(samples: Int16Array): void {
    let max = -Infinity
    for (let i = 0; i < samples.length; i++) if (samples[i] > max) max = samples[i]
    for (let i = 0; i < samples.length; i++) this.signal[i] = samples[i] / max
  }

  /** |rfft|² of each windowed frame into `spectrogram` (squared magnitude; callers take the root if needed). */
  powerSpectrogram(window: Float64Array): void {
    for (let frame = 0; frame < NUM_FRAMES; frame++) {
      const offset = frame * FRAME_STEP
      for (let n = 0; n < FRAME_LENGTH; n++) this.frame[n] = this.signal[offset + n] * window[n]
      this.fft.transformReal(this.frame, FRAME_LENGTH, this.re, this.im)
      for (let bin = 0; bin < SPECTROGRAM_BINS; bin++) {
        this.spectrogram[frame * SPECTROGRAM_BINS + bin] = this.re[bin] * this.re[bin] + this.im[bin] * this.im[bin]
      }
    }
  }

  /** Σ_bin spectrogram[frame, bin]·weights[bin, band] over the band's non-zero weights. */
  melEnergy(bands: readonly SparseBand[], frame: number, band: number): number {
    const {bins, weights} = bands[band]
    const row = frame * SPECTROGRAM_BINS
    let sum = 0
    for (let t = 0; t < bins.length; t++) sum += this.spectrogram[row + bins[t]] * weights[t]
    return sum
  }
}

/** The non-zero weights of one mel band (a triangle spans a few dozen bins at most). */
interface SparseBand {
  readonly bins: Int32Array
  readonly weights: Float64Array
}

function sparseBands(matrix: Float64Array, bands: number): SparseBand[] {
  return Array.from({length: bands}, (_, band) => {
    const bins: number[] = []
    const weights: number[] = []
    for (let bin = 0; bin < SPECTROGRAM_BINS; bin++) {
      const weight = matrix[bin * bands + band]
      if (weight !== 0) {
        bins.push(bin)
        weights.push(weight)
      }
    }
    return {bins: Int32Array.from(bins), weights: Float64Array.from(weights)}
  })
}

let float64Plans: Float64Plans | undefined

/**
 * MFCC in plain double precision (kws-float32-parity.md §7). An all-zero frame is the one place where double
 * precision cannot stand in for float32: exact maths gives a DCT of 0 for its constant log-mels, while TF's Bluestein
 * DCT leaves a float32 residue that moves two coefficients across an integer (the official row
 * [−128, 82, 83, 83, 83, 82, 83, 83, 83, 83]). Such frames take the float32-emulated values, whatever the quantisation.
 */
export function mfccFloat64(samples: Int16Array): Float32Array {
  checkClip(samples)
  const plans = (float64Plans ??= new Float64Plans())
  plans.normalize(samples)
  plans.powerSpectrogram(plans.hann)
  const {spectrogram, mfccMel, dct, logMel} = plans
  for (let i = 0; i < spectrogram.length; i++) spectrogram[i] = Math.sqrt(spectrogram[i])
  const out = new Float32Array(FEATURES_PER_CLIP)
  for (let frame = 0; frame < NUM_FRAMES; frame++) {
    for (let band = 0; band < MFCC_MEL_BINS; band++) {
      logMel[band] = Math.log(plans.melEnergy(mfccMel, frame, band) + 1e-6)
    }
    for (let k = 0; k < NUM_COEFFICIENTS; k++) {
      let sum = 0
      for (let n = 0; n < MFCC_MEL_BINS; n++) sum += logMel[n] * dct[k * MFCC_MEL_BINS + n]
      out[frame * NUM_COEFFICIENTS + k] = sum
    }
  }
  zeroFrames(samples).forEach((zero, frame) => zero && out.set(exactZeroFrameMfcc(), frame * NUM_COEFFICIENTS))
  return out
}

let zeroFrameMfcc: Float32Array | undefined

/** The float32-emulated MFCC of an all-zero frame, computed once (frames 1…48 of a clip holding one sample). */
function exactZeroFrameMfcc(): Float32Array {
  if (!zeroFrameMfcc) {
    const clip = new Int16Array(CLIP_SAMPLES)
    clip[0] = 1
    zeroFrameMfcc = mfccExact(clip).slice(NUM_COEFFICIENTS, 2 * NUM_COEFFICIENTS)
  }
  return zeroFrameMfcc
}

/** LFBE in plain double precision (kws-float32-parity.md §7). */
export function lfbeFloat64(samples: Int16Array): Float32Array {
  checkClip(samples)
  const plans = (float64Plans ??= new Float64Plans())
  plans.normalize(samples)
  const {signal, spectrogram, lfbeMel} = plans
  for (let n = CLIP_SAMPLES - 1; n > 0; n--) signal[n] -= PRE_EMPHASIS * signal[n - 1]
  plans.powerSpectrogram(plans.hamming)
  // The same steps as lfbeExact (stimuli.md §1.3(b)): power/480 clipped to [1e-30, clip max], 10·log10, scaling.
  let maxPower = -Infinity
  for (let i = 0; i < spectrogram.length; i++) {
    spectrogram[i] /= FRAME_LENGTH
    maxPower = Math.max(maxPower, spectrogram[i])
  }
  for (let i = 0; i < spectrogram.length; i++) spectrogram[i] = Math.min(Math.max(spectrogram[i], 1e-30), maxPower)
  const out = new Float32Array(FEATURES_PER_CLIP)
  for (let frame = 0; frame < NUM_FRAMES; frame++) {
    for (let band = 0; band < LFBE_MEL_BINS; band++) {
      const decibels = 10 * Math.log10(plans.melEnergy(lfbeMel, frame, band))
      out[frame * NUM_COEFFICIENTS + band] = Math.min(Math.max((decibels + 52 - 32 + 32) / 64, 0), 1)
    }
  }
  return out
}
