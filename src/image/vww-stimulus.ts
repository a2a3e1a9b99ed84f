/**
 * One vww01 stimulus from one source image: decode (decode.ts), then skimage ≤ 0.18's anti-aliased resize to
 * 96 × 96 with the numbers of the 2021 machine (vww-resize-plan.ts), truncated to uint8 HWC RGB: 27,648 bytes.
 * The same function runs in the calling thread and in the worker threads, so bytes never depend on where they were made.
 */
import {fileError} from '../errors.js'
import {decodeRgb} from './decode.js'
import {skimageResizeUint8} from './skimage-resize.js'
import {vwwResizePlan, type VwwResizePlan} from './vww-resize-plan.js'

/** skimage's reflect coordinate map divides by (side − 1): a side of one pixel has no defined warp. */
const MIN_SIDE = 2

export interface VwwStimulus {
  bytes: Uint8Array
  height: number
  width: number
  affineSource: VwwResizePlan['affineSource']
  kernelSource: VwwResizePlan['kernelSource']
}

export async function makeVwwStimulus(image: Uint8Array, name: string): Promise<VwwStimulus> {
  const {pixels, height, width} = await decodeRgb(image, name)
  if (height < MIN_SIDE || width < MIN_SIDE) throw fileError(name, `is ${width}×${height} pixels; resizing needs at least ${MIN_SIDE} on each side`)
  const plan = vwwResizePlan(height, width)
  return {bytes: skimageResizeUint8(pixels, height, width, plan), height, width, affineSource: plan.affineSource, kernelSource: plan.kernelSource}
}
