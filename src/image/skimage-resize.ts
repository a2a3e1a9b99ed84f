/**
 * `(255 · skimage.transform.resize(I, (n, n), anti_aliasing=True)).astype(uint8)` as scikit-image ≤ 0.18 computes it
 * (vww-parity.md §1): the uint8 Gaussian, `img = F·(1/255)`, the bilinear warp, clipping to the filtered image's
 * extremes, and truncation of 255·v.
 *
 * Only the filtered pixels that the warp reads are computed: the axis-0 pass on the ≤ 2n rows it samples, the axis-1
 * pass on the ≤ 2n columns of those rows. The one global quantity, the filtered image's minimum and maximum for the
 * clip, is settled without the whole image in nearly every case (see `clipBounds`). The passes and the warp run in
 * WebAssembly (resize-wasm.ts).
 */
import {CHANNELS, gaussianFilterUint8, type HalfKernel} from './gaussian.js'
import {filterAndWarp} from './resize-wasm.js'
import {sampleAxis, type AffineParameters} from './warp.js'

/** What resizing one image shape needs: its two Gaussian kernels (undefined for an axis left alone) and affine parameters. */
export interface ResizePlan {
  outputSize: number
  rowKernel: HalfKernel | undefined
  columnKernel: HalfKernel | undefined
  affine: AffineParameters
}

const UINT8_MAX = 255
/** img_as_float multiplies by the double 1/255; it does not divide (vww-parity.md §1.3). */
const TO_UNIT = 1 / UINT8_MAX
const UNIT_OF_BYTE = Float64Array.from({length: UINT8_MAX + 1}, (_, byte) => byte * TO_UNIT)

/** Resizes an HWC RGB uint8 image to outputSize × outputSize × 3 uint8 bytes. */
export function skimageResizeUint8(image: Uint8Array, height: number, width: number, plan: ResizePlan): Uint8Array {
  const size = plan.outputSize
  const rows = sampleAxis(plan.affine.rowScale, plan.affine.rowOffset, height, size)
  const columns = sampleAxis(plan.affine.columnScale, plan.affine.columnOffset, width, size)
  const sampledRows = distinctSorted(rows.low, rows.high)
  const sampledColumns = distinctSorted(columns.low, columns.high)

  // Byte offsets into the filtered pixels of each output row's two sampled rows and each output column's two sampled
  // columns, with their weights.
  const filteredRowLength = sampledColumns.length * CHANNELS
  const {filtered, values} = filterAndWarp(image, height, width, plan.rowKernel, plan.columnKernel, sampledRows, sampledColumns, {
    rowOffsets: interleave(rows.low.map((y) => slotOf(sampledRows, y) * filteredRowLength), rows.high.map((y) => slotOf(sampledRows, y) * filteredRowLength)),
    rowWeights: interleave(rows.fraction, rows.complement),
    columnOffsets: interleave(columns.low.map((x) => slotOf(sampledColumns, x) * CHANNELS), columns.high.map((x) => slotOf(sampledColumns, x) * CHANNELS)),
    columnWeights: interleave(columns.fraction, columns.complement),
    units: UNIT_OF_BYTE,
  })
  const {low, high} = clipBounds(values, filtered, () => gaussianFilterUint8(image, height, width, plan.rowKernel, plan.columnKernel))
  return clipAndTruncate(values, low, high)
}

// The loops below are functions of their own, called once per image: a hot loop inside the function above would be
// compiled on the stack (OSR) and thrown away again for every image.

/** numpy's clip, then `(255·v).astype(uint8)`: the store truncates toward zero (255·v lies in [0, 255]). */
function clipAndTruncate(values: Float64Array, low: number, high: number): Uint8Array {
  const out = new Uint8Array(values.length)
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!
    out[k] = UINT8_MAX * (v < low ? low : v > high ? high : v)
  }
  return out
}

/**
 * A clip interval that gives the bytes of skimage's `_clip_warp_output`, which clips to [min(img), max(img)] over the
 * whole filtered image.
 *
 * The sampled pixels are filtered pixels, so the global extremes lie beyond the sampled ones: gMin ≤ sMin and
 * gMax ≥ sMax. A warped value within [sMin, sMax] is therefore never clipped, and clipping to the sampled extremes
 * gives the same bytes. A value above sMax (one ulp, from `(1−d)·a + d·a` on a flat patch) is clipped to gMax,
 * which equals sMax when sMax is 255; likewise below sMin with 0. Otherwise gMax is either sMax, which clips the
 * value, or above it, which leaves it (the value lies far below the next byte's level): where its byte is the same
 * either way, as it mostly is above sMax, the sampled extremes still give the right bytes. Only otherwise is the
 * whole image filtered to find the true extreme.
 */
export function clipBounds(values: Float64Array, sampled: Uint8Array, filterWholeImage: () => Uint8Array): {low: number; high: number} {
  const sampledExtremes = extremes(sampled)
  const low = UNIT_OF_BYTE[sampledExtremes.min]!
  const high = UNIT_OF_BYTE[sampledExtremes.max]!
  const range = valueRange(values)
  const aboveUnsettled = range.max > high && sampledExtremes.max < UINT8_MAX
  const belowUnsettled = range.min < low && sampledExtremes.min > 0
  if (!(aboveUnsettled || belowUnsettled) || clippingKeepsBytes(values, low, high)) return {low, high}
  const {min, max} = extremes(filterWholeImage())
  return {low: UNIT_OF_BYTE[min]!, high: UNIT_OF_BYTE[max]!}
}

/** Whether every value outside [low, high] gives the same byte clipped to the interval as unclipped. */
function clippingKeepsBytes(values: Float64Array, low: number, high: number): boolean {
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!
    if (v > high ? Math.trunc(UINT8_MAX * v) !== Math.trunc(UINT8_MAX * high) : v < low && Math.trunc(UINT8_MAX * v) !== Math.trunc(UINT8_MAX * low)) return false
  }
  return true
}

function valueRange(values: Float64Array): {min: number; max: number} {
  let min = Infinity
  let max = -Infinity
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!
    if (v < min) min = v
    if (v > max) max = v
  }
  return {min, max}
}

function extremes(bytes: Uint8Array): {min: number; max: number} {
  let min = UINT8_MAX
  let max = 0
  for (let k = 0; k < bytes.length; k++) {
    const byte = bytes[k]!
    if (byte < min) min = byte
    if (byte > max) max = byte
  }
  return {min, max}
}

/** a[0], b[0], a[1], b[1], … */
function interleave<T extends Int32Array | Float64Array>(a: T, b: T): T {
  const both = new (a.constructor as new (length: number) => T)(2 * a.length)
  for (let k = 0; k < a.length; k++) {
    both[2 * k] = a[k]!
    both[2 * k + 1] = b[k]!
  }
  return both
}

/** The distinct values of both arrays, ascending. */
function distinctSorted(a: Int32Array, b: Int32Array): Int32Array {
  return Int32Array.from(new Set([...a, ...b])).sort()
}

/** Position of `value` in the ascending `sorted` (it is there by construction). */
function slotOf(sorted: Int32Array, value: number): number {
  let low = 0
  let high = sorted.length - 1
  while (low < high) {
    const middle = (low + high) >> 1
    if (sorted[middle]! < value) low = middle + 1
    else high = middle
  }
  return low
}
