/** A worker thread of the vww pool (see vww-pool.ts); a bad image goes back as a UserError. */
import {serveTasks} from '../parallel/task-pool.js'
import type {VwwTask} from './vww-pool.js'
import {makeVwwStimulus, type VwwStimulus} from './vww-stimulus.js'

serveTasks<VwwTask, VwwStimulus, undefined>(({image, name}) => makeVwwStimulus(image, name), (stimulus) => [stimulus.bytes.buffer as ArrayBuffer])
