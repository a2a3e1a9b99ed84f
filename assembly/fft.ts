/**
 * Eigen's TensorFFT on std::complex<float> as TF 2.3/2.4 ran it on CPU (stimuli.md §1.6, kws-float32-parity.md §2
 * steps 3 and 8): radix-2 for 256 and 512, Bluestein for the DCT's 80. WebAssembly f32 arithmetic is IEEE single
 * precision with no FMA, so every + − × ÷ here rounds exactly as Eigen's did. A complex product is (ac − bd, ad + bc)
 * with both products rounded first. Where an operand is known to be exactly 0 or 1 (real or zero-padded input, the
 * first twiddle w_0 = 1) the product is not formed; for finite inputs that changes at most the sign of a zero, which
 * no later step can see (they add, multiply, square and take logs).
 *
 * The tables (scramble permutations, merge twiddles, Bluestein chirp) are built by src/audio/eigen-fft.ts and
 * written into the static buffers below before `initialiseFft` runs.
 */

/** rfft(512) of the zero-padded 480-sample frames (stimuli.md §1.3(a)). */
export const FRAME_FFT_SIZE: i32 = 512
/** The DCT of 40 log-mels is an rfft of 2·40, not a power of two, so Bluestein (stimuli.md §1.3(a), §1.6). */
export const BLUESTEIN_SIZE: i32 = 80
/** Bluestein's radix-2 size: the smallest power of two ≥ 2·80 − 1 (stimuli.md §1.6). */
export const BLUESTEIN_RADIX2_SIZE: i32 = 256

/** butterfly_8 handles blocks of 8, so the merges start at blocks of 16 = 2^4. */
const FIRST_MERGE_LOG2: i32 = 4
/** Merge levels of block sizes 16 … 512. */
const MERGE_LEVELS: i32 = 6
/** Floats of one level's table: lane factors (re ×4, im ×4), then at most 512/8 group twiddles re, then im. */
export const TWIDDLE_LEVEL_FLOATS: i32 = 8 + 2 * (FRAME_FFT_SIZE / 8)
/** SQRT2DIV2 of butterfly_8, rounded to float (stimuli.md §1.6). */
const SQRT_HALF: f32 = <f32>0.7071067811865476
/** Lane masks for `v128.bitselect`. */
const LANE_0 = i32x4(-1, 0, 0, 0)
const LANE_3 = i32x4(0, 0, 0, -1)
const LANES_1_3 = i32x4(0, -1, 0, -1)

/**
 * Merge twiddles of each level (block size 2^p, p = 4…9) and direction, TWIDDLE_LEVEL_FLOATS floats each:
 * [1, wp_one, wp_one², wp_one³] re, the same im, then w_j = wp_one^(4j) re for j < 2^p/8, then im.
 */
const TWIDDLES: usize = memory.data(2 * MERGE_LEVELS * TWIDDLE_LEVEL_FLOATS * 4, 16)
/** Eigen's scramble_FFT as a gather (slot i holds element SCRAMBLE[i]); it is the bit reversal, its own inverse. */
const SCRAMBLE_512: usize = memory.data(FRAME_FFT_SIZE * 4, 16)
const SCRAMBLE_256: usize = memory.data(BLUESTEIN_RADIX2_SIZE * 4, 16)
/** Bluestein chirp t_j = (cos, sin)(((π·j)·j)/80) in double rounded to float, j ≤ 80. */
export const CHIRP_RE: usize = memory.data((BLUESTEIN_SIZE + 1) * 4, 16)
export const CHIRP_IM: usize = memory.data((BLUESTEIN_SIZE + 1) * 4, 16)
/** Data of the transforms: FFT_RE/FFT_IM hold a radix-2 spectrum, BLUESTEIN_RE/IM the Bluestein outputs. */
export const FFT_RE: usize = memory.data(FRAME_FFT_SIZE * 4, 16)
export const FFT_IM: usize = memory.data(FRAME_FFT_SIZE * 4, 16)
export const BLUESTEIN_RE: usize = memory.data(BLUESTEIN_SIZE * 4, 16)
export const BLUESTEIN_IM: usize = memory.data(BLUESTEIN_SIZE * 4, 16)

