/**
 * Emulation of Eigen's TensorFFT on std::complex<float> as TF 2.3/2.4 ran it on CPU (stimuli.md §1.6,
 * kws-float32-parity.md §2 steps 3 and 8): radix-2 for power-of-two sizes, Bluestein otherwise. Every real
 * + − × is rounded to float32 and a complex product is (ac − bd, ad + bc) with both products rounded first
 * (no FMA). Where an operand is known to be exactly 0 or 1 (real or zero-padded input, the first twiddle w_0 = 1)
 * the product is not formed. For finite inputs that changes at most the sign of a zero, which no later step can see
 * (they add, multiply, square and take logs), so the values are bit-identical to Eigen's; with ±∞ in the input some
 * NaN that Eigen would produce from ∞·0 may stay ±∞ instead.
 *
 * Plans precompute the scramble permutation, twiddles (by Eigen's own float32 recurrence) and the Bluestein chirp,
 * so a transform only runs butterflies. Data arrays are Float32Array, whose stores round to float32 like `fround`.
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
/** SQRT2DIV2 of butterfly_8, rounded to float. */
const SQRT_HALF = f32(0.7071067811865476)
/** Largest size the LUTs cover (2^10). */
const MAX_RADIX2_SIZE = 1 << (MINUS_SIN_LUT.length - 1)

/** Twiddles of one `butterfly_1D_merge` level (block size `2·half`) in one direction. */
interface MergeLevel {
  readonly half: number
  /** w_j = wp_one^(4j) by the recurrence w ← w·wp_one⁴, one per group of 4 outputs. */
  readonly groupRe: Float64Array
  readonly groupIm: Float64Array
  /** wp_one, wp_one², wp_one³ (float32 products, in that order): output 4j + q is multiplied by wp_one^q. */
  readonly w1Re: number
  readonly w1Im: number
  readonly w2Re: number
  readonly w2Im: number
  readonly w3Re: number
  readonly w3Im: number
}

function mergeLevel(size: number, inverse: boolean): MergeLevel {
  const p = Math.log2(size)
  const half = size / 2
  const w1Re = f32(f32(MINUS_TWO_SIN_SQUARED_LUT[p]) + 1)
  const w1Im = inverse ? -f32(MINUS_SIN_LUT[p]) : f32(MINUS_SIN_LUT[p])
  const w2Re = f32(f32(w1Re * w1Re) - f32(w1Im * w1Im))
  const w2Im = f32(f32(w1Re * w1Im) + f32(w1Im * w1Re))
  const w3Re = f32(f32(w2Re * w1Re) - f32(w2Im * w1Im))
  const w3Im = f32(f32(w2Re * w1Im) + f32(w2Im * w1Re))
  const w4Re = f32(f32(w3Re * w1Re) - f32(w3Im * w1Im))
  const w4Im = f32(f32(w3Re * w1Im) + f32(w3Im * w1Re))
  const groups = half / 4
  const groupRe = new Float64Array(groups)
  const groupIm = new Float64Array(groups)
  let wRe = 1
  let wIm = 0
  for (let j = 0; j < groups; j++) {
    groupRe[j] = wRe
    groupIm[j] = wIm
    const nextRe = f32(f32(wRe * w4Re) - f32(wIm * w4Im))
    wIm = f32(f32(wRe * w4Im) + f32(wIm * w4Re))
    wRe = nextRe
  }
  return {half, groupRe, groupIm, w1Re, w1Im, w2Re, w2Im, w3Re, w3Im}
}

