/**
 * The two passes of vww01's uint8 Gaussian (src/image/gaussian.ts: scipy's gaussian_filter on uint8, rows first,
 * truncating after each pass) as WebAssembly SIMD, two f64 lanes at a time. Each lane does exactly the scalar
 * arithmetic of gaussian.ts in the same order — `c·w₀`, then `+= (a + b)·w_t` for the offsets r…1 — and WebAssembly
 * has no fused multiply-add, so the bytes are the same.
 *
 * The memory holds no data of its own: TypeScript (src/image/gaussian-wasm.ts) lays out the image, the tap tables and
 * the outputs from HEAP_BASE up, growing the memory as images need, and passes their addresses.
 */

/** Where TypeScript may start placing buffers. */
export const HEAP_BASE: usize = (__heap_base + 15) & ~15

/** Samples (bytes) converted per step of `filterRows`. */
const ROW_STEP: i32 = 8

// @ts-ignore: decorator
@inline function low(v: v128): v128 {
  return f64x2.convert_low_i32x4_u(v)
}

// @ts-ignore: decorator
@inline function high(v: v128): v128 {
  return f64x2.convert_low_i32x4_u(v128.shuffle<i32>(v, v, 2, 3, 2, 3))
}

/** The low two lanes of each of `a` and `b`, truncated (the sums lie in [0, 256)), as four i32 lanes. */
// @ts-ignore: decorator
@inline function truncatePair(a: v128, b: v128): v128 {
  return v128.shuffle<i32>(i32x4.trunc_sat_f64x2_u_zero(a), i32x4.trunc_sat_f64x2_u_zero(b), 0, 1, 4, 5)
}

/**
 * The axis-0 pass (down the columns) for `rowCount` output rows of `rowLength` bytes. `taps` holds, per output row,
 * 1 + 2·radius byte offsets into `image`: the centre row, then the rows above and below for the offsets r…1.
 * `weights` holds radius + 1 doubles: the centre weight, then the weights of the offsets r…1.
 */
export function filterRows(image: usize, rowLength: i32, rowCount: i32, taps: usize, weights: usize, radius: i32, out: usize): void {
  const tapsPerRow = 1 + 2 * radius
  const centreWeight = f64x2.splat(load<f64>(weights))
  for (let k = 0; k < rowCount; k++) {
    const rowTaps = taps + (<usize>(k * tapsPerRow) << 2)
    const centre = image + <usize>load<i32>(rowTaps)
    const target = out + <usize>(k * rowLength)
    let i = 0
    for (; i + ROW_STEP <= rowLength; i += ROW_STEP) {
      const c = v128.load8x8_u(centre + i)
      const c0 = i32x4.extend_low_i16x8_u(c)
      const c1 = i32x4.extend_high_i16x8_u(c)
      let s0 = f64x2.mul(low(c0), centreWeight)
      let s1 = f64x2.mul(high(c0), centreWeight)
      let s2 = f64x2.mul(low(c1), centreWeight)
      let s3 = f64x2.mul(high(c1), centreWeight)
      for (let t = 0; t < radius; t++) {
        const above = image + <usize>load<i32>(rowTaps + (<usize>(1 + t) << 2))
        const below = image + <usize>load<i32>(rowTaps + (<usize>(1 + radius + t) << 2))
        const sum = i16x8.add(v128.load8x8_u(above + i), v128.load8x8_u(below + i))
        const sum0 = i32x4.extend_low_i16x8_u(sum)
        const sum1 = i32x4.extend_high_i16x8_u(sum)
        const weight = f64x2.splat(load<f64>(weights + (<usize>(1 + t) << 3)))
        s0 = f64x2.add(s0, f64x2.mul(low(sum0), weight))
        s1 = f64x2.add(s1, f64x2.mul(high(sum0), weight))
        s2 = f64x2.add(s2, f64x2.mul(low(sum1), weight))
        s3 = f64x2.add(s3, f64x2.mul(high(sum1), weight))
      }
      const words = i16x8.narrow_i32x4_u(truncatePair(s0, s1), truncatePair(s2, s3))
      v128.store64_lane(target + i, i8x16.narrow_i16x8_u(words, words), 0)
    }
    for (; i < rowLength; i++) {
      let sum = <f64>load<u8>(centre + i) * load<f64>(weights)
      for (let t = 0; t < radius; t++) {
        const above = image + <usize>load<i32>(rowTaps + (<usize>(1 + t) << 2))
        const below = image + <usize>load<i32>(rowTaps + (<usize>(1 + radius + t) << 2))
        sum += <f64>(<i32>load<u8>(above + i) + <i32>load<u8>(below + i)) * load<f64>(weights + (<usize>(1 + t) << 3))
      }
      store<u8>(target + i, <u8>(<i32>sum))
    }
  }
}

/** The three channels of one pixel in row A and in row B: bytes R G B · of A in lanes 0–3, of B in lanes 4–7. */
// @ts-ignore: decorator
@inline function pixelPair(rowA: usize, rowB: usize): v128 {
  return i16x8.extend_low_i8x16_u(v128.load32_lane(rowB, v128.load32_zero(rowA), 1))
}

/**
 * The axis-1 pass (along the rows) of `rowCount` rows of `rowLength` bytes, for `columnCount` output columns, two rows
 * at a time (lanes: row r, row r + 1; an odd last row pairs with itself). `taps` holds, per output column,
 * 1 + 2·radius byte offsets within a row: the centre pixel, then the pixels left and right for the offsets r…1.
 * Each pixel is read as four bytes, so the row pass must be followed by at least one byte of memory.
 */
