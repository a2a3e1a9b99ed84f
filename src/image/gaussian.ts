/**
 * The anti-aliasing Gaussian of scikit-image ≤ 0.18 `resize`, which calls `scipy.ndimage.gaussian_filter` on the
 * **uint8** image (vww-parity.md §1.2): one 1-D pass per axis, rows (axis 0) first, each pass accumulating in double
 * precision and truncating back to uint8, with the `mirror` boundary. The order of the floating-point operations is
 * scipy's, so the bytes are too.
 */
import {exactExp} from './exact-exp.js'

/** Interleaved RGB: the images here are height × width × 3 (HWC). */
export const CHANNELS = 3
/** scipy's gaussian_filter `truncate` default: the kernel reaches 4σ (radius `int(4σ + 0.5)`). */
const TRUNCATE_SIGMAS = 4
/** gaussian_filter leaves an axis alone when its σ is at most this (scipy ndimage `_gaussian.py`). */
const SKIPPED_SIGMA = 1e-15
/** numpy's pairwise summation: below this many values a plain loop; above PAIRWISE_BLOCK a recursive split. */
const PAIRWISE_UNROLL = 8
const PAIRWISE_BLOCK = 128

/**
 * One half of a symmetric kernel, from the centre out: `weights[k]` multiplies the samples at offsets ±k, and the
 * radius is `weights.length − 1`.
 */
export type HalfKernel = Float64Array

/** skimage ≤ 0.18 anti-aliasing σ of an axis: `max(0, (in/out − 1)/2)` (vww-parity.md §1.2). */
export function antiAliasSigma(inputSize: number, outputSize: number): number {
  return Math.max(0, (inputSize / outputSize - 1) / 2)
}

/** Whether gaussian_filter filters an axis of this σ at all. */
export function filtersAxis(sigma: number): boolean {
  return sigma > SKIPPED_SIGMA
}

/**
 * scipy's `_gaussian_kernel1d(σ, 0, radius)`: `φ[k] = exp((−0.5/σ²)·k²)` for k = −r…r, divided by its sum taken in
 * numpy's pairwise order. With a correctly rounded exp this equals the pinned table (checked in the tests).
 */
export function gaussianKernel(sigma: number): HalfKernel {
  const radius = Math.trunc(TRUNCATE_SIGMAS * sigma + 0.5)
  const coefficient = -0.5 / (sigma * sigma)
  const phi = new Float64Array(2 * radius + 1)
  for (let k = -radius; k <= radius; k++) phi[k + radius] = exactExp(coefficient * (k * k))
  const sum = pairwiseSum(phi)
  return Float64Array.from({length: radius + 1}, (_, k) => phi[radius + k]! / sum)
}

/** numpy's `np.sum` order for a contiguous float64 array (`pairwise_sum` in numpy's loops). */
export function pairwiseSum(values: Float64Array): number {
  const n = values.length
  if (n < PAIRWISE_UNROLL) {
    let sum = 0
    for (let i = 0; i < n; i++) sum += values[i]!
    return sum
  }
  if (n <= PAIRWISE_BLOCK) {
    const partial = values.slice(0, PAIRWISE_UNROLL)
    let i = PAIRWISE_UNROLL
    for (; i < n - (n % PAIRWISE_UNROLL); i += PAIRWISE_UNROLL) {
      for (let j = 0; j < PAIRWISE_UNROLL; j++) partial[j]! += values[i + j]!
    }
    let sum = ((partial[0]! + partial[1]!) + (partial[2]! + partial[3]!)) + ((partial[4]! + partial[5]!) + (partial[6]! + partial[7]!))
    for (; i < n; i++) sum += values[i]!
    return sum
  }
  let half = n >> 1
  half -= half % PAIRWISE_UNROLL
  return pairwiseSum(values.subarray(0, half)) + pairwiseSum(values.subarray(half))
}

/** ndimage `mirror` boundary: x[−k] = x[k], x[n−1+k] = x[n−1−k] (one reflection; kernels here are far shorter than the axis). */
export function mirrorIndex(index: number, size: number): number {
  if (index < 0) return -index
  if (index >= size) return 2 * (size - 1) - index
  return index
}

/**
 * The axis-0 pass (down the columns) for the listed output rows: `out` receives `rows.length` rows of width × 3 bytes.
 * Without a kernel (σ ≈ 0) the rows are copied.
 */
