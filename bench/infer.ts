/**
 * Benchmark of `tinydata infer`: inferences per second of each reference model over generated stimuli, end to end
 * (read, convert, run, log, score), against a baseline measured in the same run: the bare TFLite interpreter on the
 * same input tensors, with nothing around it. The two alternate ROUNDS times and each is the median, so that load
 * from other processes on a shared machine falls on both.
 */

import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

// The built library, as users run it (`npm run bench` builds first).
import {inferFolder, referenceModelPath} from '../dist/src/inference/infer.js'
import {modelInputQuantization} from '../dist/src/output/prepared-folder.js'
import {modelInputTensors, RUNNER_STIMULUS_BYTES, tensorsPerStimulus} from '../dist/src/quantization/model-input.js'
import {tfliteRuntimeAvailable} from '../dist/src/inference/runtime.js'
import type {BenchmarkId} from '../dist/src/benchmark-ids.js'
import {BENCHMARK_CLASS_NAMES} from '../dist/datasets/class-names.js'
import {noiseBytes} from '../test/helpers/images.js'

const STIMULI: Record<BenchmarkId, number> = {kws01: 1000, vww01: 200, ic01: 500, ad01: 10}
const ROUNDS = 3
/** Issue 17: the whole pipeline at 80 % of the bare interpreter's throughput or more. */
export const INFER_TARGET_RATIO = 0.8

export interface InferBench {
  benchmark: BenchmarkId
  inferences: number
  seconds: number
  interpreterOnlySeconds: number
}

function stimulus(benchmark: BenchmarkId, seed: number): Uint8Array {
  if (benchmark !== 'ad01') return noiseBytes(RUNNER_STIMULUS_BYTES[benchmark], seed)
  // Log-mel-like float32 values; noise bytes would be NaNs and infinities.
  const values = Float32Array.from({length: RUNNER_STIMULUS_BYTES.ad01 / Float32Array.BYTES_PER_ELEMENT}, (_, index) => -20 + 30 * Math.abs(Math.sin(index * 0.37 + seed)))
  return new Uint8Array(values.buffer)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** Each benchmark's reference model; an empty list (and a message) where the optional runtime is missing. */
export async function benchInfer(): Promise<InferBench[] | string> {
  if (!tfliteRuntimeAvailable()) return 'skipped: the optional package tfjs-tflite-node is not installed'
  const {TFLiteNodeModelRunner} = createRequire(import.meta.url)('tfjs-tflite-node')
  const dir = await mkdtemp(join(tmpdir(), 'tinydata-bench-infer-'))
  const results: InferBench[] = []
  try {
    for (const benchmark of Object.keys(STIMULI) as BenchmarkId[]) {
      const folder = join(dir, benchmark)
      await mkdir(folder)
      const stimuli = Array.from({length: STIMULI[benchmark]}, (_, index) => stimulus(benchmark, index + 1))
      const classes = BENCHMARK_CLASS_NAMES[benchmark].length
      await writeFile(join(folder, 'y_labels.csv'), stimuli.map((_, index) => `s${index}.bin,${classes},${index % 2}${benchmark === 'ad01' ? ',2560,512' : ''}\n`).join(''))
      for (const [index, bytes] of stimuli.entries()) await writeFile(join(folder, `s${index}.bin`), bytes)

      const model = await readFile(referenceModelPath(benchmark))
      const interpreter = new TFLiteNodeModelRunner(model.buffer.slice(model.byteOffset, model.byteOffset + model.byteLength), {threads: 1})
      const input = interpreter.getInputs()[0].data() as Int8Array
      // The tensors infer feeds the model: quantised with the model's own input scale and zero point.
      const quantization = await modelInputQuantization(referenceModelPath(benchmark))
      const tensors = stimuli.map((bytes) => modelInputTensors(benchmark, bytes, quantization))
      const windows = tensorsPerStimulus(benchmark)
      const pipelineSeconds: number[] = []
      const bareSeconds: number[] = []
      let inferences = 0
      for (let round = 0; round < ROUNDS; round++) {
        const start = performance.now()
        inferences = (await inferFolder(folder, {log: join(dir, `${benchmark}_log.txt`)})).inferences
        pipelineSeconds.push((performance.now() - start) / 1000)

        const bareStart = performance.now()
        for (const tensor of tensors) {
          for (let window = 0; window < windows; window++) {
            input.set(tensor.subarray(window * input.length, (window + 1) * input.length))
            interpreter.infer()
          }
        }
        bareSeconds.push((performance.now() - bareStart) / 1000)
      }
      results.push({benchmark, inferences, seconds: median(pipelineSeconds), interpreterOnlySeconds: median(bareSeconds)})
    }
    return results
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