/** Eigen `scramble_FFT` (1-based swap loop) as a gather: after it, slot i holds input[permutation[i]]. */
function scramblePermutation(size: number): Int32Array {
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

/** Eigen radix-2 FFT of one power-of-two size (8 ≤ size ≤ 1024), forward (e^−i) or inverse (e^+i, unscaled). */
export class Radix2Fft {
  readonly size: number
  /** Eigen's scramble as a gather: slot i of the scrambled order holds element permutation[i]. */
  readonly permutation: Int32Array
  private readonly forwardLevels: readonly MergeLevel[]
  private readonly inverseLevels: readonly MergeLevel[]

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 8 || size > MAX_RADIX2_SIZE || (size & (size - 1)) !== 0) {
      throw new RangeError(`Radix2Fft: size must be a power of two from 8 to ${MAX_RADIX2_SIZE}, got ${size}`)
    }
    this.size = size
    this.permutation = scramblePermutation(size)
    const forward: MergeLevel[] = []
    const inverse: MergeLevel[] = []
    for (let blockSize = 16; blockSize <= size; blockSize *= 2) {
      forward.push(mergeLevel(blockSize, false))
      inverse.push(mergeLevel(blockSize, true))
    }
    this.forwardLevels = forward
    this.inverseLevels = inverse
  }

  /**
   * Transforms (srcRe, srcIm) into (dstRe, dstIm); src and dst must be distinct arrays of at least `size`
   * elements. The inverse is not divided by the size (Eigen's Bluestein divides itself). With
   * `outputCount` < size only dst[0..outputCount) is meaningful and the butterflies no other output needs are skipped.
   */
  transform(
    srcRe: Float32Array,
    srcIm: Float32Array,
    dstRe: Float32Array,
    dstIm: Float32Array,
    inverse = false,
    outputCount = this.size,
  ): void {
    const permutation = this.permutation
    for (let i = 0; i < this.size; i++) {
      dstRe[i] = srcRe[permutation[i]]
      dstIm[i] = srcIm[permutation[i]]
    }
    this.butterflies(dstRe, dstIm, inverse, outputCount)
  }

  /** Forward transform of real input: src[0..length) (float32 values) then zeros. */
  transformReal(src: ArrayLike<number>, length: number, dstRe: Float32Array, dstIm: Float32Array): void {
    const permutation = this.permutation
    for (let i = 0; i < this.size; i++) {
      const from = permutation[i]
      dstRe[i] = from < length ? src[from] : 0
    }
    for (let base = 0; base < this.size; base += 8) butterfly8Real(dstRe, dstIm, base)
    this.merges(dstRe, dstIm, false, this.size)
  }

  /**
   * The butterflies on data already in scrambled order (slot i holding element permutation[i]), for callers that
   * scatter their input themselves. `quarterInput` declares that only elements below size/4 are non-zero: their bit
   * reversal puts them in slots 8g and 8g + 4 only, and the first butterflies shrink accordingly.
   */
  butterflies(re: Float32Array, im: Float32Array, inverse: boolean, outputCount: number, quarterInput = false): void {
    const sign = inverse ? 1 : -1
    if (quarterInput) for (let base = 0; base < this.size; base += 8) butterfly8QuarterInput(re, im, base, sign)
    else for (let base = 0; base < this.size; base += 8) butterfly8(re, im, base, sign)
    this.merges(re, im, inverse, outputCount)
  }

  /**
   * Every block of a level only has to deliver the outputs min(outputCount, blockSize) the next level reads: when
   * that is at most half the block, only out[i] = lo[i] + t[i] for those i is formed.
   */
  private merges(re: Float32Array, im: Float32Array, inverse: boolean, outputCount: number): void {
    for (const level of inverse ? this.inverseLevels : this.forwardLevels) {
      const needed = Math.min(outputCount, 2 * level.half)
      for (let base = 0; base < this.size; base += 2 * level.half) {
        if (needed > level.half) merge(re, im, base, level)
        else mergePrefix(re, im, base, level, needed)
      }
    }
  }
}

