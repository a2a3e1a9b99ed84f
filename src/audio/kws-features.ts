/**
 * Keyword-spotting (kws01) features of MLPerf Tiny from one 1 s clip of int16 samples: the MFCC of the closed
 * kws01 stimuli and the LFBE of kws01-open (stimuli.md §1.3). Two implementations of each:
 *  - `mfccExact` / `lfbeExact` emulate TF 2.x on CPU in float32 (Eigen FFT, GEBP matmul, plog) and reproduce the
 *    official bins byte for byte (kws-float32-parity.md §2, §5). They run in a WebAssembly kernel (assembly/kws.ts,
 *    native f32 arithmetic) on tables computed here;
 *  - `mfccFloat64` / `lfbeFloat64` are plain double precision (kws-float32-parity.md §7), a few values off.
 * All take exactly CLIP_SAMPLES samples (the caller zero-pads) and return NUM_FRAMES × NUM_COEFFICIENTS values,
 * frame-major (index frame·10 + coefficient).
 */
import {createComplexFft64} from './ad-fft64.js'
import {bluesteinChirp, mergeLevels, scramblePermutation} from './eigen-fft.js'
import {eigenMatmulProgram} from './eigen-matmul.js'
import {cosineWindow32, cosf, logf, sinf} from './float32-math.js'
import {melWeightMatrix32, melWeightMatrix64} from './mel.js'
import {KwsKernel, type KwsTables} from './wasm/kws-kernel.js'

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
/** LFBE: 10 bands from 0 Hz to Nyquist (stimuli.md §1.3(b)). */
export const LFBE_MEL_BINS = NUM_COEFFICIENTS
export const LFBE_LOWER_EDGE_HZ = 0
export const LFBE_UPPER_EDGE_HZ = SAMPLE_RATE / 2
/** y[n] = x[n] − (1 − 2⁻⁵)·x[n−1] (stimuli.md §1.3(b)). */
export const PRE_EMPHASIS = 1 - 2 ** -5

/** TF's DCT-II of the 40 log-mels is an rfft of length 2·40 (stimuli.md §1.3(a), §1.6). */
const DCT_LENGTH = 2 * MFCC_MEL_BINS

function checkClip(samples: Int16Array): void {
  if (samples.length !== CLIP_SAMPLES) {
    throw new RangeError(`kws features need exactly ${CLIP_SAMPLES} samples (zero-padded), got ${samples.length}`)
  }
}

/** The smallest power of two ≥ 2n − 1, the radix-2 size of Eigen's Bluestein FFT of size n (stimuli.md §1.6). */
const BLUESTEIN_RADIX2_SIZE = 2 ** Math.ceil(Math.log2(2 * DCT_LENGTH - 1))

/** The tables of the exact pipelines, every transcendental value among them computed here (kws-kernel.ts). */
function exactTables(): KwsTables {
  const pi32 = f32(Math.PI)
  const dctScaleRe = new Float32Array(NUM_COEFFICIENTS)
  const dctScaleIm = new Float32Array(NUM_COEFFICIENTS)
  for (let k = 0; k < NUM_COEFFICIENTS; k++) {
    // 2·exp(−iπk/80) from the float32 angle ((−k)·f32(π))·0.5/40 (kws-float32-parity.md §2 step 8).
    const angle = f32(f32(f32(-k * pi32) * 0.5) / MFCC_MEL_BINS)
    dctScaleRe[k] = 2 * cosf(angle)
    dctScaleIm[k] = 2 * sinf(angle)
  }
  const chirp = bluesteinChirp(DCT_LENGTH)
  return {
    geometry: {
      CLIP_SAMPLES,
      FRAME_LENGTH,
      FRAME_STEP,
      SPECTROGRAM_BINS,
      NUM_FRAMES,
      NUM_COEFFICIENTS,
      MFCC_MEL_BINS,
      LFBE_MEL_BINS,
      FRAME_FFT_SIZE: FFT_LENGTH,
      BLUESTEIN_SIZE: DCT_LENGTH,
      BLUESTEIN_RADIX2_SIZE,
    },
    // Periodic Hann for mfcc, symmetric Hamming for lfbe (stimuli.md §1.3(a), (b)).
    hannWindow: cosineWindow32(FRAME_LENGTH, 0.5, 0.5, true),
    hammingWindow: cosineWindow32(FRAME_LENGTH, 0.54, 0.46, false),
    mfccGebpProgram: eigenMatmulProgram(
      melWeightMatrix32(MFCC_MEL_BINS, SPECTROGRAM_BINS, SAMPLE_RATE, MFCC_LOWER_EDGE_HZ, MFCC_UPPER_EDGE_HZ),
      SPECTROGRAM_BINS,
      MFCC_MEL_BINS,
    ),
    lfbeGebpProgram: eigenMatmulProgram(
      melWeightMatrix32(LFBE_MEL_BINS, SPECTROGRAM_BINS, SAMPLE_RATE, LFBE_LOWER_EDGE_HZ, LFBE_UPPER_EDGE_HZ),
      SPECTROGRAM_BINS,
      LFBE_MEL_BINS,
    ),
    scramble512: scramblePermutation(FFT_LENGTH),
    scramble256: scramblePermutation(BLUESTEIN_RADIX2_SIZE),
    mergeLevels: mergeLevels(FFT_LENGTH),
    chirpRe: chirp.re,
    chirpIm: chirp.im,
    dctScaleRe,
    dctScaleIm,
    // rsqrt(2·40) as f32(1 / f32(sqrt(80))) (stimuli.md §1.3(a)).
    dctNorm: f32(1 / f32(Math.sqrt(DCT_LENGTH))),
    // ln 10 as scalar logf (kws-float32-parity.md §5).
    ln10: logf(10),
  }
}

let kernel: KwsKernel | undefined

/** The WebAssembly kernel of mfccExact / lfbeExact, built on first use (once per thread). */
export function exactKernel(): KwsKernel {
  return (kernel ??= new KwsKernel(exactTables()))
}

/**
 * MFCC as TF computed it for kws01 (kws-float32-parity.md §2), float32 throughout. The clip is divided by its signed
 * maximum (stimuli.md §1.3 step 2); a clip whose maximum is 0 divides by 0 as TF does, and its features are NaN.
 */
export function mfccExact(samples: Int16Array): Float32Array {
  checkClip(samples)
  return exactKernel().mfcc(samples)
}

/** LFBE of kws01-open as TF computed it (kws-float32-parity.md §5), float32 throughout; normalised as mfccExact. */
export function lfbeExact(samples: Int16Array): Float32Array {
  checkClip(samples)
  return exactKernel().lfbe(samples)
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

/** The double-precision tables and scratch buffers of the float64 pipelines, built on first use. */
class Float64Plans {
  readonly fft = createComplexFft64(FFT_LENGTH)
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
      for (let n = 0; n < FRAME_LENGTH; n++) this.re[n] = this.signal[offset + n] * window[n]
      this.re.fill(0, FRAME_LENGTH) // the frame zero-padded to the FFT length
      this.im.fill(0)
      this.fft.forward(this.re, this.im)
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
