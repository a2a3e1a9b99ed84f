/** A worker thread of the ad01 stimulus pool (see ad-pool.ts). */
import {adStimulusBytes} from '../audio/ad-features.js'
import {serveTasks} from '../parallel/task-pool.js'

serveTasks<Int16Array, Uint8Array, undefined>(adStimulusBytes, (bytes) => [bytes.buffer as ArrayBuffer])
