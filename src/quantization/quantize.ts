/**
 * Quantisation of kws features to stimulus bytes exactly as make_bin_files.py does under numpy 1.x on x86
 * (stimuli.md §1.4, kws-float32-parity.md §2 step 9): `np.array(dat / scale + zero_point, dtype=T)`, where dat is
 * float32 and the Python scalars are cast to float32, so
 *   v = f32(f32(value / f32(scale)) + zeroPoint),
 * then the cast truncates toward zero (cvttss2si to int32) and keeps the low byte: no rounding, no clipping, values
 * out of range wrap modulo 256 (133.08 → −123).
 * NaN, ±∞ and anything outside the int32 range make cvttss2si return 0x80000000, whose low byte is 0: such values
 * give the byte 0 in both signed and unsigned output.
 */

const f32 = Math.fround

/** cvttss2si on the float32 v: truncation toward zero, 0x80000000 for NaN, ±∞ and out-of-range values. */
function convertTruncating(v: number): number {
  return v >= -2147483648 && v < 2147483648 ? Math.trunc(v) | 0 : -2147483648
}

function scaled(value: number, scale32: number, zeroPoint32: number): number {
  return f32(f32(f32(value) / scale32) + zeroPoint32)
}

/** np.int8 stimulus bytes of float32 features. */
export function quantizeInt8(values: ArrayLike<number>, scale: number, zeroPoint: number): Int8Array {
  const scale32 = f32(scale)
  const zeroPoint32 = f32(zeroPoint)
  const out = new Int8Array(values.length)
  // Int8Array stores modulo 256, keeping the low byte as the cast does.
  for (let i = 0; i < values.length; i++) out[i] = convertTruncating(scaled(values[i], scale32, zeroPoint32))
  return out
}

/**
 * np.uint8 stimulus bytes. For lfbe, f32(1/255) is slightly above 1/255, so v = 1.0 gives 254.99998 → 254 and 255
 * never occurs (stimuli.md §1.4).
 */
export function quantizeUint8(values: ArrayLike<number>, scale: number, zeroPoint: number): Uint8Array {
  const scale32 = f32(scale)
  const zeroPoint32 = f32(zeroPoint)
  const out = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) out[i] = convertTruncating(scaled(values[i], scale32, zeroPoint32))
  return out
}
