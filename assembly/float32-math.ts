/**
 * Float32 kernels of the TF 2.x CPU build (x86-64, AVX, no FMA) that produced the kws01 stimuli
 * (kws-float32-parity.md §2, stimuli.md §1.6), in native f32 / f64 arithmetic. No libm is called: the only functions
 * beyond + − × ÷ are sqrt (correctly rounded in WebAssembly) and bit manipulation.
 */

/** glibc hypotf of four lanes: the hypotenuse in double, rounded once (kws-float32-parity.md §2 step 4). */
// @ts-ignore: decorator
@inline export function hypot4(re: v128, im: v128): v128 {
  const reLow = f64x2.promote_low_f32x4(re)
  const imLow = f64x2.promote_low_f32x4(im)
  const reHigh = f64x2.promote_low_f32x4(i32x4.shuffle(re, re, 2, 3, 0, 1))
  const imHigh = f64x2.promote_low_f32x4(i32x4.shuffle(im, im, 2, 3, 0, 1))
  const low = f32x4.demote_f64x2_zero(f64x2.sqrt(f64x2.add(f64x2.mul(reLow, reLow), f64x2.mul(imLow, imLow))))
  const high = f32x4.demote_f64x2_zero(f64x2.sqrt(f64x2.add(f64x2.mul(reHigh, reHigh), f64x2.mul(imHigh, imHigh))))
  return i32x4.shuffle(low, high, 0, 1, 4, 5)
}

/** hypot4 of one value. */
export function hypotf(re: f32, im: f32): f32 {
  return f32x4.extract_lane(hypot4(f32x4.splat(re), f32x4.splat(im)), 0)
}

// Eigen plog_float (GenericPacketMathFunctions.h, 2019/2020): the Cephes logf polynomial on packets, with pmadd as
// a separate multiply and add because the build has no FMA (kws-float32-parity.md §2 step 7).
/** Smallest positive normal float32 (0x00800000): Eigen clamps denormals up to it. */
const MIN_NORMAL_FLOAT32: f32 = reinterpret<f32>(0x00800000)
const CEPHES_SQRTHF: f32 = <f32>0.707106781186547524
const CEPHES_LOG_P0: f32 = <f32>7.0376836292e-2
const CEPHES_LOG_P1: f32 = <f32>-1.151461031e-1
const CEPHES_LOG_P2: f32 = <f32>1.167699874e-1
const CEPHES_LOG_P3: f32 = <f32>-1.2420140846e-1
const CEPHES_LOG_P4: f32 = <f32>1.4249322787e-1
const CEPHES_LOG_P5: f32 = <f32>-1.6668057665e-1
const CEPHES_LOG_P6: f32 = <f32>2.0000714765e-1
const CEPHES_LOG_P7: f32 = <f32>-2.4999993993e-1
const CEPHES_LOG_P8: f32 = <f32>3.3333331174e-1
/** ln 2 split in a high part exact in a few bits and a low correction (Cephes LOG_Q1/LOG_Q2). */
const CEPHES_LOG_Q1: f32 = <f32>-2.12194440e-4
const CEPHES_LOG_Q2: f32 = <f32>0.693359375
/** Keeps sign and mantissa of a float32; OR-ing EXPONENT_HALF in puts the value in [0.5, 1). */
const MANTISSA_AND_SIGN: u32 = 0x807fffff
const EXPONENT_HALF: u32 = 0x3f000000

/**
 * Eigen's vectorised float32 natural log of four lanes, bit for bit: each lane runs Eigen's packet code. Zero gives
 * −∞ and a negative or NaN argument NaN (Eigen's masks); +∞ gives +∞. Denormals are clamped to the smallest normal
 * first, as Eigen does.
 */
function plog4(value: v128): v128 {
  const bits = f32x4.max(value, f32x4.splat(MIN_NORMAL_FLOAT32))
  let exponent = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126)))
  let x = v128.or(v128.and(bits, i32x4.splat(MANTISSA_AND_SIGN)), i32x4.splat(EXPONENT_HALF))
  const below = f32x4.lt(x, f32x4.splat(CEPHES_SQRTHF))
  const addBack = v128.and(x, below)
  x = f32x4.sub(x, f32x4.splat(1))
  exponent = f32x4.sub(exponent, v128.and(f32x4.splat(1), below))
  x = f32x4.add(x, addBack)
  const x2 = f32x4.mul(x, x)
  const x3 = f32x4.mul(x2, x)
  let y = f32x4.add(f32x4.mul(f32x4.splat(CEPHES_LOG_P0), x), f32x4.splat(CEPHES_LOG_P1))
  let y1 = f32x4.add(f32x4.mul(f32x4.splat(CEPHES_LOG_P3), x), f32x4.splat(CEPHES_LOG_P4))
  let y2 = f32x4.add(f32x4.mul(f32x4.splat(CEPHES_LOG_P6), x), f32x4.splat(CEPHES_LOG_P7))
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(CEPHES_LOG_P2))
  y1 = f32x4.add(f32x4.mul(y1, x), f32x4.splat(CEPHES_LOG_P5))
  y2 = f32x4.add(f32x4.mul(y2, x), f32x4.splat(CEPHES_LOG_P8))
  y = f32x4.add(f32x4.mul(y, x3), y1)
  y = f32x4.add(f32x4.mul(y, x3), y2)
  y = f32x4.mul(y, x3)
  y1 = f32x4.mul(exponent, f32x4.splat(CEPHES_LOG_Q1))
  const halfX2 = f32x4.mul(x2, f32x4.splat(0.5))
  y = f32x4.add(y, y1)
  x = f32x4.sub(x, halfX2)
  y2 = f32x4.mul(exponent, f32x4.splat(CEPHES_LOG_Q2))
  x = f32x4.add(x, y)
  let result = f32x4.add(x, y2)
  // Eigen's masks, the zero one last since zero is also "not > 0".
  const zero = f32x4.splat(0)
  result = v128.bitselect(f32x4.splat(NaN), result, v128.not(f32x4.gt(value, zero)))
  result = v128.bitselect(f32x4.splat(Infinity), result, f32x4.eq(value, f32x4.splat(Infinity)))
  return v128.bitselect(f32x4.splat(-Infinity), result, f32x4.eq(value, zero))
}

/** plog of input[0..count) into output[0..count) (float32 arrays; they may be the same). */
export function plogArray(input: usize, output: usize, count: i32): void {
  const whole = count & ~3
  for (let i = 0; i < whole; i += 4) {
    const offset = <usize>i << 2
    v128.store(output + offset, plog4(v128.load(input + offset)))
  }
  for (let i = whole; i < count; i++) {
    const offset = <usize>i << 2
    store<f32>(output + offset, f32x4.extract_lane(plog4(f32x4.splat(load<f32>(input + offset))), 0))
  }
}