/** The radix-2 FFT of the chirp sequence b (b_j = t_j, b_{m−j} = t_j), the same for every transform. */
const CHIRP_SPECTRUM_RE: usize = memory.data(BLUESTEIN_RADIX2_SIZE * 4, 16)
const CHIRP_SPECTRUM_IM: usize = memory.data(BLUESTEIN_RADIX2_SIZE * 4, 16)
const WORK_RE: usize = memory.data(BLUESTEIN_RADIX2_SIZE * 4, 16)
const WORK_IM: usize = memory.data(BLUESTEIN_RADIX2_SIZE * 4, 16)
const PRODUCT_RE: usize = memory.data(BLUESTEIN_RADIX2_SIZE * 4, 16)
const PRODUCT_IM: usize = memory.data(BLUESTEIN_RADIX2_SIZE * 4, 16)

/** Address of element `index` of a float or int array. */
// @ts-ignore: decorator
@inline function at(array: usize, index: i32): usize {
  return array + (<usize>index << 2)
}

/** The table of the merge level of block size 2^log2BlockSize in one direction (layout at TWIDDLES). */
export function twiddleLevel(log2BlockSize: i32, inverse: bool): usize {
  return at(TWIDDLES, ((inverse ? MERGE_LEVELS : 0) + log2BlockSize - FIRST_MERGE_LOG2) * TWIDDLE_LEVEL_FLOATS)
}

/** The scramble table of a radix-2 size, 512 or 256. */
export function scramble(size: i32): usize {
  return size == FRAME_FFT_SIZE ? SCRAMBLE_512 : SCRAMBLE_256
}

/**
 * Eigen `butterfly_8` in place on the 8 elements at re/im; `sign` is −1 forward, +1 inverse. Each of its three
 * stages is four independent complex operations, one per f32x4 lane, after a shuffle that lines their operands up;
 * the products by the constant factors are formed in every lane and kept where the scalar code multiplies.
 */
function butterfly8(re: usize, im: usize, sign: f32): void {
  const re0 = v128.load(re), re1 = v128.load(re, 16), im0 = v128.load(im), im1 = v128.load(im, 16)
  // a = d_2p ± d_2p+1: [a0, a2, a4, a6] and [a1, d2 − d3, a5, d6 − d7].
  const evenRe = i32x4.shuffle(re0, re1, 0, 2, 4, 6), oddRe = i32x4.shuffle(re0, re1, 1, 3, 5, 7)
  const evenIm = i32x4.shuffle(im0, im1, 0, 2, 4, 6), oddIm = i32x4.shuffle(im0, im1, 1, 3, 5, 7)
  const sumRe = f32x4.add(evenRe, oddRe), sumIm = f32x4.add(evenIm, oddIm)
  const differenceRe = f32x4.sub(evenRe, oddRe), differenceIm = f32x4.sub(evenIm, oddIm)
  // a3 = (d2 − d3)·(0, sign), a7 = (d6 − d7)·(0, sign): [a1, a3, a5, a7].
  const zero = f32x4.splat(0)
  const signs = f32x4.splat(sign)
  const aRe = v128.bitselect(f32x4.sub(f32x4.mul(differenceRe, zero), f32x4.mul(differenceIm, signs)), differenceRe, LANES_1_3)
  const aIm = v128.bitselect(f32x4.add(f32x4.mul(differenceRe, signs), f32x4.mul(differenceIm, zero)), differenceIm, LANES_1_3)
  // [a0, a4, a1, a5] ± [a2, a6, a3, a7] = [b0, b4, b1, a5 + a7] and [b2, a4 − a6, b3, a5 − a7].
  const leftRe = i32x4.shuffle(sumRe, aRe, 0, 2, 4, 6), rightRe = i32x4.shuffle(sumRe, aRe, 1, 3, 5, 7)
  const leftIm = i32x4.shuffle(sumIm, aIm, 0, 2, 4, 6), rightIm = i32x4.shuffle(sumIm, aIm, 1, 3, 5, 7)
  const plusRe = f32x4.add(leftRe, rightRe), plusIm = f32x4.add(leftIm, rightIm)
  const minusRe = f32x4.sub(leftRe, rightRe), minusIm = f32x4.sub(leftIm, rightIm)
  // b5 = (a5 + a7)·(√½, sign·√½) in lane 3 of plus.
  const signedSqrtHalf = sign * SQRT_HALF
  const sqrtHalf = f32x4.splat(SQRT_HALF)
  const signedSqrtHalves = f32x4.splat(signedSqrtHalf)
  const bPlusRe = v128.bitselect(f32x4.sub(f32x4.mul(plusRe, sqrtHalf), f32x4.mul(plusIm, signedSqrtHalves)), plusRe, LANE_3)
  const bPlusIm = v128.bitselect(f32x4.add(f32x4.mul(plusRe, signedSqrtHalves), f32x4.mul(plusIm, sqrtHalf)), plusIm, LANE_3)
  // b6 = (a4 − a6)·(0, sign) in lane 1, b7 = (a5 − a7)·(−√½, sign·√½) in lane 3 of minus.
  const factorRe = f32x4(0, 0, 0, -SQRT_HALF)
  const factorIm = f32x4.replace_lane(signs, 3, signedSqrtHalf)
  const bMinusRe = v128.bitselect(f32x4.sub(f32x4.mul(minusRe, factorRe), f32x4.mul(minusIm, factorIm)), minusRe, LANES_1_3)
  const bMinusIm = v128.bitselect(f32x4.add(f32x4.mul(minusRe, factorIm), f32x4.mul(minusIm, factorRe)), minusIm, LANES_1_3)
  // out[q] = b_q + b_q+4, out[q + 4] = b_q − b_q+4 for [b0, b1, b2, b3] and [b4, b5, b6, b7].
  const lowRe = i32x4.shuffle(bPlusRe, bMinusRe, 0, 2, 4, 6), highRe = i32x4.shuffle(bPlusRe, bMinusRe, 1, 3, 5, 7)
  const lowIm = i32x4.shuffle(bPlusIm, bMinusIm, 0, 2, 4, 6), highIm = i32x4.shuffle(bPlusIm, bMinusIm, 1, 3, 5, 7)
  v128.store(re, f32x4.add(lowRe, highRe))
  v128.store(re, f32x4.sub(lowRe, highRe), 16)
  v128.store(im, f32x4.add(lowIm, highIm))
  v128.store(im, f32x4.sub(lowIm, highIm), 16)
}

