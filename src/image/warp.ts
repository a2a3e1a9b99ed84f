/**
 * The bilinear warp of scikit-image ≤ 0.18 `resize` (`_warp_fast`, order 1, in plain double arithmetic; vww-parity.md
 * §1.5): output column j samples input column `c = M00·j + M02`, output row i samples input row `r = M11·i + M12`, and
 * `v = (1−dr)·((1−dc)·TL + dc·TR) + dr·((1−dc)·BL + dc·BR)`, evaluated in assembly/image.ts. WebAssembly doubles
 * contract nothing into FMAs, so the same expression in the same order gives the same bits as the compiled Cython.
 */

/**
 * The affine parameters resize() uses for one image shape: its AffineTransform, with the off-diagonal terms zeroed
 * (vww-parity.md §1.4). Estimated by an SVD, they carry last-bit noise that decides bytes.
 */
export interface AffineParameters {
  /** M00: input columns per output column. */
  columnScale: number
  /** M02 */
  columnOffset: number
  /** M11: input rows per output row. */
  rowScale: number
  /** M12 */
  rowOffset: number
}

/** The exact-arithmetic parameters (W/out, W/(2·out) − 0.5, H/out, H/(2·out) − 0.5): about 96 % of bytes right. */
export function idealAffine(height: number, width: number, outputSize: number): AffineParameters {
  const columnScale = width / outputSize
  const rowScale = height / outputSize
  return {columnScale, columnOffset: columnScale * 0.5 - 0.5, rowScale, rowOffset: rowScale * 0.5 - 0.5}
}

/**
 * skimage's `coord_map` for mode 'R' (numpy `reflect`, which resize() passes to warp): a coordinate outside [0, n)
 * is mirrored about the edge pixels. Only images smaller than the output on a side reach outside.
 */
export function reflectCoordinate(coordinate: number, size: number): number {
  const last = size - 1
  if (coordinate < 0) {
    const wraps = Math.trunc(-coordinate / last)
    return wraps % 2 !== 0 ? last - (-coordinate % last) : -coordinate % last
  }
  if (coordinate > last) {
    const wraps = Math.trunc(coordinate / last)
    return wraps % 2 !== 0 ? last - (coordinate % last) : coordinate % last
  }
  return coordinate
}

/** Where each output row (or column) samples: its two input indices (already mirrored) and weights. */
export interface SampleAxis {
  low: Int32Array
  high: Int32Array
  /** dr (or dc): the weight of `high`. */
  fraction: Float64Array
  /** 1 − fraction, the weight of `low`, rounded as skimage rounds it. */
  complement: Float64Array
}

export function sampleAxis(scale: number, offset: number, inputSize: number, outputSize: number): SampleAxis {
  const axis: SampleAxis = {
    low: new Int32Array(outputSize),
    high: new Int32Array(outputSize),
    fraction: new Float64Array(outputSize),
    complement: new Float64Array(outputSize),
  }
  for (let k = 0; k < outputSize; k++) {
    const position = scale * k + offset
    const floor = Math.floor(position)
    const fraction = position - floor
    axis.low[k] = reflectCoordinate(floor, inputSize)
    axis.high[k] = reflectCoordinate(Math.ceil(position), inputSize)
    axis.fraction[k] = fraction
    axis.complement[k] = 1 - fraction
  }
  return axis
}
