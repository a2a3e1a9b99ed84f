/**
 * The float32 hot path of kws01's features (stimuli.md §1.3, kws-float32-parity.md §2 and §5) as WebAssembly: one
 * call turns the int16 clip at SAMPLES into the 49×10 MFCC or LFBE values at FEATURES, emulating TF 2.4's float32
 * Eigen arithmetic with native f32 (no FMA exists in WebAssembly without relaxed-simd).
 *
 * Everything that needs a transcendental function (windows, mel weights, the Bluestein chirp, the DCT's scale, ln 10,
 * the last two LFBE logs) is computed in TypeScript (src/audio/kws-features.ts) and written into the tables here, so
 * no libm with its own rounding is ever called.
 */
import {BLUESTEIN_IM, BLUESTEIN_RE, FFT_IM, FFT_RE, FRAME_FFT_SIZE, bluesteinRealFft, initialiseFft, realFft} from './fft'
import {gebpContraction} from './gebp'
import {hypot4, hypotf, plogArray} from './float32-math'

export {
  BLUESTEIN_IM,
  BLUESTEIN_RADIX2_SIZE,
  BLUESTEIN_RE,
  BLUESTEIN_SIZE,
  CHIRP_IM,
  CHIRP_RE,
  FFT_IM,
  FFT_RE,
  FRAME_FFT_SIZE,
  TWIDDLE_LEVEL_FLOATS,
  bluesteinRealFft,
  complexFft,
  realFft,
  scramble,
  twiddleLevel,
} from './fft'
export {ORDER_EVEN_ODD, ORDER_LANES_8, ORDER_SEQUENTIAL} from './gebp'
export {hypotf, plogArray} from './float32-math'

/** desired_samples (stimuli.md §1.3). */
export const CLIP_SAMPLES: i32 = 16000
/** window_size_ms 30 (stimuli.md §1.3). */
export const FRAME_LENGTH: i32 = 480
/** window_stride_ms 20 (stimuli.md §1.3). */
export const FRAME_STEP: i32 = 320
/** FFT_LENGTH/2 + 1 (stimuli.md §1.3(a)). */
export const SPECTROGRAM_BINS: i32 = 257
/** The Nyquist bin, the one the f32x4 loops over bins 0..255 leave. */
const LAST_BIN: i32 = SPECTROGRAM_BINS - 1
/** 1 + floor((16000 − 480)/320) (stimuli.md §1.3). */
export const NUM_FRAMES: i32 = 49
/** dct_coefficient_count; also the LFBE band count (stimuli.md §1.3). */
export const NUM_COEFFICIENTS: i32 = 10
/** 490 values per clip (stimuli.md §1.4). */
export const FEATURES_PER_CLIP: i32 = NUM_FRAMES * NUM_COEFFICIENTS
/** MFCC mel bands (stimuli.md §1.3(a)). */
export const MFCC_MEL_BINS: i32 = 40
/** LFBE mel bands (stimuli.md §1.3(b)). */
export const LFBE_MEL_BINS: i32 = NUM_COEFFICIENTS
/**
 * Eigen's vectorised plog covers the first 488 of the 490 LFBE logs (61 packets of 8); the last 2 are scalar logf
 * (kws-float32-parity.md §5), which TypeScript computes between `lfbeLogs` and `lfbeFinish`.
 */
export const LFBE_PACKET_LOGS: i32 = (FEATURES_PER_CLIP / 8) * 8
/** Capacity of each GEBP program in i32 words (the MFCC program takes 778, the LFBE one 1,858). */
export const GEBP_PROGRAM_WORDS: i32 = 4096

