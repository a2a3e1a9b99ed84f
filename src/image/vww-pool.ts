import {createTaskPool, type TaskPool} from '../parallel/task-pool.js'
import {makeVwwStimulus, type VwwStimulus} from './vww-stimulus.js'

/** One encoded image to decode and resize; `name` is what errors name. Its buffer moves to the worker. */
export interface VwwTask {
  image: Uint8Array
  name: string
}

/** Images in flight per thread: enough to keep decoding and resizing busy while the main thread reads the archive. */
export const IMAGES_IN_FLIGHT_PER_THREAD = 4

export function createVwwStimulusPool(threads: number): TaskPool<VwwTask, VwwStimulus> {
  return createTaskPool({
    workerScript: new URL('./vww-worker.js', import.meta.url),
    threads,
    runInThread: ({image, name}) => makeVwwStimulus(image, name),
    transferOf: ({image}) => [image.buffer as ArrayBuffer],
  })
}
