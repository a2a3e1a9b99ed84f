/** A worker thread of the pipeline's pool: it imports the benchmark's recipe module and makes stimuli with it. */
import {workerData} from 'node:worker_threads'

import {serveTasks} from '../parallel/task-pool.js'
import type {Recipe} from './pipeline.js'

const {module} = workerData as {module: string}
const {recipe} = (await import(module)) as {recipe: Recipe<unknown, {bytes: Uint8Array}, unknown>}

serveTasks<unknown, {bytes: Uint8Array}, {setup: unknown}>(
  (task, {setup}) => recipe.make(task, setup),
  (output) => [output.bytes.buffer as ArrayBuffer],
)