/**
 * butterfly8 (forward) for real data: the 8 values at re in, imaginary parts taken as 0 and not read. The products with the
 * (0, −1) factors and every term with a zero operand drop out exactly.
 */
function butterfly8Real(re: usize, im: usize): void {
  const d0 = load<f32>(re), d1 = load<f32>(re, 4), d2 = load<f32>(re, 8), d3 = load<f32>(re, 12)
  const d4 = load<f32>(re, 16), d5 = load<f32>(re, 20), d6 = load<f32>(re, 24), d7 = load<f32>(re, 28)
  const a0 = d0 + d1
  const a1 = d0 - d1
  const a2 = d2 + d3
  const a3i = -(d2 - d3)
  const a4 = d4 + d5
  const a5 = d4 - d5
  const a6 = d6 + d7
  const a7i = -(d6 - d7)
  const b0 = a0 + a2
  const b2 = a0 - a2
  const b4 = a4 + a6
  // (a5, a7i)·(√½, −√½) and (a5, −a7i)·(−√½, −√½)
  const b5r = a5 * SQRT_HALF - a7i * -SQRT_HALF
  const b5i = a5 * -SQRT_HALF + a7i * SQRT_HALF
  const b6i = -(a4 - a6)
  const b7r = a5 * -SQRT_HALF - -a7i * -SQRT_HALF
  const b7i = a5 * -SQRT_HALF + -a7i * -SQRT_HALF
  store<f32>(re, b0 + b4), store<f32>(im, 0)
  store<f32>(re, a1 + b5r, 4), store<f32>(im, a3i + b5i, 4)
  store<f32>(re, b2, 8), store<f32>(im, b6i, 8)
  store<f32>(re, a1 + b7r, 12), store<f32>(im, -a3i + b7i, 12)
  store<f32>(re, b0 - b4, 16), store<f32>(im, 0, 16)
  store<f32>(re, a1 - b5r, 20), store<f32>(im, a3i - b5i, 20)
  store<f32>(re, b2, 24), store<f32>(im, -b6i, 24)
  store<f32>(re, a1 - b7r, 28), store<f32>(im, -a3i - b7i, 28)
}

/**
 * butterfly8 when only d0 and d4 can be non-zero (see `quarterInput`): every partial sum with a zero operand is d0
 * or d4 itself, leaving d0 ± (d4, d4·(√½, sign·√½), d4·(0, sign), d4·(−√½, sign·√½)).
 */