/** Eigen `butterfly_8` in place on re/im[base..base+8); `sign` is −1 forward, +1 inverse. */
function butterfly8(re: Float32Array, im: Float32Array, base: number, sign: number): void {
  const d0r = re[base], d0i = im[base], d1r = re[base + 1], d1i = im[base + 1]
  const d2r = re[base + 2], d2i = im[base + 2], d3r = re[base + 3], d3i = im[base + 3]
  const d4r = re[base + 4], d4i = im[base + 4], d5r = re[base + 5], d5i = im[base + 5]
  const d6r = re[base + 6], d6i = im[base + 6], d7r = re[base + 7], d7i = im[base + 7]
  const a0r = f32(d0r + d1r), a0i = f32(d0i + d1i)
  const a1r = f32(d0r - d1r), a1i = f32(d0i - d1i)
  const a2r = f32(d2r + d3r), a2i = f32(d2i + d3i)
  // (d2 − d3)·(0, sign)
  const s3r = f32(d2r - d3r), s3i = f32(d2i - d3i)
  const a3r = f32(f32(s3r * 0) - f32(s3i * sign)), a3i = f32(f32(s3r * sign) + f32(s3i * 0))
  const a4r = f32(d4r + d5r), a4i = f32(d4i + d5i)
  const a5r = f32(d4r - d5r), a5i = f32(d4i - d5i)
  const a6r = f32(d6r + d7r), a6i = f32(d6i + d7i)
  // (d6 − d7)·(0, sign)
  const s7r = f32(d6r - d7r), s7i = f32(d6i - d7i)
  const a7r = f32(f32(s7r * 0) - f32(s7i * sign)), a7i = f32(f32(s7r * sign) + f32(s7i * 0))

  const b0r = f32(a0r + a2r), b0i = f32(a0i + a2i)
  const b1r = f32(a1r + a3r), b1i = f32(a1i + a3i)
  const b2r = f32(a0r - a2r), b2i = f32(a0i - a2i)
  const b3r = f32(a1r - a3r), b3i = f32(a1i - a3i)
  const b4r = f32(a4r + a6r), b4i = f32(a4i + a6i)
  // (a5 + a7)·(√½, sign·√½)
  const s5r = f32(a5r + a7r), s5i = f32(a5i + a7i)
  const signedSqrtHalf = sign * SQRT_HALF
  const b5r = f32(f32(s5r * SQRT_HALF) - f32(s5i * signedSqrtHalf))
  const b5i = f32(f32(s5r * signedSqrtHalf) + f32(s5i * SQRT_HALF))
  // (a4 − a6)·(0, sign)
  const s6r = f32(a4r - a6r), s6i = f32(a4i - a6i)
  const b6r = f32(f32(s6r * 0) - f32(s6i * sign)), b6i = f32(f32(s6r * sign) + f32(s6i * 0))
  // (a5 − a7)·(−√½, sign·√½)
  const t7r = f32(a5r - a7r), t7i = f32(a5i - a7i)
  const b7r = f32(f32(t7r * -SQRT_HALF) - f32(t7i * signedSqrtHalf))
  const b7i = f32(f32(t7r * signedSqrtHalf) + f32(t7i * -SQRT_HALF))

  re[base] = b0r + b4r, im[base] = b0i + b4i
  re[base + 1] = b1r + b5r, im[base + 1] = b1i + b5i
  re[base + 2] = b2r + b6r, im[base + 2] = b2i + b6i
  re[base + 3] = b3r + b7r, im[base + 3] = b3i + b7i
  re[base + 4] = b0r - b4r, im[base + 4] = b0i - b4i
  re[base + 5] = b1r - b5r, im[base + 5] = b1i - b5i
  re[base + 6] = b2r - b6r, im[base + 6] = b2i - b6i
  re[base + 7] = b3r - b7r, im[base + 7] = b3i - b7i
}

/**
 * butterfly8 (forward) for real data: re[base..base+8) in, imaginary parts taken as 0 and not read. The products
 * with the (0, −1) factors and every term with a zero operand drop out exactly.
 */
function butterfly8Real(re: Float32Array, im: Float32Array, base: number): void {
  const d0 = re[base], d1 = re[base + 1], d2 = re[base + 2], d3 = re[base + 3]
  const d4 = re[base + 4], d5 = re[base + 5], d6 = re[base + 6], d7 = re[base + 7]
  const a0 = f32(d0 + d1)
  const a1 = f32(d0 - d1)
  const a2 = f32(d2 + d3)
  const a3i = -f32(d2 - d3)
  const a4 = f32(d4 + d5)
  const a5 = f32(d4 - d5)
  const a6 = f32(d6 + d7)
  const a7i = -f32(d6 - d7)
  const b0 = f32(a0 + a2)
  const b2 = f32(a0 - a2)
  const b4 = f32(a4 + a6)
  // (a5, a7i)·(√½, −√½) and (a5, −a7i)·(−√½, −√½)
  const b5r = f32(f32(a5 * SQRT_HALF) - f32(a7i * -SQRT_HALF))
  const b5i = f32(f32(a5 * -SQRT_HALF) + f32(a7i * SQRT_HALF))
  const b6i = -f32(a4 - a6)
  const b7r = f32(f32(a5 * -SQRT_HALF) - f32(-a7i * -SQRT_HALF))
  const b7i = f32(f32(a5 * -SQRT_HALF) + f32(-a7i * -SQRT_HALF))
  re[base] = b0 + b4, im[base] = 0
  re[base + 1] = a1 + b5r, im[base + 1] = a3i + b5i
  re[base + 2] = b2, im[base + 2] = b6i
  re[base + 3] = a1 + b7r, im[base + 3] = -a3i + b7i
  re[base + 4] = b0 - b4, im[base + 4] = 0
  re[base + 5] = a1 - b5r, im[base + 5] = a3i - b5i
  re[base + 6] = b2, im[base + 6] = -b6i
  re[base + 7] = a1 - b7r, im[base + 7] = -a3i - b7i
}

