/**
 * A worker thread of a pool making stimuli: it imports the benchmark's recipe module. Given a staging folder (the
 * prepare pipeline) it writes each stimulus there itself and answers with its row; without one (the training
 * splits) it answers with the bytes.
 */
import {workerData} from 'node:worker_threads'

import type {StimulusStaging} from '../output/stage-stimulus.js'
import {serveTasks} from '../parallel/task-pool.js'
import {makeStimulus, type MadeStimulus, type Recipe, type StimulusJob} from './make-stimulus.js'

type Stimulus = {bytes: Uint8Array}
const {module, staging} = workerData as {module: string; staging?: StimulusStaging}
const {recipe} = (await import(module)) as {recipe: Recipe<unknown, Stimulus, unknown>}

if (staging) {
  serveTasks<StimulusJob<unknown>, MadeStimulus<Stimulus>, {setup: unknown}>(
    (job, {setup}) => makeStimulus(recipe, job, setup, staging),
    (made) => [made.written.bytes.buffer as ArrayBuffer],
  )
} else {
  serveTasks<unknown, Stimulus, {setup: unknown}>((task, {setup}) => recipe.make(task, setup), (output) => [output.bytes.buffer as ArrayBuffer])
}