export function filterRows(image: Uint8Array, height: number, width: number, kernel: HalfKernel | undefined, rows: Int32Array, out: Uint8Array): void {
  const rowLength = width * CHANNELS
  if (!kernel) {
    rows.forEach((y, k) => out.set(image.subarray(y * rowLength, (y + 1) * rowLength), k * rowLength))
    return
  }
  const radius = kernel.length - 1
  const centreWeight = kernel[0]!
  // Offsets r…1 in scipy's order: the row offsets above and below, and their weight.
  const above = new Int32Array(radius)
  const below = new Int32Array(radius)
  const weights = Float64Array.from({length: radius}, (_, t) => kernel[radius - t]!)
  for (let k = 0; k < rows.length; k++) {
    const y = rows[k]!
    for (let t = 0; t < radius; t++) {
      above[t] = mirrorIndex(y - (radius - t), height) * rowLength
      below[t] = mirrorIndex(y + (radius - t), height) * rowLength
    }
    const centre = y * rowLength
    const target = k * rowLength
    // Two pixels (six samples) at a time in registers: this loop is where the vww pipeline spends most of its time,
    // and the shared offsets and weights are loaded once for both. Each sample still sees centre, then offsets r…1.
    let i = 0
    for (; i + 2 * CHANNELS <= rowLength; i += 2 * CHANNELS) {
      const c = centre + i
      let s0 = image[c]! * centreWeight
      let s1 = image[c + 1]! * centreWeight
      let s2 = image[c + 2]! * centreWeight
      let s3 = image[c + 3]! * centreWeight
      let s4 = image[c + 4]! * centreWeight
      let s5 = image[c + 5]! * centreWeight
      for (let t = 0; t < radius; t++) {
        const a = above[t]! + i
        const b = below[t]! + i
        const weight = weights[t]!
        s0 += (image[a]! + image[b]!) * weight
        s1 += (image[a + 1]! + image[b + 1]!) * weight
        s2 += (image[a + 2]! + image[b + 2]!) * weight
        s3 += (image[a + 3]! + image[b + 3]!) * weight
        s4 += (image[a + 4]! + image[b + 4]!) * weight
        s5 += (image[a + 5]! + image[b + 5]!) * weight
      }
      // A Uint8Array store truncates toward zero, like scipy's C cast (the sums lie in [0, 256)).
      out[target + i] = s0
      out[target + i + 1] = s1
      out[target + i + 2] = s2
      out[target + i + 3] = s3
      out[target + i + 4] = s4
      out[target + i + 5] = s5
    }
    // The last pixel of an odd width.
    for (; i < rowLength; i++) {
      let sum = image[centre + i]! * centreWeight
      for (let t = 0; t < radius; t++) sum += (image[above[t]! + i]! + image[below[t]! + i]!) * weights[t]!
      out[target + i] = sum
    }
  }
}

/**
 * The axis-1 pass (along the rows) of `rowCount` rows of width × 3 bytes, for the listed output columns: `out`
 * receives rowCount × columns.length × 3 bytes. Without a kernel the columns are picked as they are.
 */
export function filterColumns(
  rowsIn: Uint8Array,
  rowCount: number,
  width: number,
  kernel: HalfKernel | undefined,
  columns: Int32Array,
  out: Uint8Array,
): void {
  const rowLength = width * CHANNELS
  const outLength = columns.length * CHANNELS
  if (!kernel) {
    for (let r = 0; r < rowCount; r++) {
      columns.forEach((x, c) => out.set(rowsIn.subarray(r * rowLength + x * CHANNELS, r * rowLength + (x + 1) * CHANNELS), r * outLength + c * CHANNELS))
    }
    return
  }
  const radius = kernel.length - 1
  const centreWeight = kernel[0]!
  const weights = Float64Array.from({length: radius}, (_, t) => kernel[radius - t]!)
  // Byte offsets of the left and right neighbours of every output column, for offsets r…1 in scipy's order.
  const left = new Int32Array(columns.length * radius)
  const right = new Int32Array(columns.length * radius)
  columns.forEach((x, c) => {
    for (let t = 0; t < radius; t++) {
      left[c * radius + t] = mirrorIndex(x - (radius - t), width) * CHANNELS
      right[c * radius + t] = mirrorIndex(x + (radius - t), width) * CHANNELS
    }
  })
  // Two rows at a time, sharing the loads of the offsets and weights (the last row of an odd count pairs with itself).
  for (let r = 0; r < rowCount; r += 2) {
    const row = r * rowLength
    const nextRow = Math.min(r + 1, rowCount - 1) * rowLength - row
    const outRow = r * outLength
    const nextOutRow = Math.min(r + 1, rowCount - 1) * outLength
    for (let c = 0; c < columns.length; c++) {
      const centre = row + columns[c]! * CHANNELS
      let red = rowsIn[centre]! * centreWeight
      let green = rowsIn[centre + 1]! * centreWeight
      let blue = rowsIn[centre + 2]! * centreWeight
      let nextRed = rowsIn[centre + nextRow]! * centreWeight
      let nextGreen = rowsIn[centre + nextRow + 1]! * centreWeight
      let nextBlue = rowsIn[centre + nextRow + 2]! * centreWeight
      const taps = c * radius
      for (let t = 0; t < radius; t++) {
        const a = row + left[taps + t]!
        const b = row + right[taps + t]!
        const weight = weights[t]!
        red += (rowsIn[a]! + rowsIn[b]!) * weight
        green += (rowsIn[a + 1]! + rowsIn[b + 1]!) * weight
        blue += (rowsIn[a + 2]! + rowsIn[b + 2]!) * weight
        nextRed += (rowsIn[a + nextRow]! + rowsIn[b + nextRow]!) * weight
        nextGreen += (rowsIn[a + nextRow + 1]! + rowsIn[b + nextRow + 1]!) * weight
        nextBlue += (rowsIn[a + nextRow + 2]! + rowsIn[b + nextRow + 2]!) * weight
      }
      const target = outRow + c * CHANNELS
      out[target] = red
      out[target + 1] = green
      out[target + 2] = blue
      const nextTarget = nextOutRow + c * CHANNELS
      out[nextTarget] = nextRed
      out[nextTarget + 1] = nextGreen
      out[nextTarget + 2] = nextBlue
    }
  }
}

/** 0, 1, …, n − 1: every row or column. */
export function allIndices(n: number): Int32Array {
  return Int32Array.from({length: n}, (_, i) => i)
}

/**
 * The whole filtered image (both passes on every pixel): what the clip needs when the sampled pixels cannot settle the
 * image's extremes, and the tests' reference for the sampled path.
 */
export function gaussianFilterUint8(image: Uint8Array, height: number, width: number, rowKernel: HalfKernel | undefined, columnKernel: HalfKernel | undefined): Uint8Array {
  const rowsFiltered = new Uint8Array(image.length)
  filterRows(image, height, width, rowKernel, allIndices(height), rowsFiltered)
  const filtered = new Uint8Array(image.length)
  filterColumns(rowsFiltered, height, width, columnKernel, allIndices(width), filtered)
  return filtered
}
