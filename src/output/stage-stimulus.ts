/**
 * Writing one made stimulus into the staging folder of a prepared folder, in the runner's or the model's format: what
 * the pipeline's worker threads import, so it stays small (no Arrow, no folder writer).
 */
import {writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

import type {BenchmarkId} from '../benchmark-ids.js'
import {fileError} from '../errors.js'
import {refusedWriteCode} from '../io/atomic-write.js'
import {fsFailure} from '../io/fs-error.js'
import {sha256Hex} from '../io/hash.js'
import type {StimulusRecord} from '../manifest/schema.js'
import {AD_WINDOW_VALUES, AD_WINDOWS, modelInputTensors, type Quantization} from '../quantization/model-input.js'

/** The quantisation a model-format stimulus is made with: the model's input tensor. */
export interface ModelInputQuantization extends Quantization {
  model: string
}

/**
 * Where the threads that make stimuli write them, and in which format: all that `stageStimulus` needs, small enough
 * to hand to a worker thread once.
 */
export interface StimulusStaging {
  folder: string
  model?: {benchmark: BenchmarkId; quantization: ModelInputQuantization}
}

/**
 * Writes one runner-format stimulus (converted with --format model) into the staging folder and returns it as
 * written. It writes synchronously: it runs on the worker thread that made the stimulus, which has nothing else to
 * do meanwhile. A file-system refusal (full, read-only) is a one-line error naming the output folder.
 */
export function stageStimulus(staging: StimulusStaging, record: StimulusRecord): StimulusRecord {
  const written = staging.model ? toModelRecord(staging.model.benchmark, record, staging.model.quantization) : record
  try {
    writeFileSync(join(staging.folder, written.file), written.bytes)
  } catch (error) {
    throw refusedWriteCode(error) ? fileError(dirname(staging.folder), `cannot write the output folder (${fsFailure(error)})`) : error
  }
  return written
}

/** A runner-format stimulus as the model's int8 input tensor(s) (ad01: its 196 windows one after another). */
export function toModelRecord(benchmark: BenchmarkId, record: StimulusRecord, quantization: ModelInputQuantization): StimulusRecord {
  const tensor = modelInputTensors(benchmark, record.bytes, quantization)
  const bytes = new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength)
  return {
    ...record,
    dtype: 'int8',
    shape: benchmark === 'ad01' ? [AD_WINDOWS, AD_WINDOW_VALUES] : record.shape,
    scale: quantization.scale,
    zeroPoint: quantization.zeroPoint,
    stimulusSha256: sha256Hex(bytes),
    bytes,
  }
}
