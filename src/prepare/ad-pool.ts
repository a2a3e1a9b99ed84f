import {adStimulusBytes} from '../audio/ad-features.js'
import {createTaskPool, type TaskPool} from '../parallel/task-pool.js'

/** Clips in flight per thread: enough to keep every thread busy while the main thread reads and inflates the archive. */
export const AD_IN_FLIGHT_PER_THREAD = 4

/** ad01 stimulus bytes from clips (whose buffers move to the worker). */
export function createAdStimulusPool(threads: number): TaskPool<Int16Array, Uint8Array> {
  return createTaskPool({
    workerScript: new URL('./ad-worker.js', import.meta.url),
    threads,
    runInThread: adStimulusBytes,
    transferOf: (samples) => [samples.buffer as ArrayBuffer],
  })
}
