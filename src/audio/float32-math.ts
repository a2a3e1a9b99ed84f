/**
 * Float32 functions of the TF 2.x CPU build (x86-64, AVX, no FMA) that produced the kws01 stimuli
 * (kws-float32-parity.md §2, stimuli.md §1.6), for the tables of the exact kws kernel: windows, mel matrix, DCT scale.
 * The per-clip arithmetic runs in assembly/.
 *
 * A float32 `a op b` for + − × ÷ and sqrt is `Math.fround` of the double result: double has 53 ≥ 2·24 + 2 bits,
 * so rounding twice gives the correctly rounded float32. "Correctly rounded" cos/sin/log are the double function
 * rounded once to float32, which is what the reference (glibc on float32 arguments) returns.
 */

const f32 = Math.fround

/**
 * float32 cos of a float32 argument, correctly rounded; the windows use this, not Eigen's pcos
 * (kws-float32-parity.md §4).
 */
export function cosf(x: number): number {
  return f32(Math.cos(x))
}

/** float32 sin, correctly rounded (the DCT's scale factor, kws-float32-parity.md §2 step 8). */
export function sinf(x: number): number {
  return f32(Math.sin(x))
}

/** float32 natural log, correctly rounded (glibc logf on scalar paths, kws-float32-parity.md §2 step 5 and §5). */
export function logf(x: number): number {
  return f32(Math.log(x))
}

// Eigen plog_float (GenericPacketMathFunctions.h, 2019/2020): the Cephes logf polynomial on packets, with pmadd as a
// separate multiply and add because the build has no FMA (kws-float32-parity.md §2 step 7).
const bitsBuffer = new ArrayBuffer(4)
const bitsAsFloat = new Float32Array(bitsBuffer)
const bitsAsUint = new Uint32Array(bitsBuffer)

/** Smallest positive normal float32 (0x00800000): Eigen clamps denormals up to it. */
const MIN_NORMAL_FLOAT32 = 2 ** -126
const CEPHES_SQRTHF = f32(0.707106781186547524)
const CEPHES_LOG_P0 = f32(7.0376836292e-2)
const CEPHES_LOG_P1 = f32(-1.151461031e-1)
const CEPHES_LOG_P2 = f32(1.167699874e-1)
const CEPHES_LOG_P3 = f32(-1.2420140846e-1)
const CEPHES_LOG_P4 = f32(1.4249322787e-1)
const CEPHES_LOG_P5 = f32(-1.6668057665e-1)
const CEPHES_LOG_P6 = f32(2.0000714765e-1)
const CEPHES_LOG_P7 = f32(-2.4999993993e-1)
const CEPHES_LOG_P8 = f32(3.3333331174e-1)
/** ln 2 split in a high part exact in a few bits and a low correction (Cephes LOG_Q1/LOG_Q2). */
const CEPHES_LOG_Q1 = f32(-2.12194440e-4)
const CEPHES_LOG_Q2 = f32(0.693359375)

/**
 * Eigen's vectorised float32 natural log, bit for bit, for the mel matrix's bin frequencies (the kws kernel has its
 * own copy in assembly/float32-math.ts). Zero gives −∞ and a negative or NaN argument NaN (Eigen's masks); +∞ gives
 * +∞. Denormals are clamped to the smallest normal first, as Eigen does.
 */
export function eigenPlog(input: number): number {
  const value = f32(input)
  if (value === 0) return -Infinity
  if (!(value > 0) || value === Infinity) return value > 0 ? Infinity : NaN
  bitsAsFloat[0] = Math.max(value, MIN_NORMAL_FLOAT32)
  const bits = bitsAsUint[0]
  let exponent = (bits >>> 23) - 126
  // Keep the mantissa, force the exponent so the value lies in [0.5, 1).
  bitsAsUint[0] = (bits & 0x807fffff) | 0x3f000000
  let x = bitsAsFloat[0]
  const below = x < CEPHES_SQRTHF
  const addBack = below ? x : 0
  x = f32(x - 1)
  exponent = f32(exponent - (below ? 1 : 0))
  x = f32(x + addBack)
  const x2 = f32(x * x)
  const x3 = f32(x2 * x)
  let y = f32(f32(CEPHES_LOG_P0 * x) + CEPHES_LOG_P1)
  let y1 = f32(f32(CEPHES_LOG_P3 * x) + CEPHES_LOG_P4)
  let y2 = f32(f32(CEPHES_LOG_P6 * x) + CEPHES_LOG_P7)
  y = f32(f32(y * x) + CEPHES_LOG_P2)
  y1 = f32(f32(y1 * x) + CEPHES_LOG_P5)
  y2 = f32(f32(y2 * x) + CEPHES_LOG_P8)
  y = f32(f32(y * x3) + y1)
  y = f32(f32(y * x3) + y2)
  y = f32(y * x3)
  y1 = f32(exponent * CEPHES_LOG_Q1)
  const halfX2 = f32(x2 * 0.5)
  y = f32(y + y1)
  x = f32(x - halfX2)
  y2 = f32(exponent * CEPHES_LOG_Q2)
  x = f32(x + y)
  return f32(x + y2)
}

/**
 * tf.signal's generalized cosine window in float32: `a − b·cos(f32(2π)·n / N')` with N' = length (periodic) or
 * length − 1 (symmetric). Hann is (0.5, 0.5, periodic), Hamming (0.54, 0.46, symmetric) (stimuli.md §1.3).
 */
export function cosineWindow32(length: number, a: number, b: number, periodic: boolean): Float32Array {
  const denominator = f32(periodic ? length : length - 1)
  const twoPi = f32(2 * Math.PI)
  const a32 = f32(a)
  const b32 = f32(b)
  const window = new Float32Array(length)
  for (let n = 0; n < length; n++) {
    const angle = f32(f32(twoPi * n) / denominator)
    window[n] = f32(a32 - f32(b32 * cosf(angle)))
  }
  return window
}