/**
 * butterfly8 when only d0 and d4 can be non-zero (see `quarterInput`): every partial sum with a zero operand is d0 or
 * d4 itself, leaving d0 ± (d4, d4·(√½, sign·√½), d4·(0, sign), d4·(−√½, sign·√½)).
 */
function butterfly8QuarterInput(re: Float32Array, im: Float32Array, base: number, sign: number): void {
  const d0r = re[base], d0i = im[base], d4r = re[base + 4], d4i = im[base + 4]
  const signedSqrtHalf = sign * SQRT_HALF
  const b5r = f32(f32(d4r * SQRT_HALF) - f32(d4i * signedSqrtHalf))
  const b5i = f32(f32(d4r * signedSqrtHalf) + f32(d4i * SQRT_HALF))
  const b6r = -sign * d4i
  const b6i = sign * d4r
  const b7r = f32(f32(d4r * -SQRT_HALF) - f32(d4i * signedSqrtHalf))
  const b7i = f32(f32(d4r * signedSqrtHalf) + f32(d4i * -SQRT_HALF))
  re[base] = d0r + d4r, im[base] = d0i + d4i
  re[base + 1] = d0r + b5r, im[base + 1] = d0i + b5i
  re[base + 2] = d0r + b6r, im[base + 2] = d0i + b6i
  re[base + 3] = d0r + b7r, im[base + 3] = d0i + b7i
  re[base + 4] = d0r - d4r, im[base + 4] = d0i - d4i
  re[base + 5] = d0r - b5r, im[base + 5] = d0i - b5i
  re[base + 6] = d0r - b6r, im[base + 6] = d0i - b6i
  re[base + 7] = d0r - b7r, im[base + 7] = d0i - b7i
}

/**
 * Eigen `butterfly_1D_merge` on one block: out[i] = lo[i] ± (hi[i]·w_{i/4})·wp_one^(i mod 4), the two products
 * rounded separately as Eigen computes them. For the first group w_0 = (1, 0) and hi·w_0 = hi exactly.
 */
function merge(re: Float32Array, im: Float32Array, base: number, level: MergeLevel): void {
  const {half, groupRe, groupIm, w1Re, w1Im, w2Re, w2Im, w3Re, w3Im} = level
  for (let i = 0; i < half; i += 4) {
    const wr = groupRe[i >> 2]
    const wi = groupIm[i >> 2]
    const first = i === 0
    const lo = base + i
    const hi = lo + half
    let hr: number, hm: number, tr: number, ti: number, lr: number, li: number

    hr = re[hi]
    hm = im[hi]
    tr = first ? hr : f32(f32(hr * wr) - f32(hm * wi))
    ti = first ? hm : f32(f32(hr * wi) + f32(hm * wr))
    lr = re[lo]
    li = im[lo]
    re[lo] = lr + tr
    im[lo] = li + ti
    re[hi] = lr - tr
    im[hi] = li - ti

    hr = re[hi + 1]
    hm = im[hi + 1]
    tr = first ? hr : f32(f32(hr * wr) - f32(hm * wi))
    ti = first ? hm : f32(f32(hr * wi) + f32(hm * wr))
    hr = f32(f32(tr * w1Re) - f32(ti * w1Im))
    ti = f32(f32(tr * w1Im) + f32(ti * w1Re))
    tr = hr
    lr = re[lo + 1]
    li = im[lo + 1]
    re[lo + 1] = lr + tr
    im[lo + 1] = li + ti
    re[hi + 1] = lr - tr
    im[hi + 1] = li - ti

    hr = re[hi + 2]
    hm = im[hi + 2]
    tr = first ? hr : f32(f32(hr * wr) - f32(hm * wi))
    ti = first ? hm : f32(f32(hr * wi) + f32(hm * wr))
    hr = f32(f32(tr * w2Re) - f32(ti * w2Im))
    ti = f32(f32(tr * w2Im) + f32(ti * w2Re))
    tr = hr
    lr = re[lo + 2]
    li = im[lo + 2]
    re[lo + 2] = lr + tr
    im[lo + 2] = li + ti
    re[hi + 2] = lr - tr
    im[hi + 2] = li - ti

    hr = re[hi + 3]
    hm = im[hi + 3]
    tr = first ? hr : f32(f32(hr * wr) - f32(hm * wi))
    ti = first ? hm : f32(f32(hr * wi) + f32(hm * wr))
    hr = f32(f32(tr * w3Re) - f32(ti * w3Im))
    ti = f32(f32(tr * w3Im) + f32(ti * w3Re))
    tr = hr
    lr = re[lo + 3]
    li = im[lo + 3]
    re[lo + 3] = lr + tr
    im[lo + 3] = li + ti
    re[hi + 3] = lr - tr
    im[hi + 3] = li - ti
  }
}

