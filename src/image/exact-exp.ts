/**
 * A correctly rounded exp: the double nearest to e^x. V8's `Math.exp` is not correctly rounded (vww-parity.md §4.2:
 * it differs on 480 of the 6,726 Gaussian kernel arguments of image sides 97–640), and one ulp in a kernel weight
 * changes stimulus bytes. Used for Gaussian kernels of image sides that the pinned table does not hold.
 *
 * The value is computed in BigInt fixed point with far more bits than the rounding needs, then rounded once to the
 * nearest double (ties to even).
 */

/** Fraction bits of the fixed-point arithmetic: ~200 bits beyond double precision, so the single rounding is exact. */
const FRACTION_BITS = 256n
const ONE = 1n << FRACTION_BITS
/** Largest |x| handled: e^x stays a normal double (no overflow, no subnormal rounding). */
const MAX_ABS_ARGUMENT = 700
const DOUBLE_MANTISSA_BITS = 53n

let ln2Fixed: bigint | undefined

/** ln 2 in fixed point, from ln 2 = 2·atanh(1/3) = 2·Σ 3^−(2k+1)/(2k+1). */
function ln2(): bigint {
  if (ln2Fixed !== undefined) return ln2Fixed
  const guard = 32n
  const unit = ONE << guard
  let power = unit / 3n
  let sum = 0n
  for (let k = 1n; power > 0n; k += 2n) {
    sum += power / k
    power /= 9n
  }
  ln2Fixed = (2n * sum) >> guard
  return ln2Fixed
}

/** x exactly as a fixed-point BigInt (x·2^FRACTION_BITS, truncated below 2^−256). */
function toFixed(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  const negative = bits >> 63n === 1n
  const exponentField = Number((bits >> 52n) & 0x7ffn)
  const fraction = bits & ((1n << 52n) - 1n)
  // x = mantissa · 2^exponent with an integer mantissa
  const mantissa = exponentField === 0 ? fraction : fraction | (1n << 52n)
  const exponent = BigInt((exponentField === 0 ? 1 : exponentField) - 1075)
  const shift = exponent + FRACTION_BITS
  const magnitude = shift >= 0n ? mantissa << shift : mantissa >> -shift
  return negative ? -magnitude : magnitude
}

function bitLength(value: bigint): bigint {
  return BigInt(value.toString(2).length)
}

/** value·2^exponent rounded to the nearest double, ties to even; value > 0 and the result a normal double. */
function roundToDouble(value: bigint, exponent: bigint): number {
  const drop = bitLength(value) - DOUBLE_MANTISSA_BITS
  if (drop <= 0n) return Number(value) * 2 ** Number(exponent)
  let mantissa = value >> drop
  const rest = value - (mantissa << drop)
  const half = 1n << (drop - 1n)
  if (rest > half || (rest === half && (mantissa & 1n) === 1n)) mantissa += 1n
  return Number(mantissa) * 2 ** Number(exponent + drop)
}

/** e^x correctly rounded to a double, for |x| ≤ 700. */
export function exactExp(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > MAX_ABS_ARGUMENT) throw new RangeError(`exactExp: ${x} is outside ±${MAX_ABS_ARGUMENT}`)
  if (x === 0) return 1
  // e^x = 2^k · e^r with |r| ≤ ln2/2, and e^r by its Taylor series.
  const k = Math.round(x / Math.LN2)
  const r = toFixed(x) - BigInt(k) * ln2()
  let sum = ONE
  let term = ONE
  for (let n = 1n; term !== 0n; n++) {
    term = (term * r) / (n << FRACTION_BITS)
    sum += term
  }
  return roundToDouble(sum, BigInt(k) - FRACTION_BITS)
}
