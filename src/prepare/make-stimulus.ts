/**
 * One stimulus made and written by the thread that made it (a worker, or the calling thread where there are none):
 * the main thread, which reads the source, keeps only the rows. Worker threads import this small module, not the
 * pipeline.
 */
import {sha256Hex} from '../io/hash.js'
import type {StimulusRecord} from '../manifest/schema.js'
import {stageStimulus, type StimulusStaging} from '../output/stage-stimulus.js'

/**
 * The numeric recipe of a benchmark: one stimulus from one candidate. It runs on worker threads, so it lives in a
 * small module of its own (src/prepare/recipes/), which a worker imports by `module`; the same function runs in the
 * calling thread where there are no workers, so a stimulus cannot depend on where it was made.
 */

export interface Recipe<Task, Output extends {bytes: Uint8Array}, Setup> {
  /** The module that exports this recipe as `recipe`. */
  module: URL
  /** The stimulus: `bytes` in the runner format, and whatever else the benchmark reports of it. */
  make(task: Task, setup: Setup): Output | Promise<Output>
  /** The buffers of a task that move to the worker instead of being copied (the output's bytes move back). */
  transferOfTask(task: Task): ArrayBuffer[]
}

/** A candidate's task, and its manifest row but the bytes and their hash (all known before the stimulus is made). */
export interface StimulusJob<Task> {
  task: Task
  record: Omit<StimulusRecord, 'bytes' | 'stimulusSha256'>
}

export interface MadeStimulus<Output> {
  /** What the recipe reports of the stimulus besides its bytes. */
  output: Omit<Output, 'bytes'>
  /** sha256 of the runner-format stimulus: what the pinned official hashes are of. */
  runnerSha256: string
  /** The row as written (in the model format with --format model), with its bytes. */
  written: StimulusRecord
}

export async function makeStimulus<Task, Output extends {bytes: Uint8Array}, Setup>(
  recipe: Pick<Recipe<Task, Output, Setup>, 'make'>, job: StimulusJob<Task>, setup: Setup, staging: StimulusStaging,
): Promise<MadeStimulus<Output>> {
  const {bytes, ...output} = await recipe.make(job.task, setup)
  const runnerSha256 = sha256Hex(bytes)
  const written = stageStimulus(staging, {...job.record, stimulusSha256: runnerSha256, bytes})
  return {output, runnerSha256, written}
}