function butterfly8QuarterInput(re: usize, im: usize, sign: f32): void {
  const d0r = load<f32>(re), d0i = load<f32>(im), d4r = load<f32>(re, 16), d4i = load<f32>(im, 16)
  const signedSqrtHalf = sign * SQRT_HALF
  const b5r = d4r * SQRT_HALF - d4i * signedSqrtHalf
  const b5i = d4r * signedSqrtHalf + d4i * SQRT_HALF
  const b6r = -sign * d4i
  const b6i = sign * d4r
  const b7r = d4r * -SQRT_HALF - d4i * signedSqrtHalf
  const b7i = d4r * signedSqrtHalf + d4i * -SQRT_HALF
  store<f32>(re, d0r + d4r), store<f32>(im, d0i + d4i)
  store<f32>(re, d0r + b5r, 4), store<f32>(im, d0i + b5i, 4)
  store<f32>(re, d0r + b6r, 8), store<f32>(im, d0i + b6i, 8)
  store<f32>(re, d0r + b7r, 12), store<f32>(im, d0i + b7i, 12)
  store<f32>(re, d0r - d4r, 16), store<f32>(im, d0i - d4i, 16)
  store<f32>(re, d0r - b5r, 20), store<f32>(im, d0i - b5i, 20)
  store<f32>(re, d0r - b6r, 24), store<f32>(im, d0i - b6i, 24)
  store<f32>(re, d0r - b7r, 28), store<f32>(im, d0i - b7i, 28)
}

/**
 * Four outputs of Eigen `butterfly_1D_merge`, one lane each: t = (hi·w_j)·wp_one^q for output 4j + q (lane 0 is
 * not multiplied, as in Eigen), then lo + t and, with `withHigh`, lo − t. Every lane does the scalar operations in the
 * scalar order, so f32x4 changes nothing in the values. `tr`/`ti` hold hi·w_j already; lo and hi are byte offsets.
 */
// @ts-ignore: decorator
@inline function mergeFour(re: usize, im: usize, lo: usize, hi: usize, tr: v128, ti: v128, laneRe: v128, laneIm: v128, withHigh: bool): void {
  const multipliedRe = f32x4.sub(f32x4.mul(tr, laneRe), f32x4.mul(ti, laneIm))
  const multipliedIm = f32x4.add(f32x4.mul(tr, laneIm), f32x4.mul(ti, laneRe))
  const outRe = v128.bitselect(tr, multipliedRe, LANE_0)
  const outIm = v128.bitselect(ti, multipliedIm, LANE_0)
  const lowRe = v128.load(re + lo)
  const lowIm = v128.load(im + lo)
  v128.store(re + lo, f32x4.add(lowRe, outRe))
  v128.store(im + lo, f32x4.add(lowIm, outIm))
  if (withHigh) {
    v128.store(re + hi, f32x4.sub(lowRe, outRe))
    v128.store(im + hi, f32x4.sub(lowIm, outIm))
  }
}

/**
 * mergeFour for the outputs at byte offset i of the block's halves: hi·w_j first, with w_j = w_{i/16} from the
 * level's group tables (`groupRe`, `groupIm`: float j at byte offset 4j = i/4), as (ac − bd, ad + bc).
 */
// @ts-ignore: decorator
@inline function mergeFourTwiddled(re: usize, im: usize, lo: usize, hi: usize, i: usize, groupRe: usize, groupIm: usize, laneRe: v128, laneIm: v128, withHigh: bool): void {
  const hr = v128.load(re + hi)
  const hm = v128.load(im + hi)
  const wr = v128.load32_splat(groupRe + (i >> 2))
  const wi = v128.load32_splat(groupIm + (i >> 2))
  const tr = f32x4.sub(f32x4.mul(hr, wr), f32x4.mul(hm, wi))
  const ti = f32x4.add(f32x4.mul(hr, wi), f32x4.mul(hm, wr))
  mergeFour(re, im, lo, hi, tr, ti, laneRe, laneIm, withHigh)
}

/**
 * Eigen `butterfly_1D_merge` on one block of 2·half elements at byte offset `block`; w_0 = 1 is not multiplied.
 * The high outputs lo − t are formed for i < highCount only (rounded up to whole groups of 4), the ones the caller needs.
 */
function merge(re: usize, im: usize, block: usize, half: i32, level: usize, highCount: i32): void {
  const halfBytes = <usize>half << 2
  const highBytes = <usize>highCount << 2
  const laneRe = v128.load(level)
  const laneIm = v128.load(level, 16)
  const groupRe = level + 32
  const groupIm = groupRe + (halfBytes >> 2)
  const hi = block + halfBytes
  mergeFour(re, im, block, hi, v128.load(re + hi), v128.load(im + hi), laneRe, laneIm, true)
  for (let i: usize = 16; i < halfBytes; i += 16) {
    mergeFourTwiddled(re, im, block + i, hi + i, i, groupRe, groupIm, laneRe, laneIm, i < highBytes)
  }
}