/** log(mel + 1e-6), epsilon as float32 (stimuli.md §1.3(a)). */
const MFCC_LOG_OFFSET: f32 = <f32>1e-6
/** y[n] = x[n] − (1 − 2⁻⁵)·x[n−1] (stimuli.md §1.3(b)). */
const PRE_EMPHASIS: f32 = 1 - 1.0 / 32
/** pow = f32(1/480)·|X|² (stimuli.md §1.3(b)). */
const LFBE_POWER_SCALE: f32 = <f32>(1.0 / 480)
/** Floor of the LFBE power before the log (stimuli.md §1.3(b)). */
const LFBE_POWER_FLOOR: f32 = <f32>1e-30
/** 10·log10(mel), then (((l + 52) − 32) + 32) / 64 clipped to [0, 1] (stimuli.md §1.3(b)). */
const LFBE_DECIBELS: f32 = 10
const LFBE_DB_SHIFT: f32 = 52
const LFBE_DB_CENTRE: f32 = 32
const LFBE_DB_RANGE: f32 = 64

// Input, output and tables, written by TypeScript.
export const SAMPLES: usize = memory.data(CLIP_SAMPLES * 2, 16)
export const FEATURES: usize = memory.data(FEATURES_PER_CLIP * 4, 16)
/** Periodic Hann for mfcc, symmetric Hamming for lfbe (stimuli.md §1.3(a), (b)). */
export const HANN_WINDOW: usize = memory.data(FRAME_LENGTH * 4, 16)
export const HAMMING_WINDOW: usize = memory.data(FRAME_LENGTH * 4, 16)
export const MFCC_GEBP_PROGRAM: usize = memory.data(GEBP_PROGRAM_WORDS * 4, 16)
export const LFBE_GEBP_PROGRAM: usize = memory.data(GEBP_PROGRAM_WORDS * 4, 16)
/** 2·exp(−iπk/80) from the float32 angle ((−k)·f32(π))·0.5/40 (kws-float32-parity.md §2 step 8). */
export const DCT_SCALE_RE: usize = memory.data(NUM_COEFFICIENTS * 4, 16)
export const DCT_SCALE_IM: usize = memory.data(NUM_COEFFICIENTS * 4, 16)
/** rsqrt(2·40) (stimuli.md §1.3(a)) and ln 10 as scalar logf (kws-float32-parity.md §5), set by `initialise`. */
let dctNorm: f32 = 0
let lfbeLn10: f32 = 0

// Working buffers; SPECTROGRAM, MEL_ENERGIES and LFBE_LOGS are also entry points of the tests and of lfbe's logf.
const SIGNAL: usize = memory.data(CLIP_SAMPLES * 4, 16)
/** One windowed frame, with room for the 512 floats `realFft` reads. */
const FRAME: usize = memory.data(FRAME_FFT_SIZE * 4, 16)
export const SPECTROGRAM: usize = memory.data(NUM_FRAMES * SPECTROGRAM_BINS * 4, 16)
export const MEL_ENERGIES: usize = memory.data(NUM_FRAMES * MFCC_MEL_BINS * 4, 16)
export const LFBE_LOGS: usize = memory.data(FEATURES_PER_CLIP * 4, 16)
const LOG_MEL: usize = memory.data(MFCC_MEL_BINS * 4, 16)

// @ts-ignore: decorator
@inline function at(array: usize, index: i32): usize {
  return array + (<usize>index << 2)
}

/** Takes the scalars and computes what depends on the tables only; call once after writing them. */
export function initialise(dctNormValue: f32, ln10: f32): void {
  dctNorm = dctNormValue
  lfbeLn10 = ln10
  initialiseFft()
}

/**
 * x = f32(sample) / reduce_max(x) in float32 (stimuli.md §1.3 step 2): the signed maximum, not max|x|. A maximum of
 * 0 divides by 0 as TF does (±∞ and NaN); a negative maximum flips the sign.
 */