/** The first `count` (≤ half) outputs lo[i] + t[i] of `merge`, computed the same way; hi is left as it was. */
function mergePrefix(re: Float32Array, im: Float32Array, base: number, level: MergeLevel, count: number): void {
  const {half, groupRe, groupIm} = level
  for (let i = 0; i < count; i++) {
    const lo = base + i
    const hr = re[lo + half]
    const hm = im[lo + half]
    const wr = groupRe[i >> 2]
    const wi = groupIm[i >> 2]
    let tr = f32(f32(hr * wr) - f32(hm * wi))
    let ti = f32(f32(hr * wi) + f32(hm * wr))
    const q = i & 3
    if (q !== 0) {
      const sr = q === 1 ? level.w1Re : q === 2 ? level.w2Re : level.w3Re
      const si = q === 1 ? level.w1Im : q === 2 ? level.w2Im : level.w3Im
      const nextRe = f32(f32(tr * sr) - f32(ti * si))
      ti = f32(f32(tr * si) + f32(ti * sr))
      tr = nextRe
    }
    re[lo] = re[lo] + tr
    im[lo] = im[lo] + ti
  }
}

/**
 * Eigen's forward Bluestein FFT for a size that is not a power of two (stimuli.md §1.6): chirp t_j =
 * complex<float>(cos, sin)(((π·j)·j)/n) computed in double, convolution by three radix-2 FFTs of size m (the
 * smallest power of two ≥ 2n − 1), each element divided by m, then multiplied by conj(t_j).
 */
export class BluesteinFft {
  readonly size: number
  private readonly radix2: Radix2Fft
  private readonly chirpRe: Float64Array
  private readonly chirpIm: Float64Array
  /** FFT of the chirp sequence b (b_j = t_j, b_{m−j} = t_j), the same for every transform. */
  private readonly chirpSpectrumRe: Float32Array
  private readonly chirpSpectrumIm: Float32Array
  /** Inverse of the radix-2 scramble: element j goes to slot scrambledSlot[j]. */
  private readonly scrambledSlot: Int32Array
  private readonly workRe: Float32Array
  private readonly workIm: Float32Array
  private readonly spectrumRe: Float32Array
  private readonly spectrumIm: Float32Array

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2) {
      throw new RangeError(`BluesteinFft: size must be an integer ≥ 2, got ${size}`)
    }
    let m = 2
    while (m < 2 * size - 1) m *= 2
    this.size = size
    this.radix2 = new Radix2Fft(m)
    this.chirpRe = new Float64Array(size + 1)
    this.chirpIm = new Float64Array(size + 1)
    for (let j = 0; j <= size; j++) {
      const angle = (Math.PI * j * j) / size
      this.chirpRe[j] = f32(Math.cos(angle))
      this.chirpIm[j] = f32(Math.sin(angle))
    }
    const chirpSequenceRe = new Float32Array(m)
    const chirpSequenceIm = new Float32Array(m)
    for (let j = 0; j < size; j++) {
      chirpSequenceRe[j] = this.chirpRe[j]
      chirpSequenceIm[j] = this.chirpIm[j]
    }
    for (let j = m - size; j < m; j++) {
      chirpSequenceRe[j] = this.chirpRe[m - j]
      chirpSequenceIm[j] = this.chirpIm[m - j]
    }
    this.chirpSpectrumRe = new Float32Array(m)
    this.chirpSpectrumIm = new Float32Array(m)
    this.radix2.transform(chirpSequenceRe, chirpSequenceIm, this.chirpSpectrumRe, this.chirpSpectrumIm)
    this.scrambledSlot = new Int32Array(m)
    this.radix2.permutation.forEach((element, slot) => (this.scrambledSlot[element] = slot))
    this.workRe = new Float32Array(m)
    this.workIm = new Float32Array(m)
    this.spectrumRe = new Float32Array(m)
    this.spectrumIm = new Float32Array(m)
  }

  /**
   * Forward transform of (re, im)[0..inputLength) (im undefined: real input), zero-padded to `size`. Writes outputs
   * 0..outputCount−1 into outRe/outIm (arrays may alias the inputs).
   */
  transform(
    re: ArrayLike<number>,
    im: ArrayLike<number> | undefined,
    inputLength: number,
    outRe: Float32Array,
    outIm: Float32Array,
    outputCount = this.size,
  ): void {
    const {radix2, scrambledSlot, chirpRe, chirpIm, chirpSpectrumRe, chirpSpectrumIm} = this
    const {workRe, workIm, spectrumRe, spectrumIm} = this
    const m = radix2.size
    // x_j · conj(t_j), written straight into its scrambled slot.
    workRe.fill(0)
    workIm.fill(0)
    for (let j = 0; j < inputLength; j++) {
      const xr = re[j]
      const xi = im === undefined ? 0 : im[j]
      const cr = chirpRe[j]
      const ci = -chirpIm[j]
      const slot = scrambledSlot[j]
      workRe[slot] = f32(xr * cr) - f32(xi * ci)
      workIm[slot] = f32(xr * ci) + f32(xi * cr)
    }
    radix2.butterflies(workRe, workIm, false, m, 4 * inputLength <= m)
    // Pointwise product with the chirp spectrum, scattered into scrambled order for the inverse transform.
    for (let k = 0; k < m; k++) {
      const ar = workRe[k]
      const ai = workIm[k]
      const br = chirpSpectrumRe[k]
      const bi = chirpSpectrumIm[k]
      const slot = scrambledSlot[k]
      spectrumRe[slot] = f32(ar * br) - f32(ai * bi)
      spectrumIm[slot] = f32(ar * bi) + f32(ai * br)
    }
    radix2.butterflies(spectrumRe, spectrumIm, true, outputCount)
    for (let k = 0; k < outputCount; k++) {
      const ar = f32(spectrumRe[k] / m)
      const ai = f32(spectrumIm[k] / m)
      const cr = chirpRe[k]
      const ci = -chirpIm[k]
      outRe[k] = f32(ar * cr) - f32(ai * ci)
      outIm[k] = f32(ar * ci) + f32(ai * cr)
    }
  }
}

