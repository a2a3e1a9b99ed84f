import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

import {UserError} from '../errors.js'
import {makeVwwStimulus, type VwwStimulus} from './vww-stimulus.js'

export interface VwwWorkerRequest {
  id: number
  image: Uint8Array
  name: string
}
export type VwwWorkerReply = {id: number; stimulus: VwwStimulus} | {id: number; error: {message: string; user: boolean}}

/** Makes vww stimuli from encoded images, on worker threads where that pays, in the calling thread otherwise. */
export interface VwwStimulusMaker {
  readonly threads: number
  make(image: Uint8Array, name: string): Promise<VwwStimulus>
  /** Resolves once fewer than `limit` images are in flight: the reader waits here, so memory stays bounded. */
  whenBelow(limit: number): Promise<void>
  close(): Promise<void>
}

/** Images in flight per thread: enough to keep decoding and resizing busy while the main thread reads the archive. */
export const IMAGES_IN_FLIGHT_PER_THREAD = 4

export function defaultImageThreads(): number {
  return availableParallelism()
}

/**
 * The worker script is the compiled sibling of this module; when running from TypeScript sources (the tests) there
 * is none, and the work stays in this thread.
 */
const WORKER_SCRIPT = fileURLToPath(new URL('./vww-worker.js', import.meta.url))

export function createVwwStimulusMaker(threads: number): VwwStimulusMaker {
  return threads > 1 && existsSync(WORKER_SCRIPT) ? new WorkerPool(threads) : new InThreadMaker()
}

/** Tracks what is in flight and wakes the reader waiting for room. */
class InFlight {
  private readonly waiters: {limit: number; resolve: () => void}[] = []
  count = 0

  whenBelow(limit: number): Promise<void> {
    if (this.count < limit) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({limit, resolve}))
  }

  settled(): void {
    this.count--
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.count < this.waiters[i]!.limit) this.waiters.splice(i, 1)[0]!.resolve()
    }
  }

  wakeAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter.resolve()
  }
}

class InThreadMaker implements VwwStimulusMaker {
  readonly threads = 1
  private readonly inFlight = new InFlight()

  make(image: Uint8Array, name: string): Promise<VwwStimulus> {
    this.inFlight.count++
    const promise = makeVwwStimulus(image, name).finally(() => this.inFlight.settled())
    promise.catch(() => {}) // a failure reaches whoever awaits it; until then it must not count as unhandled
    return promise
  }

  whenBelow(limit: number): Promise<void> {
    return this.inFlight.whenBelow(limit)
  }

  async close(): Promise<void> {}
}

interface Pending {
  resolve: (stimulus: VwwStimulus) => void
  reject: (error: Error) => void
  worker: number
}

class WorkerPool implements VwwStimulusMaker {
  private readonly workers: Worker[]
  /** Images in flight per worker: each new image goes to the least busy one (images differ in size). */
  private readonly load: number[]
  private readonly pending = new Map<number, Pending>()
  private readonly inFlight = new InFlight()
  private nextId = 0
  private failure: Error | undefined
  private closing = false

  constructor(readonly threads: number) {
    this.load = Array.from({length: threads}, () => 0)
    this.workers = Array.from({length: threads}, () => {
      const worker = new Worker(WORKER_SCRIPT)
      worker.on('message', (reply: VwwWorkerReply) => this.settle(reply))
      worker.on('error', (error) => this.fail(error))
      // A worker that dies without an error event (out of memory) must not leave its images pending for ever.
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a vww worker thread exited with code ${code}`))
      })
      return worker
    })
  }

  make(image: Uint8Array, name: string): Promise<VwwStimulus> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    const worker = this.load.indexOf(Math.min(...this.load))
    const promise = new Promise<VwwStimulus>((resolve, reject) => this.pending.set(id, {resolve, reject, worker}))
    promise.catch(() => {}) // a failure reaches whoever awaits it; until then it must not count as unhandled
    this.load[worker]!++
    this.inFlight.count++
    // A copy with its own buffer: the reader's bytes may share a pooled one, which must not be transferred.
    const copy = new Uint8Array(image)
    const request: VwwWorkerRequest = {id, image: copy, name}
    this.workers[worker]!.postMessage(request, [copy.buffer])
    return promise
  }

  whenBelow(limit: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    return this.inFlight.whenBelow(limit)
  }

  async close(): Promise<void> {
    this.closing = true
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  private settle(reply: VwwWorkerReply): void {
    const pending = this.pending.get(reply.id)
    if (!pending) return
    this.pending.delete(reply.id)
    this.load[pending.worker]!--
    this.inFlight.settled()
    if ('stimulus' in reply) pending.resolve(reply.stimulus)
    else pending.reject(reply.error.user ? new UserError(reply.error.message) : new Error(reply.error.message))
  }

  private fail(error: Error): void {
    this.failure ??= error // an 'error' event is followed by 'exit': the first says what happened
    for (const {reject} of this.pending.values()) reject(this.failure)
    this.pending.clear()
    this.inFlight.wakeAll()
  }
}
