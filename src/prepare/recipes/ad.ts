/** ad01's recipe (worker threads import it). */
import {adStimulusBytes} from '../../audio/ad-features.js'
import type {Recipe} from '../make-stimulus.js'

/** ad01 stimulus bytes from a clip (whose buffer moves to the worker). */
export const recipe: Recipe<Int16Array, {bytes: Uint8Array}, undefined> = {
  module: new URL(import.meta.url),
  make: (samples) => ({bytes: adStimulusBytes(samples)}),
  transferOfTask: (samples) => [samples.buffer as ArrayBuffer],
}