/**
 * Only out[i] = lo[i] + t[i] for i < count (≤ half) of `merge`, in whole groups of 4, and with the product by
 * w_0 = 1 formed: the extra lanes write lo slots that no later level reads (each level reads only the first `count`
 * slots of every block); hi is left as it was.
 */
function mergePrefix(re: usize, im: usize, block: usize, half: i32, level: usize, count: i32): void {
  const halfBytes = <usize>half << 2
  const laneRe = v128.load(level)
  const laneIm = v128.load(level, 16)
  const groupRe = level + 32
  const groupIm = groupRe + (halfBytes >> 2)
  const hi = block + halfBytes
  const countBytes = <usize>count << 2
  for (let i: usize = 0; i < countBytes; i += 16) {
    mergeFourTwiddled(re, im, block + i, hi + i, i, groupRe, groupIm, laneRe, laneIm, false)
  }
}

/**
 * The merge levels of a size-`size` transform. Every block of a level only has to deliver the outputs
 * min(outputCount, blockSize) the next level reads: lo + t for the first half of them, lo − t for the rest.
 */
function merges(re: usize, im: usize, size: i32, inverse: bool, outputCount: i32): void {
  for (let log2BlockSize = FIRST_MERGE_LOG2; 1 << log2BlockSize <= size; log2BlockSize++) {
    const blockSize = 1 << log2BlockSize
    const half = blockSize >> 1
    const level = twiddleLevel(log2BlockSize, inverse)
    const needed = min(outputCount, blockSize)
    for (let base = 0; base < size; base += blockSize) {
      if (needed > half) merge(re, im, <usize>base << 2, half, level, needed - half)
      else mergePrefix(re, im, <usize>base << 2, half, level, needed)
    }
  }
}

/**
 * The butterflies on data already in scrambled order. The inverse is not divided by the size. With `outputCount` <
 * size only the first outputCount outputs are meaningful. `quarterInput` declares that only elements below size/4
 * are non-zero: their bit reversal puts them in slots 8g and 8g + 4 only, and the first butterflies shrink.
 */
function butterflies(re: usize, im: usize, size: i32, inverse: bool, outputCount: i32, quarterInput: bool): void {
  const sign: f32 = inverse ? 1 : -1
  for (let base = 0; base < size; base += 8) {
    if (quarterInput) butterfly8QuarterInput(at(re, base), at(im, base), sign)
    else butterfly8(at(re, base), at(im, base), sign)
  }
  merges(re, im, size, inverse, outputCount)
}

/**
 * Forward rfft(512) of input[0..length) (then zeros) into FFT_RE/FFT_IM[0..257), the outputs TF keeps; the others
 * are not all formed. The input must have room for 512 floats: the zero-padded slots read it but take 0.
 */
export function realFft(input: usize, length: i32): void {
  for (let slot = 0; slot < FRAME_FFT_SIZE; slot++) {
    const element = load<i32>(at(SCRAMBLE_512, slot))
    store<f32>(at(FFT_RE, slot), select<f32>(load<f32>(at(input, element)), 0, element < length))
  }
  for (let base = 0; base < FRAME_FFT_SIZE; base += 8) butterfly8Real(at(FFT_RE, base), at(FFT_IM, base))
  merges(FFT_RE, FFT_IM, FRAME_FFT_SIZE, false, FRAME_FFT_SIZE / 2 + 1)
}

/** Complex transform of size 256 or 512 of (inputRe, inputIm) into FFT_RE/FFT_IM (the first outputCount outputs). */
export function complexFft(inputRe: usize, inputIm: usize, size: i32, inverse: bool, outputCount: i32): void {
  const permutation = scramble(size)
  for (let slot = 0; slot < size; slot++) {
    const element = load<i32>(at(permutation, slot))
    store<f32>(at(FFT_RE, slot), load<f32>(at(inputRe, element)))
    store<f32>(at(FFT_IM, slot), load<f32>(at(inputIm, element)))
  }
  butterflies(FFT_RE, FFT_IM, size, inverse, outputCount, false)
}