function normalise(): void {
  let maximum = i16x8.splat(i16.MIN_VALUE)
  for (let i = 0; i < CLIP_SAMPLES; i += 8) maximum = i16x8.max_s(maximum, v128.load(SAMPLES + (<usize>i << 1)))
  // Fold the eight lanes: halves, quarters, eighths.
  maximum = i16x8.max_s(maximum, v128.shuffle<i16>(maximum, maximum, 4, 5, 6, 7, 0, 1, 2, 3))
  maximum = i16x8.max_s(maximum, v128.shuffle<i16>(maximum, maximum, 2, 3, 0, 1, 2, 3, 0, 1))
  maximum = i16x8.max_s(maximum, v128.shuffle<i16>(maximum, maximum, 1, 0, 1, 0, 1, 0, 1, 0))
  const divisor = f32x4.splat(<f32>i16x8.extract_lane_s(maximum, 0))
  for (let i = 0; i < CLIP_SAMPLES; i += 8) {
    const samples = v128.load(SAMPLES + (<usize>i << 1))
    v128.store(at(SIGNAL, i), f32x4.div(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(samples)), divisor))
    v128.store(at(SIGNAL, i + 4), f32x4.div(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(samples)), divisor))
  }
}

/** Frame `frame` of SIGNAL times the window → its spectrum in FFT_RE/FFT_IM (bins 0..256 are the rfft). */
function frameSpectrum(frame: i32, window: usize): void {
  const source = at(SIGNAL, frame * FRAME_STEP)
  for (let n = 0; n < FRAME_LENGTH; n += 4) {
    v128.store(at(FRAME, n), f32x4.mul(v128.load(at(source, n)), v128.load(at(window, n))))
  }
  realFft(FRAME, FRAME_LENGTH)
}

/** |X| of the rfft bins 0..256 in FFT_RE/FFT_IM into spectrogram row `frame`. */
function magnitudes(frame: i32): void {
  const row = at(SPECTROGRAM, frame * SPECTROGRAM_BINS)
  for (let bin = 0; bin < LAST_BIN; bin += 4) {
    v128.store(at(row, bin), hypot4(v128.load(at(FFT_RE, bin)), v128.load(at(FFT_IM, bin))))
  }
  store<f32>(at(row, LAST_BIN), hypotf(load<f32>(at(FFT_RE, LAST_BIN)), load<f32>(at(FFT_IM, LAST_BIN))))
}

/** MFCC as TF computed it for kws01 (kws-float32-parity.md §2), float32 throughout, into FEATURES. */
export function mfcc(): void {
  normalise()
  for (let frame = 0; frame < NUM_FRAMES; frame++) {
    frameSpectrum(frame, HANN_WINDOW)
    magnitudes(frame)
  }
  melContraction(true)
  for (let frame = 0; frame < NUM_FRAMES; frame++) {
    const energies = at(MEL_ENERGIES, frame * MFCC_MEL_BINS)
    for (let band = 0; band < MFCC_MEL_BINS; band++) {
      store<f32>(at(LOG_MEL, band), load<f32>(at(energies, band)) + MFCC_LOG_OFFSET)
    }
    plogArray(LOG_MEL, LOG_MEL, MFCC_MEL_BINS)
    // DCT-II = Re(rfft(logMel, 80)[k] · 2·exp(−iπk/80)) · rsqrt(80); only k < 10 is kept.
    bluesteinRealFft(LOG_MEL, MFCC_MEL_BINS, NUM_COEFFICIENTS)
    for (let k = 0; k < NUM_COEFFICIENTS; k++) {
      const real =
        load<f32>(at(BLUESTEIN_RE, k)) * load<f32>(at(DCT_SCALE_RE, k)) -
        load<f32>(at(BLUESTEIN_IM, k)) * load<f32>(at(DCT_SCALE_IM, k))
      store<f32>(at(FEATURES, frame * NUM_COEFFICIENTS + k), real * dctNorm)
    }
  }
}

/**
 * LFBE of kws01-open as TF computed it (kws-float32-parity.md §5) up to the logs: LFBE_LOGS[0..488) holds Eigen's
 * plog of the mel energies; TypeScript puts the scalar logf of MEL_ENERGIES[488..490) into LFBE_LOGS[488..490), then
 * calls `lfbeFinish`.
 */
