/**
 * `prepare <benchmark> --format model`: the int8 input tensors the model is fed, instead of the runner's stimuli, for
 * device harnesses and simulators that take the model's input directly. The conversion is the one `infer` applies
 * (model-input.ts); the manifest records the format and the quantisation used.
 */

import {basename, posix} from 'node:path'

import type {ManifestMetadata, ManifestRow} from '../manifest/schema.js'
import {MANIFEST_FILE, type Placement, type RunnerFolderContents, RunnerFolderWriter} from './runner-folder.js'

import {formatYLabels} from '../formats/y-labels.js'
import {int8Tensor, readTfliteInputFile} from '../quantization/tflite.js'
import {UserError} from '../errors.js'
import {BENCHMARK_IDS, type BenchmarkId} from '../benchmark-ids.js'
import {AD_WINDOW_VALUES, AD_WINDOWS, RUNNER_STIMULUS_BYTES} from '../quantization/model-input.js'
import {type ModelInputQuantization, type StimulusStaging, toModelRecord} from './stage-stimulus.js'

export type {ModelInputQuantization} from './stage-stimulus.js'

export const STIMULUS_FORMATS = ['runner', 'model'] as const
export type StimulusFormat = (typeof STIMULUS_FORMATS)[number]

/** Bytes of one model-format stimulus: ad01's 196 windows of 640 int8, otherwise one byte per runner byte. */
export function modelTensorBytes(benchmark: BenchmarkId): number {
  return benchmark === 'ad01' ? AD_WINDOWS * AD_WINDOW_VALUES : RUNNER_STIMULUS_BYTES[benchmark]
}

/** Reads the input quantisation of an int8 model, the one `--format model` quantises ad01 windows with. */
export async function modelInputQuantization(modelFile: string): Promise<ModelInputQuantization> {
  const input = int8Tensor(await readTfliteInputFile(modelFile), 'input', modelFile, '--format model writes int8 tensors')
  return {model: basename(modelFile), scale: input.scale, zeroPoint: input.zeroPoint}
}

/**
 * The runner folder contents turned into model-input tensors: each .bin becomes the int8 tensor(s) of its stimulus
 * (ad01: its 196 windows one after another), and y_labels.csv of ad01 gives the window and stride in the new bytes.
 */
export function toModelFormat(
  benchmark: BenchmarkId, contents: RunnerFolderContents, quantization: ModelInputQuantization,
): RunnerFolderContents {
  const records = contents.records.map((record) => toModelRecord(benchmark, record, quantization))
  return {records, yLabels: modelYLabels(benchmark, records, contents.yLabels), meta: modelMeta(benchmark, contents.meta, quantization)}
}

function modelYLabels(benchmark: BenchmarkId, rows: readonly ManifestRow[], runnerYLabels: string): string {
  if (benchmark !== 'ad01') return runnerYLabels
  // Each window is its own tensor: the runner slices the model-format file into them without overlap.
  return formatYLabels(rows, 2, {bytes: AD_WINDOW_VALUES, strideBytes: AD_WINDOW_VALUES})
}

function modelMeta(benchmark: BenchmarkId, meta: ManifestMetadata, quantization: ModelInputQuantization): ManifestMetadata {
  const recipe = {
    ...meta.recipe,
    format: 'model',
    model_input: {model: quantization.model, scale: quantization.scale, zero_point: quantization.zeroPoint, conversion: CONVERSIONS[benchmark]},
  }
  return {...meta, recipe}
}

const CONVERSIONS: Record<BenchmarkId, string> = {
  kws01: 'the runner bytes, read as int8',
  vww01: 'uint8 − 128',
  ic01: 'uint8 − 128',
  ad01: '196 windows of 640 float32 (stride 128 values), each round(x / scale) + zero_point, half away from zero, clamped',
}

/** What every prepare result says of the folder it wrote: where, in which format, and its manifest. */
export interface WrittenFolder {
  outputDir: string
  format: StimulusFormat
  manifest: string
}

/**
 * Writes `<out>/<benchmark>/` (RunnerFolderWriter): the stimuli are written into its staging folder by whoever makes
 * them (`staging()`, `stageStimulus`), each converted to the model's input tensors where `modelInput` is given
 * (`--format model`). Only the manifest rows stay in memory.
 */
export class PreparedFolderWriter {
  private constructor(
    private readonly folder: RunnerFolderWriter,
    private readonly model: StimulusStaging['model'],
  ) {}

  /**
   * `force`: replace `<out>/<folder>/` even where it holds files tinydata did not write. `folder` is the benchmark's
   * id but for a shard (`prepare --shard`), whose folder is named after it.
   */
  static create(out: string, benchmark: string, modelInput: ModelInputQuantization | undefined, force = false, folder = benchmark): PreparedFolderWriter {
    let model: StimulusStaging['model']
    if (modelInput) {
      const id = BENCHMARK_IDS.find((known) => known === benchmark)
      if (!id) throw new UserError(`--format model is not defined for ${benchmark}`)
      model = {benchmark: id, quantization: modelInput}
    }
    return new PreparedFolderWriter(new RunnerFolderWriter(out, folder, force), model)
  }

  /**
   * The staging folder (made now, after the checks that may refuse the output: files tinydata did not write) and the
   * format, for `stageStimulus`. A caller that keeps a written stimulus for commit() without its bytes lets the
   * manifest read them back from the folder instead of holding them.
   */
  async staging(): Promise<StimulusStaging> {
    return {folder: await this.folder.stagingFolder(), model: this.model}
  }

  /**
   * Names the staged stimuli (`placements`), writes y_labels.csv and the manifest for `rows` (returned by add, under
   * their final names, in the folder's order) and puts the folder in place.
   */
  async commit(placements: readonly Placement[], rows: readonly ManifestRow[], runnerYLabels: string, meta: ManifestMetadata): Promise<WrittenFolder> {
    const {model} = this
    const outputDir = await this.folder.commit(
      placements,
      rows,
      model ? modelYLabels(model.benchmark, rows, runnerYLabels) : runnerYLabels,
      model ? modelMeta(model.benchmark, meta, model.quantization) : meta,
    )
    return {outputDir, format: model ? 'model' : 'runner', manifest: posix.join(outputDir, MANIFEST_FILE)}
  }

  discard(): Promise<void> {
    return this.folder.discard()
  }
}
