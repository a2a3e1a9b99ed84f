/** A worker thread of the kws stimulus pool (see stimulus-pool.ts). */
import {kws01} from '../../datasets/kws01.js'
import {serveTasks} from '../parallel/task-pool.js'
import {makeKwsStimulus} from './kws-stimulus.js'
import type {KwsStimulusSetup} from './stimulus-pool.js'

serveTasks<Int16Array, Uint8Array, KwsStimulusSetup>(
  (samples, {variant, quantization, precision}) => makeKwsStimulus(samples, kws01.variants[variant], quantization, precision),
  (bytes) => [bytes.buffer as ArrayBuffer],
)
