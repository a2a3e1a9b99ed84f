/**
 * Tables of Eigen's TensorFFT on std::complex<float> as TF 2.3/2.4 ran it on CPU (stimuli.md §1.6,
 * kws-float32-parity.md §2 steps 3 and 8), for the butterflies in assembly/fft.ts: the scramble permutation, the merge
 * twiddles by Eigen's own float32 recurrence, and the Bluestein chirp computed in double.
 */

const f32 = Math.fround

/** TensorFFT's twiddle literals, rounded to float where used: LUT1[p] = −2·sin²(π/2^p) (`m_sin_PI_div_n_LUT`). */
const MINUS_TWO_SIN_SQUARED_LUT = [
  0.0, -2, -0.999999999999999, -0.292893218813453, -0.076120467488713, -0.0192147195967696, -0.00481527332780311,
  -0.00120454379482761, -3.01181303795779e-4, -7.52981608554592e-5, -1.88247173988574e-5,
]
/** LUT2[p] = −sin(2π/2^p) (TensorFFT `m_minus_sin_2_PI_div_n_LUT`). */
const MINUS_SIN_LUT = [
  0.0, 0.0, -1.0, -7.07106781186547e-1, -3.8268343236509e-1, -1.95090322016128e-1, -9.80171403295606e-2,
  -4.9067674327418e-2, -2.45412285229123e-2, -1.22715382857199e-2, -6.13588464915448e-3,
]
/** Largest size the LUTs cover (2^10). */
const MAX_RADIX2_SIZE = 1 << (MINUS_SIN_LUT.length - 1)
/** butterfly_8 handles blocks of 8, so merges start at blocks of 16. */
const SMALLEST_MERGE_BLOCK = 16

/** Twiddles of one `butterfly_1D_merge` level (block size 2·half) in one direction, float32 values. */
export interface MergeLevel {
  /** w_j = wp_one^(4j) by the recurrence w ← w·wp_one⁴, one per group of 4 outputs (w_0 = 1). */
  readonly groupRe: Float32Array
  readonly groupIm: Float32Array
  /** 1, wp_one, wp_one², wp_one³ (float32 products, in that order): output 4j + q is multiplied by wp_one^q. */
  readonly laneRe: Float32Array
  readonly laneIm: Float32Array
}

function isMergeBlockSize(size: number): boolean {
  return Number.isInteger(size) && size >= SMALLEST_MERGE_BLOCK && size <= MAX_RADIX2_SIZE && (size & (size - 1)) === 0
}

/** The merge twiddles of block size `blockSize` (a power of two from 16 to 1024). */
export function mergeLevel(blockSize: number, inverse: boolean): MergeLevel {
  if (!isMergeBlockSize(blockSize)) {
    throw new RangeError(`mergeLevel: block size must be a power of two from 16 to ${MAX_RADIX2_SIZE}, got ${blockSize}`)
  }
  const p = Math.log2(blockSize)
  const half = blockSize / 2
  const w1Re = f32(f32(MINUS_TWO_SIN_SQUARED_LUT[p]) + 1)
  const w1Im = inverse ? -f32(MINUS_SIN_LUT[p]) : f32(MINUS_SIN_LUT[p])
  const w2Re = f32(f32(w1Re * w1Re) - f32(w1Im * w1Im))
  const w2Im = f32(f32(w1Re * w1Im) + f32(w1Im * w1Re))
  const w3Re = f32(f32(w2Re * w1Re) - f32(w2Im * w1Im))
  const w3Im = f32(f32(w2Re * w1Im) + f32(w2Im * w1Re))
  const w4Re = f32(f32(w3Re * w1Re) - f32(w3Im * w1Im))
  const w4Im = f32(f32(w3Re * w1Im) + f32(w3Im * w1Re))
  const groups = half / 4
  const groupRe = new Float32Array(groups)
  const groupIm = new Float32Array(groups)
  let wRe = 1
  let wIm = 0
  for (let j = 0; j < groups; j++) {
    groupRe[j] = wRe
    groupIm[j] = wIm
    const nextRe = f32(f32(wRe * w4Re) - f32(wIm * w4Im))
    wIm = f32(f32(wRe * w4Im) + f32(wIm * w4Re))
    wRe = nextRe
  }
  return {
    groupRe,
    groupIm,
    laneRe: Float32Array.of(1, w1Re, w2Re, w3Re),
    laneIm: Float32Array.of(0, w1Im, w2Im, w3Im),
  }
}

/** The merge levels of a radix-2 FFT of `size`: block sizes 16…size, forward and inverse twiddles of each. */
export function mergeLevels(size: number): {blockSize: number; forward: MergeLevel; inverse: MergeLevel}[] {
  const levels = []
  for (let blockSize = SMALLEST_MERGE_BLOCK; blockSize <= size; blockSize *= 2) {
    levels.push({blockSize, forward: mergeLevel(blockSize, false), inverse: mergeLevel(blockSize, true)})
  }
  return levels
}

/** Eigen `scramble_FFT` (1-based swap loop) as a gather: after it, slot i holds input[permutation[i]]. */
export function scramblePermutation(size: number): Int32Array {
  const permutation = Int32Array.from({length: size}, (_, i) => i)
  let j = 1
  for (let i = 1; i < size; i++) {
    if (j > i) {
      const swap = permutation[j - 1]
      permutation[j - 1] = permutation[i - 1]
      permutation[i - 1] = swap
    }
    let m = size >> 1
    while (m >= 2 && j > m) {
      j -= m
      m >>= 1
    }
    j += m
  }
  return permutation
}

/**
 * The chirp of Eigen's Bluestein FFT of size n (stimuli.md §1.6): t_j = complex<float>(cos, sin)(((π·j)·j)/n),
 * computed in double, for j = 0…n.
 */
export function bluesteinChirp(size: number): {re: Float32Array; im: Float32Array} {
  const re = new Float32Array(size + 1)
  const im = new Float32Array(size + 1)
  for (let j = 0; j <= size; j++) {
    const angle = (Math.PI * j * j) / size
    re[j] = Math.cos(angle)
    im[j] = Math.sin(angle)
  }
  return {re, im}
}
