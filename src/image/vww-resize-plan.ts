/**
 * The per-shape numbers of the vww01 resize (vww-parity.md §1.2, §1.4, §4.2–4.3), from the two pinned tables in
 * manifests/vww01/ (copies of ../shared/tables/):
 *
 * - `vww_affine_M.json`: the affine parameters that the 2021 machine's SVD produced for each of the 603 val2017
 *   image shapes. For another shape the exact-arithmetic values are used, which get about 96 % of bytes right.
 * - `vww_gauss_kernels.json`: the Gaussian weights for input sides 97–640, made with a correctly rounded exp. Other
 *   sides get the same computation here (`gaussianKernel` with `exactExp`).
 */
import {readFileSync} from 'node:fs'

import {packageFile} from '../package-files.js'
import {antiAliasSigma, filtersAxis, gaussianKernel, type HalfKernel} from './gaussian.js'
import type {ResizePlan} from './skimage-resize.js'
import {idealAffine, type AffineParameters} from './warp.js'

/** vww01 stimuli are 96 × 96 × 3 (stimuli.md §2.2). */
export const VWW_SIDE = 96
export const AFFINE_TABLE = 'manifests/vww01/vww_affine_M.json'
export const KERNEL_TABLE = 'manifests/vww01/vww_gauss_kernels.json'

/** Where a shape's numbers came from: the pinned tables, or computed here for a shape the tables lack. */
export interface VwwResizePlan extends ResizePlan {
  affineSource: 'table' | 'ideal'
  kernelSource: 'table' | 'computed' | 'none'
}

interface AffineTableFile {
  /** "HxW" → [M00, M02, M11, M12] as exact decimal strings. */
  M_dec: Record<string, [string, string, string, string]>
}
interface KernelTableFile {
  /** input side → the half kernel from the centre out, as exact decimal strings. */
  kernels: Record<string, {w_center_out: string[]}>
}

let affineTable: Map<string, AffineParameters> | undefined
let kernelTable: Map<number, HalfKernel> | undefined
const plans = new Map<string, VwwResizePlan>()
const computedKernels = new Map<number, HalfKernel>()

function loadAffineTable(): Map<string, AffineParameters> {
  const file = JSON.parse(readFileSync(packageFile(AFFINE_TABLE), 'utf8')) as AffineTableFile
  // Number() of these shortest round-trip strings gives the exact doubles.
  return new Map(
    Object.entries(file.M_dec).map(([shape, [m00, m02, m11, m12]]) => [
      shape,
      {columnScale: Number(m00), columnOffset: Number(m02), rowScale: Number(m11), rowOffset: Number(m12)},
    ]),
  )
}

function loadKernelTable(): Map<number, HalfKernel> {
  const file = JSON.parse(readFileSync(packageFile(KERNEL_TABLE), 'utf8')) as KernelTableFile
  return new Map(Object.entries(file.kernels).map(([side, {w_center_out}]) => [Number(side), Float64Array.from(w_center_out, Number)]))
}

/** The pinned affine parameters of a shape, if the table holds it. */
export function tableAffine(height: number, width: number): AffineParameters | undefined {
  affineTable ??= loadAffineTable()
  return affineTable.get(`${height}x${width}`)
}

/** The pinned Gaussian half kernel of an input side, if the table holds it. */
export function tableKernel(side: number): HalfKernel | undefined {
  kernelTable ??= loadKernelTable()
  return kernelTable.get(side)
}

function axisKernel(side: number): {kernel: HalfKernel | undefined; source: VwwResizePlan['kernelSource']} {
  const sigma = antiAliasSigma(side, VWW_SIDE)
  if (!filtersAxis(sigma)) return {kernel: undefined, source: 'none'}
  const pinned = tableKernel(side)
  if (pinned) return {kernel: pinned, source: 'table'}
  let computed = computedKernels.get(side)
  if (!computed) computedKernels.set(side, (computed = gaussianKernel(sigma)))
  return {kernel: computed, source: 'computed'}
}

/** Everything resizing an image of this shape to 96 × 96 needs, cached per shape. */
export function vwwResizePlan(height: number, width: number): VwwResizePlan {
  const key = `${height}x${width}`
  const cached = plans.get(key)
  if (cached) return cached
  const rows = axisKernel(height)
  const columns = axisKernel(width)
  const pinnedAffine = tableAffine(height, width)
  const sources = [rows.source, columns.source]
  const plan: VwwResizePlan = {
    outputSize: VWW_SIDE,
    rowKernel: rows.kernel,
    columnKernel: columns.kernel,
    affine: pinnedAffine ?? idealAffine(height, width, VWW_SIDE),
    affineSource: pinnedAffine ? 'table' : 'ideal',
    kernelSource: sources.includes('computed') ? 'computed' : sources.includes('table') ? 'table' : 'none',
  }
  plans.set(key, plan)
  return plan
}