/** Eigen's real-input FFT of TF `rfft`: a complex FFT of the zero-padded input, keeping size/2 + 1 bins. */
export class EigenRfft {
  readonly size: number
  readonly bins: number
  private readonly radix2: Radix2Fft | undefined
  private readonly bluestein: BluesteinFft | undefined
  private readonly fullRe: Float32Array
  private readonly fullIm: Float32Array

  constructor(size: number) {
    this.size = size
    this.bins = Math.floor(size / 2) + 1
    const powerOfTwo = Number.isInteger(size) && size >= 8 && (size & (size - 1)) === 0
    this.radix2 = powerOfTwo ? new Radix2Fft(size) : undefined
    this.bluestein = powerOfTwo ? undefined : new BluesteinFft(size)
    this.fullRe = new Float32Array(size)
    this.fullIm = new Float32Array(size)
  }

  /**
   * Transforms input[0..inputLength) (float32 values, zero-padded to `size`) and writes the first `binCount`
   * bins (default all size/2 + 1) into outRe/outIm.
   */
  transform(
    input: ArrayLike<number>,
    inputLength: number,
    outRe: Float32Array,
    outIm: Float32Array,
    binCount = this.bins,
  ): void {
    if (inputLength > this.size) throw new RangeError(`EigenRfft: ${inputLength} samples exceed size ${this.size}`)
    if (this.bluestein !== undefined) {
      this.bluestein.transform(input, undefined, inputLength, outRe, outIm, binCount)
      return
    }
    const radix2 = this.radix2 as Radix2Fft
    radix2.transformReal(input, inputLength, this.fullRe, this.fullIm)
    for (let k = 0; k < binCount; k++) {
      outRe[k] = this.fullRe[k]
      outIm[k] = this.fullIm[k]
    }
  }
}

/** One-off rfft (allocates a plan); returns the size/2 + 1 bins as float32. */
export function eigenRfft(input: ArrayLike<number>, size: number): {re: Float32Array; im: Float32Array} {
  const plan = new EigenRfft(size)
  const re = new Float32Array(plan.bins)
  const im = new Float32Array(plan.bins)
  plan.transform(Float32Array.from(input), input.length, re, im)
  return {re, im}
}
