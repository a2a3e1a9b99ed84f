import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

import {makeKwsStimulus} from './kws-stimulus.js'
import type {KwsBenchmark, KwsVariant, Precision, Quantization} from './kws-types.js'

export interface StimulusWorkerSetup {
  variant: KwsVariant
  quantization: Quantization
  precision: Precision
}
export interface StimulusWorkerRequest {
  id: number
  samples: Int16Array
}
export interface StimulusWorkerReply {
  id: number
  bytes: Uint8Array
}

/** Makes stimulus bytes from clips, on worker threads where that pays, in the calling thread otherwise. */
export interface StimulusMaker {
  readonly threads: number
  make(samples: Int16Array): Promise<Uint8Array>
  /** Resolves once fewer than `limit` clips are in flight: the reader waits here, so memory stays bounded. */
  whenBelow(limit: number): Promise<void>
  close(): Promise<void>
}

/** Clips in flight per thread: enough to keep every thread busy while the main thread reads the archive. */
export const IN_FLIGHT_PER_THREAD = 8

export function defaultThreads(): number {
  return availableParallelism()
}

/**
 * The worker script is the compiled sibling of this module; when running from TypeScript sources (the tests), there
 * is none and the work stays in this thread.
 */
const WORKER_SCRIPT = fileURLToPath(new URL('./stimulus-worker.js', import.meta.url))

export function createStimulusMaker(benchmark: KwsBenchmark, setup: StimulusWorkerSetup, threads: number): StimulusMaker {
  const variant = benchmark.variants[setup.variant]
  // Workers look the variant up in the kws01 module; a benchmark defined elsewhere runs in this thread.
  const canUseWorkers = threads > 1 && benchmark.id === 'kws01' && existsSync(WORKER_SCRIPT)
  if (!canUseWorkers) {
    return {
      threads: 1,
      make: async (samples) => makeKwsStimulus(samples, variant, setup.quantization, setup.precision),
      whenBelow: async () => {},
      close: async () => {},
    }
  }
  return new WorkerPool(setup, threads)
}

class WorkerPool implements StimulusMaker {
  private readonly workers: Worker[]
  private readonly pending = new Map<number, {resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void}>()
  private readonly waiters: {limit: number; resolve: () => void}[] = []
  private nextId = 0
  private failure: Error | undefined

  constructor(
    setup: StimulusWorkerSetup,
    readonly threads: number,
  ) {
    this.workers = Array.from({length: threads}, () => {
      const worker = new Worker(WORKER_SCRIPT, {workerData: setup})
      worker.on('message', (reply: StimulusWorkerReply) => this.settle(reply.id, reply.bytes))
      worker.on('error', (error) => this.fail(error))
      return worker
    })
  }

  make(samples: Int16Array): Promise<Uint8Array> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    const promise = new Promise<Uint8Array>((resolve, reject) => this.pending.set(id, {resolve, reject}))
    promise.catch(() => {}) // a failure reaches whoever awaits it; until then it must not count as unhandled
    const request: StimulusWorkerRequest = {id, samples}
    this.workers[id % this.workers.length]!.postMessage(request, [samples.buffer as ArrayBuffer])
    return promise
  }

  whenBelow(limit: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.pending.size < limit) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({limit, resolve}))
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  private settle(id: number, bytes: Uint8Array): void {
    this.pending.get(id)?.resolve(bytes)
    this.pending.delete(id)
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.pending.size < this.waiters[i]!.limit) this.waiters.splice(i, 1)[0]!.resolve()
    }
  }

  private fail(error: Error): void {
    this.failure = error
    for (const {reject} of this.pending.values()) reject(error)
    this.pending.clear()
    for (const waiter of this.waiters.splice(0)) waiter.resolve()
  }
}
