/** The vww training recipe: a Silicon Labs image as Keras loads it, the 96 × 96 RGB pixels themselves (worker threads import it). */
import {decodeRgb} from '../../image/decode.js'
import {fileError} from '../../errors.js'
import type {Recipe} from '../../prepare/pipeline.js'

export interface VwwImageTask {
  image: Uint8Array
  name: string
  side: number
}

/**
 * Keras' load_img with target_size (96, 96) resizes only an image of another size; the archive's images are 96 × 96
 * already, and another size is refused rather than resized by a rule not reproduced here.
 */
export const recipe: Recipe<VwwImageTask, {bytes: Uint8Array}, undefined> = {
  module: new URL(import.meta.url),
  async make({image, name, side}) {
    const decoded = await decodeRgb(image, name)
    if (decoded.width !== side || decoded.height !== side) {
      throw fileError(name, `is ${decoded.width} × ${decoded.height}; the Silicon Labs training images are ${side} × ${side}`)
    }
    return {bytes: decoded.pixels}
  },
  transferOfTask: ({image}) => [image.buffer as ArrayBuffer],
}
