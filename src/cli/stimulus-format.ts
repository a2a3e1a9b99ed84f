import {Flags} from '@oclif/core'

import type {BenchmarkId} from '../benchmark-ids.js'

import {referenceModelPath} from '../inference/infer.js'
import {type ModelInputQuantization, modelInputQuantization, STIMULUS_FORMATS, type StimulusFormat} from '../output/prepared-folder.js'

/** `--model FILE`, the model whose input quantisation `--format model` uses (prepare kws has its own, wider one). */
export const modelFlag = {
  model: Flags.string({description: '--format model: take the input quantisation from this .tflite model (default: the reference model)', helpValue: 'FILE'}),
}

/** `--format runner|model`, shared by every prepare command. */
export const formatFlag = {
  format: Flags.option({
    description: "runner: the stimulus files the runners send; model: the model's int8 input tensors (what `infer` feeds it), for harnesses and simulators that take them directly",
    options: STIMULUS_FORMATS,
    default: 'runner' as StimulusFormat,
  })(),
}

/** The model-input quantisation `--format model` needs: from `model`, or from the benchmark's reference model. */
export async function modelInputForFormat(
  benchmark: BenchmarkId, format: StimulusFormat, model: string | undefined,
): Promise<ModelInputQuantization | undefined> {
  return format === 'model' ? modelInputQuantization(model ?? referenceModelPath(benchmark)) : undefined
}