export function filterColumns(rows: usize, rowLength: i32, rowCount: i32, taps: usize, columnCount: i32, weights: usize, radius: i32, out: usize): void {
  const tapsPerColumn = 1 + 2 * radius
  const outLength = columnCount * 3
  const centreWeight = f64x2.splat(load<f64>(weights))
  for (let r = 0; r < rowCount; r += 2) {
    const rowA = rows + <usize>(r * rowLength)
    const rowB = rows + <usize>(min(r + 1, rowCount - 1) * rowLength)
    const outA = out + <usize>(r * outLength)
    const outB = out + <usize>(min(r + 1, rowCount - 1) * outLength)
    for (let c = 0; c < columnCount; c++) {
      const columnTaps = taps + (<usize>(c * tapsPerColumn) << 2)
      const centre = <usize>load<i32>(columnTaps)
      const pixels = pixelPair(rowA + centre, rowB + centre)
      const a = i32x4.extend_low_i16x8_u(pixels)
      const b = i32x4.extend_high_i16x8_u(pixels)
      let red = f64x2.mul(low(v128.shuffle<i32>(a, b, 0, 4, 0, 4)), centreWeight)
      let green = f64x2.mul(low(v128.shuffle<i32>(a, b, 1, 5, 1, 5)), centreWeight)
      let blue = f64x2.mul(low(v128.shuffle<i32>(a, b, 2, 6, 2, 6)), centreWeight)
      for (let t = 0; t < radius; t++) {
        const left = <usize>load<i32>(columnTaps + (<usize>(1 + t) << 2))
        const right = <usize>load<i32>(columnTaps + (<usize>(1 + radius + t) << 2))
        const sum = i16x8.add(pixelPair(rowA + left, rowB + left), pixelPair(rowA + right, rowB + right))
        const sumA = i32x4.extend_low_i16x8_u(sum)
        const sumB = i32x4.extend_high_i16x8_u(sum)
        const weight = f64x2.splat(load<f64>(weights + (<usize>(1 + t) << 3)))
        red = f64x2.add(red, f64x2.mul(low(v128.shuffle<i32>(sumA, sumB, 0, 4, 0, 4)), weight))
        green = f64x2.add(green, f64x2.mul(low(v128.shuffle<i32>(sumA, sumB, 1, 5, 1, 5)), weight))
        blue = f64x2.add(blue, f64x2.mul(low(v128.shuffle<i32>(sumA, sumB, 2, 6, 2, 6)), weight))
      }
      const reds = i32x4.trunc_sat_f64x2_u_zero(red)
      const greens = i32x4.trunc_sat_f64x2_u_zero(green)
      const blues = i32x4.trunc_sat_f64x2_u_zero(blue)
      const targetA = outA + <usize>(c * 3)
      const targetB = outB + <usize>(c * 3)
      store<u8>(targetA, <u8>i32x4.extract_lane(reds, 0))
      store<u8>(targetA + 1, <u8>i32x4.extract_lane(greens, 0))
      store<u8>(targetA + 2, <u8>i32x4.extract_lane(blues, 0))
      store<u8>(targetB, <u8>i32x4.extract_lane(reds, 1))
      store<u8>(targetB + 1, <u8>i32x4.extract_lane(greens, 1))
      store<u8>(targetB + 2, <u8>i32x4.extract_lane(blues, 1))
    }
  }
}

/**
 * skimage's bilinear warp of the filtered pixels (src/image/skimage-resize.ts): for each output row i and column j,
 * `(1−dr)·((1−dc)·TL + dc·TR) + dr·((1−dc)·BL + dc·BR)` per channel, with the pixel values from `units` (byte → its
 * double in [0, 1]). `rowOffsets` holds per output row the byte offsets of its top and bottom filtered rows and
 * `rowWeights` its dr and 1 − dr; `columnOffsets` and `columnWeights` likewise per output column. `out` receives
 * rowCount × columnCount × 3 doubles.
 */
export function warp(
  filtered: usize, rowCount: i32, columnCount: i32, rowOffsets: usize, rowWeights: usize, columnOffsets: usize, columnWeights: usize,
  units: usize, out: usize,
): void {
  let target = out
  for (let i = 0; i < rowCount; i++) {
    const top = filtered + <usize>load<i32>(rowOffsets + (<usize>i << 3))
    const bottom = filtered + <usize>load<i32>(rowOffsets + (<usize>i << 3) + 4)
    const dr = load<f64>(rowWeights + (<usize>i << 4))
    const oneMinusDr = load<f64>(rowWeights + (<usize>i << 4) + 8)
    for (let j = 0; j < columnCount; j++) {
      const left = <usize>load<i32>(columnOffsets + (<usize>j << 3))
      const right = <usize>load<i32>(columnOffsets + (<usize>j << 3) + 4)
      const dc = load<f64>(columnWeights + (<usize>j << 4))
      const oneMinusDc = load<f64>(columnWeights + (<usize>j << 4) + 8)
      for (let c: usize = 0; c < 3; c++) {
        const upper = oneMinusDc * load<f64>(units + (<usize>load<u8>(top + left + c) << 3)) + dc * load<f64>(units + (<usize>load<u8>(top + right + c) << 3))
        const lower = oneMinusDc * load<f64>(units + (<usize>load<u8>(bottom + left + c) << 3)) + dc * load<f64>(units + (<usize>load<u8>(bottom + right + c) << 3))
        store<f64>(target, oneMinusDr * upper + dr * lower)
        target += 8
      }
    }
  }
}
