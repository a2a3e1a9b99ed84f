/**
 * A float64 FFT of real input for the ad01 STFT. ad-parity.md ("What mattered and what did not"): any accurate
 * float64 FFT gives the official bytes, because the complex64 store that follows absorbs its ~1e-15 relative
 * rounding (pocketfft, FFTPACK, a radix-2 DIT and a direct DFT all give the same bits there).
 *
 * The N real inputs are packed as N/2 complex values (even samples real, odd imaginary), transformed by an iterative
 * radix-2 decimation-in-time FFT, and split into the N/2 + 1 bins of the real spectrum: half the work of a complex
 * N-point FFT. Every twiddle is computed on its own with Math.cos/Math.sin, never by a recurrence (whose error grows
 * with the index).
 */
export interface RealFft64 {
  readonly size: number
  /** re[k] + i·im[k] = Σ_n input[n]·e^(−2πi·kn/size) for k = 0 … size/2; `re` and `im` hold size/2 + 1 values. */
  forward(input: Float64Array, re: Float64Array, im: Float64Array): void
}

export function createRealFft64(size: number): RealFft64 {
  if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
    throw new RangeError(`createRealFft64 needs a power of two ≥ 4, got ${size}`)
  }
  const half = size / 2
  const complex = createComplexFft64(half)
  const zr = new Float64Array(half)
  const zi = new Float64Array(half)
  const {cos: splitCos, sin: splitSin} = splitTwiddles(size)

  return {
    size,
    forward(input, re, im) {
      if (input.length !== size || re.length < half + 1 || im.length < half + 1) {
        throw new RangeError(`RealFft64 of size ${size} needs ${size} inputs and ${half + 1} outputs`)
      }
      for (let n = 0; n < half; n++) {
        zr[n] = input[2 * n]!
        zi[n] = input[2 * n + 1]!
      }
      complex.forward(zr, zi)
      // X[k] = E[k] + e^(−2πik/N)·O[k], with E = (Z[k] + conj Z[N/2−k])/2 the even samples' spectrum and
      // O = (Z[k] − conj Z[N/2−k])/2i the odd samples'.
      re[0] = zr[0]! + zi[0]!
      im[0] = 0
      re[half] = zr[0]! - zi[0]!
      im[half] = 0
      for (let k = 1; k < half; k++) {
        const j = half - k
        const evenRe = (zr[k]! + zr[j]!) / 2
        const evenIm = (zi[k]! - zi[j]!) / 2
        const oddRe = (zi[k]! + zi[j]!) / 2
        const oddIm = (zr[j]! - zr[k]!) / 2
        const c = splitCos[k]!
        const s = splitSin[k]!
        re[k] = evenRe + (c * oddRe + s * oddIm)
        im[k] = evenIm + (c * oddIm - s * oddRe)
      }
    },
  }
}

/** An in-place complex FFT of a power-of-two size: X[k] = Σ x[n]·e^(−2πi·kn/size). */
export interface ComplexFft64 {
  readonly size: number
  forward(re: Float64Array, im: Float64Array): void
}

export function createComplexFft64(size: number): ComplexFft64 {
  if (!Number.isInteger(size) || size < 1 || (size & (size - 1)) !== 0) {
    throw new RangeError(`createComplexFft64 needs a power of two, got ${size}`)
  }
  const reversed = bitReversal(size)
  const swaps: number[] = []
  for (let i = 0; i < size; i++) if (reversed[i]! > i) swaps.push(i, reversed[i]!)
  const swapPairs = Uint32Array.from(swaps)
  const {re: twiddleRe, im: twiddleIm} = stageTwiddles(size)

  return {
    size,
    forward(re, im) {
      if (re.length !== size || im.length !== size) throw new RangeError(`ComplexFft64 of size ${size} got arrays of ${re.length} and ${im.length}`)
      for (let p = 0; p < swapPairs.length; p += 2) {
        const a = swapPairs[p]!
        const b = swapPairs[p + 1]!
        const tr = re[a]!
        re[a] = re[b]!
        re[b] = tr
        const ti = im[a]!
        im[a] = im[b]!
        im[b] = ti
      }
      for (let span = 1; span < size; span *= 2) {
        for (let k = 0; k < span; k++) {
          const wr = twiddleRe[span + k]!
          const wi = twiddleIm[span + k]!
          for (let a = k; a < size; a += 2 * span) {
            const b = a + span
            const br = re[b]! * wr - im[b]! * wi
            const bi = re[b]! * wi + im[b]! * wr
            re[b] = re[a]! - br
            im[b] = im[a]! - bi
            re[a] = re[a]! + br
            im[a] = im[a]! + bi
          }
        }
      }
    },
  }
}

/** Split twiddles e^(−2πi·k/size), k = 0 … size/2, of the real FFT of `size` inputs. */
export function splitTwiddles(size: number): {cos: Float64Array; sin: Float64Array} {
  return {
    cos: Float64Array.from({length: size / 2 + 1}, (_, k) => Math.cos((2 * Math.PI * k) / size)),
    sin: Float64Array.from({length: size / 2 + 1}, (_, k) => Math.sin((2 * Math.PI * k) / size)),
  }
}

/**
 * Twiddles of the complex FFT of `size` values: the stage that merges blocks of `span` uses e^(−2πi·k/(2·span)),
 * k < span, stored at [span + k].
 */
export function stageTwiddles(size: number): {re: Float64Array; im: Float64Array} {
  const re = new Float64Array(size)
  const im = new Float64Array(size)
  for (let span = 1; span < size; span *= 2) {
    for (let k = 0; k < span; k++) {
      re[span + k] = Math.cos((Math.PI * k) / span)
      im[span + k] = -Math.sin((Math.PI * k) / span)
    }
  }
  return {re, im}
}

/** The bit reversal of the indices 0 … size−1 (size a power of two): element i goes to slot reversed[i]. */
export function bitReversal(size: number): Int32Array {
  const bits = Math.log2(size)
  return Int32Array.from({length: size}, (_, i) => {
    let r = 0
    for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b)
    return r
  })
}
