import {createTaskPool, type TaskPool} from '../parallel/task-pool.js'
import {makeKwsStimulus} from './kws-stimulus.js'
import type {KwsBenchmark, KwsVariant, Precision, Quantization} from './kws-types.js'

/** What a kws worker needs besides the clip: the worker looks the variant up in the kws01 module. */
export interface KwsStimulusSetup {
  variant: KwsVariant
  quantization: Quantization
  precision: Precision
}

/** Clips in flight per thread: enough to keep every thread busy while the main thread reads the archive. */
export const IN_FLIGHT_PER_THREAD = 8

/** kws stimulus bytes from clips of 16000 samples (whose buffers move to the worker). */
export function createKwsStimulusPool(benchmark: KwsBenchmark, setup: KwsStimulusSetup, threads: number): TaskPool<Int16Array, Uint8Array> {
  const variant = benchmark.variants[setup.variant]
  return createTaskPool({
    workerScript: new URL('./stimulus-worker.js', import.meta.url),
    setup,
    // The workers know kws01's variants only; a benchmark defined elsewhere runs in this thread.
    threads: benchmark.id === 'kws01' ? threads : 1,
    runInThread: (samples) => makeKwsStimulus(samples, variant, setup.quantization, setup.precision),
    transferOf: (samples) => [samples.buffer as ArrayBuffer],
  })
}
