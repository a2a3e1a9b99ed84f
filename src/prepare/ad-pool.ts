import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

import {adStimulusBytes} from '../audio/ad-features.js'

export interface AdWorkerRequest {
  id: number
  samples: Int16Array
}
export interface AdWorkerReply {
  id: number
  bytes: Uint8Array
}

/** Makes ad01 stimulus bytes from clips, on worker threads where that pays, in the calling thread otherwise. */
export interface AdStimulusMaker {
  readonly threads: number
  /** Takes the samples over: on worker threads their buffer moves to the worker. */
  make(samples: Int16Array): Promise<Uint8Array>
  /** Resolves once fewer than `limit` clips are in flight: the reader waits here, so memory stays bounded. */
  whenBelow(limit: number): Promise<void>
  close(): Promise<void>
}

/** Clips in flight per thread: enough to keep every thread busy while the main thread reads and inflates the archive. */
export const AD_IN_FLIGHT_PER_THREAD = 4

export function defaultAdThreads(): number {
  return availableParallelism()
}

/**
 * The worker script is the compiled sibling of this module; when running from TypeScript sources (the tests), there
 * is none and the work stays in this thread.
 */
const WORKER_SCRIPT = fileURLToPath(new URL('./ad-worker.js', import.meta.url))

export function createAdStimulusMaker(threads: number): AdStimulusMaker {
  if (threads > 1 && existsSync(WORKER_SCRIPT)) return new AdWorkerPool(threads)
  return {
    threads: 1,
    make: async (samples) => adStimulusBytes(samples),
    whenBelow: async () => {},
    close: async () => {},
  }
}

class AdWorkerPool implements AdStimulusMaker {
  private readonly workers: Worker[]
  private readonly pending = new Map<number, {resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void}>()
  private readonly waiters: {limit: number; resolve: () => void}[] = []
  private nextId = 0
  private failure: Error | undefined

  constructor(readonly threads: number) {
    this.workers = Array.from({length: threads}, () => {
      const worker = new Worker(WORKER_SCRIPT)
      worker.on('message', (reply: AdWorkerReply) => this.settle(reply.id, reply.bytes))
      worker.on('error', (error) => this.fail(error))
      return worker
    })
  }

  make(samples: Int16Array): Promise<Uint8Array> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    const promise = new Promise<Uint8Array>((resolve, reject) => this.pending.set(id, {resolve, reject}))
    promise.catch(() => {}) // a failure reaches whoever awaits it; until then it must not count as unhandled
    const request: AdWorkerRequest = {id, samples}
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
