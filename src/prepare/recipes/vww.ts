/** vww01's recipe (worker threads import it). */
import {makeVwwStimulus, type VwwStimulus} from '../../image/vww-stimulus.js'
import type {Recipe} from '../make-stimulus.js'

/** One encoded image to decode and resize; `name` is what errors name. Its buffer moves to the worker. */
export interface VwwTask {
  image: Uint8Array
  name: string
}

/** Decode, then skimage's anti-aliased resize with the 2021 machine's numbers (vww-stimulus.ts). */
export const recipe: Recipe<VwwTask, VwwStimulus, undefined> = {
  module: new URL(import.meta.url),
  make: ({image, name}) => makeVwwStimulus(image, name),
  transferOfTask: ({image}) => [image.buffer as ArrayBuffer],
}

