/** ic01's recipe. */
import {planarToHwc} from '../../image/cifar.js'
import type {Recipe} from '../make-stimulus.js'

/** ic01's stimulus: the record's planar pixels interleaved (HWC); cheap enough for the calling thread. */
export const recipe: Recipe<Uint8Array, {bytes: Uint8Array}, undefined> = {
  module: new URL(import.meta.url),
  make: (planar) => ({bytes: planarToHwc(planar)}),
  transferOfTask: () => [],
}