/** Computes the chirp spectrum once the tables are written. */
export function initialiseFft(): void {
  const m = BLUESTEIN_RADIX2_SIZE
  memory.fill(WORK_RE, 0, <usize>m << 2)
  memory.fill(WORK_IM, 0, <usize>m << 2)
  for (let j = 0; j < BLUESTEIN_SIZE; j++) {
    store<f32>(at(WORK_RE, j), load<f32>(at(CHIRP_RE, j)))
    store<f32>(at(WORK_IM, j), load<f32>(at(CHIRP_IM, j)))
  }
  for (let j = m - BLUESTEIN_SIZE; j < m; j++) {
    store<f32>(at(WORK_RE, j), load<f32>(at(CHIRP_RE, m - j)))
    store<f32>(at(WORK_IM, j), load<f32>(at(CHIRP_IM, m - j)))
  }
  complexFft(WORK_RE, WORK_IM, m, false, m)
  memory.copy(CHIRP_SPECTRUM_RE, FFT_RE, <usize>m << 2)
  memory.copy(CHIRP_SPECTRUM_IM, FFT_IM, <usize>m << 2)
}

/**
 * Eigen's forward Bluestein FFT of size 80 (stimuli.md §1.6) of the real input[0..inputLength), zero-padded:
 * x_j·conj(t_j), convolution with the chirp by radix-2 FFTs of 256, each element divided by 256, times conj(t_k).
 * Writes outputs 0..outputCount−1 into BLUESTEIN_RE/BLUESTEIN_IM.
 */
export function bluesteinRealFft(input: usize, inputLength: i32, outputCount: i32): void {
  const m = BLUESTEIN_RADIX2_SIZE
  memory.fill(WORK_RE, 0, <usize>m << 2)
  memory.fill(WORK_IM, 0, <usize>m << 2)
  // x_j·conj(t_j) with x_j = (input[j], 0), written straight into its scrambled slot.
  const xi: f32 = 0
  for (let j = 0; j < inputLength; j++) {
    const xr = load<f32>(at(input, j))
    const cr = load<f32>(at(CHIRP_RE, j))
    const ci = -load<f32>(at(CHIRP_IM, j))
    const slot = load<i32>(at(SCRAMBLE_256, j))
    store<f32>(at(WORK_RE, slot), xr * cr - xi * ci)
    store<f32>(at(WORK_IM, slot), xr * ci + xi * cr)
  }
  butterflies(WORK_RE, WORK_IM, m, false, m, 4 * inputLength <= m)
  // Pointwise product with the chirp spectrum, four at a time, scattered into scrambled order for the inverse.
  for (let k = 0; k < m; k += 4) {
    const ar = v128.load(at(WORK_RE, k))
    const ai = v128.load(at(WORK_IM, k))
    const br = v128.load(at(CHIRP_SPECTRUM_RE, k))
    const bi = v128.load(at(CHIRP_SPECTRUM_IM, k))
    const productRe = f32x4.sub(f32x4.mul(ar, br), f32x4.mul(ai, bi))
    const productIm = f32x4.add(f32x4.mul(ar, bi), f32x4.mul(ai, br))
    const slots = at(SCRAMBLE_256, k)
    const slot0 = load<i32>(slots), slot1 = load<i32>(slots, 4), slot2 = load<i32>(slots, 8), slot3 = load<i32>(slots, 12)
    store<f32>(at(PRODUCT_RE, slot0), f32x4.extract_lane(productRe, 0))
    store<f32>(at(PRODUCT_IM, slot0), f32x4.extract_lane(productIm, 0))
    store<f32>(at(PRODUCT_RE, slot1), f32x4.extract_lane(productRe, 1))
    store<f32>(at(PRODUCT_IM, slot1), f32x4.extract_lane(productIm, 1))
    store<f32>(at(PRODUCT_RE, slot2), f32x4.extract_lane(productRe, 2))
    store<f32>(at(PRODUCT_IM, slot2), f32x4.extract_lane(productIm, 2))
    store<f32>(at(PRODUCT_RE, slot3), f32x4.extract_lane(productRe, 3))
    store<f32>(at(PRODUCT_IM, slot3), f32x4.extract_lane(productIm, 3))
  }
  butterflies(PRODUCT_RE, PRODUCT_IM, m, true, outputCount, false)
  const mFloat = <f32>m
  for (let k = 0; k < outputCount; k++) {
    const ar = load<f32>(at(PRODUCT_RE, k)) / mFloat
    const ai = load<f32>(at(PRODUCT_IM, k)) / mFloat
    const cr = load<f32>(at(CHIRP_RE, k))
    const ci = -load<f32>(at(CHIRP_IM, k))
    store<f32>(at(BLUESTEIN_RE, k), ar * cr - ai * ci)
    store<f32>(at(BLUESTEIN_IM, k), ar * ci + ai * cr)
  }
}