export function lfbeLogs(): void {
  normalise()
  // Pre-emphasis in place, from the end so x[n−1] is still the original (y[0] = x[0]).
  const preEmphasis = f32x4.splat(PRE_EMPHASIS)
  for (let n = CLIP_SAMPLES - 4; n > 0; n -= 4) {
    const previous = v128.load(at(SIGNAL, n - 1))
    v128.store(at(SIGNAL, n), f32x4.sub(v128.load(at(SIGNAL, n)), f32x4.mul(preEmphasis, previous)))
  }
  for (let n = 3; n > 0; n--) {
    store<f32>(at(SIGNAL, n), load<f32>(at(SIGNAL, n)) - PRE_EMPHASIS * load<f32>(at(SIGNAL, n - 1)))
  }
  // pow = f32(1/480)·|X|², its maximum over the clip, then every value clipped to [1e-30, maximum].
  const powerScale = f32x4.splat(LFBE_POWER_SCALE)
  let maxPower4 = f32x4.splat(-Infinity)
  for (let frame = 0; frame < NUM_FRAMES; frame++) {
    frameSpectrum(frame, HAMMING_WINDOW)
    magnitudes(frame)
    const row = at(SPECTROGRAM, frame * SPECTROGRAM_BINS)
    for (let bin = 0; bin < LAST_BIN; bin += 4) {
      const magnitude = v128.load(at(row, bin))
      const power = f32x4.mul(powerScale, f32x4.mul(magnitude, magnitude))
      v128.store(at(row, bin), power)
      maxPower4 = f32x4.max(maxPower4, power)
    }
    const magnitude = load<f32>(at(row, LAST_BIN))
    const power = LFBE_POWER_SCALE * (magnitude * magnitude)
    store<f32>(at(row, LAST_BIN), power)
    maxPower4 = f32x4.max(maxPower4, f32x4.splat(power))
  }
  maxPower4 = f32x4.max(maxPower4, i32x4.shuffle(maxPower4, maxPower4, 2, 3, 0, 1))
  maxPower4 = f32x4.max(maxPower4, i32x4.shuffle(maxPower4, maxPower4, 1, 0, 3, 2))
  const floor4 = f32x4.splat(LFBE_POWER_FLOOR)
  const values = NUM_FRAMES * SPECTROGRAM_BINS
  const whole = values & ~3
  for (let i = 0; i < whole; i += 4) {
    v128.store(at(SPECTROGRAM, i), f32x4.min(f32x4.max(v128.load(at(SPECTROGRAM, i)), floor4), maxPower4))
  }
  const maxPower = f32x4.extract_lane(maxPower4, 0)
  for (let i = whole; i < values; i++) {
    store<f32>(at(SPECTROGRAM, i), min(max(load<f32>(at(SPECTROGRAM, i)), LFBE_POWER_FLOOR), maxPower))
  }
  melContraction(false)
  plogArray(MEL_ENERGIES, LFBE_LOGS, LFBE_PACKET_LOGS)
}

/** The LFBE tail from LFBE_LOGS into FEATURES (stimuli.md §1.3(b)). */
export function lfbeFinish(): void {
  for (let i = 0; i < FEATURES_PER_CLIP; i++) {
    // 10·log10 as TF's log(x)/log(10), a real float32 division (kws-float32-parity.md §4).
    const decibels = LFBE_DECIBELS * (load<f32>(at(LFBE_LOGS, i)) / lfbeLn10)
    // (((l + 52) − 32) + 32) / 64, left to right in float32.
    const shifted = (decibels + LFBE_DB_SHIFT - LFBE_DB_CENTRE + LFBE_DB_CENTRE) / LFBE_DB_RANGE
    store<f32>(at(FEATURES, i), min(max(shifted, 0), 1))
  }
}

/** The GEBP contraction of SPECTROGRAM by the MFCC (40 columns) or LFBE (10 columns) weights into MEL_ENERGIES. */
export function melContraction(mfccWeights: bool): void {
  if (mfccWeights) {
    gebpContraction(MFCC_GEBP_PROGRAM, SPECTROGRAM, NUM_FRAMES, SPECTROGRAM_BINS, MFCC_MEL_BINS, MEL_ENERGIES)
  } else {
    gebpContraction(LFBE_GEBP_PROGRAM, SPECTROGRAM, NUM_FRAMES, SPECTROGRAM_BINS, LFBE_MEL_BINS, MEL_ENERGIES)
  }
}
