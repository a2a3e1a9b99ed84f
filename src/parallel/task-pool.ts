import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import {parentPort, Worker, workerData} from 'node:worker_threads'

import {UserError} from '../errors.js'

/**
 * One task function run on worker threads where that pays, in the calling thread otherwise: the prepare pipelines
 * hand it one clip or image at a time while their main thread reads the archive. The same function runs in both
 * places, so a stimulus cannot depend on where it was made.
 */
export interface TaskPool<Input, Output> {
  readonly threads: number
  /** The input's transferable buffers move to the worker: the caller must not use them afterwards. */
  run(input: Input): Promise<Output>
  close(): Promise<void>
}

export interface TaskPoolOptions<Input, Output> {
  /**
   * The worker module (`new URL('./x-worker.js', import.meta.url)`), which calls `serveTasks`. It is the compiled
   * sibling of the caller; running from TypeScript sources (the tests) there is none, and the tasks run in this thread.
   */
  workerScript: URL
  /** Handed to the worker as `workerData`. */
  setup?: unknown
  threads: number
  /** The task itself, for the calling thread. */
  runInThread: (input: Input) => Output | Promise<Output>
  /** Buffers of an input that may move to the worker instead of being copied. */
  transferOf?: (input: Input) => ArrayBuffer[]
}

/**
 * A worker's young generation, smaller than V8's default: the garbage between its collections (the inputs and
 * outputs of many tasks) was what made `prepare vww`'s memory creep past 300 MB with two workers (318 → 257 MB peak
 * over a val2017-sized archive).
 */
const WORKER_YOUNG_GENERATION_MB = 6

export function defaultThreads(): number {
  return availableParallelism()
}

export function createTaskPool<Input, Output>(options: TaskPoolOptions<Input, Output>): TaskPool<Input, Output> {
  const script = fileURLToPath(options.workerScript)
  return options.threads > 1 && existsSync(script) ? new WorkerPool(script, options) : new InThreadPool(options.runInThread)
}

type Reply<Output> = {id: number; output: Output} | {id: number; error: {message: string; user: boolean}}

/**
 * Tasks go to a worker, and answers come back, in batches: those given in one turn of the event loop travel in one
 * message. A message wakes the other thread, and on small tasks (a one-second clip) the wake-ups cost more than the
 * copying.
 */
type TaskBatch<Input> = {id: number; input: Input}[]

/**
 * The worker side: answers each task with `task(input, setup)`, moving the buffers `transferOf` names back. A
 * UserError (a bad image, say) goes back as a UserError; anything else as a plain Error. The tasks of a batch run
 * together (an asynchronous task, such as an image decode, overlaps the next) and are answered together.
 */
export function serveTasks<Input, Output, Setup>(task: (input: Input, setup: Setup) => Output | Promise<Output>, transferOf: (output: Output) => ArrayBuffer[] = () => []): void {
  const port = parentPort!
  const setup = workerData as Setup
  port.on('message', async (batch: TaskBatch<Input>) => {
    const transfers = new Set<ArrayBuffer>()
    const replies = await Promise.all(batch.map(async ({id, input}): Promise<Reply<Output>> => {
      try {
        const output = await task(input, setup)
        for (const buffer of transferOf(output)) transfers.add(buffer)
        return {id, output}
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        return {id, error: {message, user: error instanceof UserError}}
      }
    }))
    port.postMessage(replies, [...transfers])
  })
}

/** A failure reaches whoever awaits the promise; until then it must not count as an unhandled rejection. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}

class InThreadPool<Input, Output> implements TaskPool<Input, Output> {
  readonly threads = 1

  constructor(private readonly task: (input: Input) => Output | Promise<Output>) {}

  run(input: Input): Promise<Output> {
    return handled(Promise.resolve().then(() => this.task(input)))
  }

  async close(): Promise<void> {}
}

interface Pending<Output> {
  resolve: (output: Output) => void
  reject: (error: Error) => void
  worker: number
}

class WorkerPool<Input, Output> implements TaskPool<Input, Output> {
  readonly threads: number
  private readonly workers: Worker[]
  /** Tasks in flight per worker: each new task goes to the least busy one (tasks differ in size). */
  private readonly load: number[]
  /** Tasks given this turn of the event loop, per worker, and the buffers they move: sent as one message each. */
  private readonly outboxes: {batch: TaskBatch<Input>; transfers: ArrayBuffer[]}[]
  private flushing = false
  private readonly pending = new Map<number, Pending<Output>>()
  private readonly transferOf: (input: Input) => ArrayBuffer[]
  private nextId = 0
  private failure: Error | undefined
  private closing = false

  constructor(script: string, options: TaskPoolOptions<Input, Output>) {
    this.threads = options.threads
    this.transferOf = options.transferOf ?? (() => [])
    this.load = Array.from({length: this.threads}, () => 0)
    this.outboxes = Array.from({length: this.threads}, () => ({batch: [], transfers: []}))
    this.workers = Array.from({length: this.threads}, () => {
      const worker = new Worker(script, {workerData: options.setup, resourceLimits: {maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB}})
      worker.on('message', (replies: Reply<Output>[]) => {
        for (const reply of replies) this.settle(reply)
      })
      worker.on('error', (error) => this.fail(error))
      // A worker that dies without an error event (out of memory) must not leave its tasks pending for ever.
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a worker thread exited with code ${code}`))
      })
      return worker
    })
  }

  run(input: Input): Promise<Output> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    const worker = this.load.indexOf(Math.min(...this.load))
    const promise = handled(new Promise<Output>((resolve, reject) => this.pending.set(id, {resolve, reject, worker})))
    this.load[worker]!++
    const outbox = this.outboxes[worker]!
    outbox.batch.push({id, input})
    outbox.transfers.push(...this.transferOf(input))
    if (!this.flushing) {
      this.flushing = true
      setImmediate(() => this.flush())
    }
    return promise
  }

  async close(): Promise<void> {
    this.closing = true
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  private flush(): void {
    this.flushing = false
    for (const [index, outbox] of this.outboxes.entries()) {
      if (outbox.batch.length === 0) continue
      this.workers[index]!.postMessage(outbox.batch, outbox.transfers)
      this.outboxes[index] = {batch: [], transfers: []}
    }
  }

  private settle(reply: Reply<Output>): void {
    const pending = this.pending.get(reply.id)
    if (!pending) return
    this.pending.delete(reply.id)
    this.load[pending.worker]!--
    if ('output' in reply) pending.resolve(reply.output)
    else pending.reject(reply.error.user ? new UserError(reply.error.message) : new Error(reply.error.message))
  }

  private fail(error: Error): void {
    this.failure ??= error // an 'error' event is followed by 'exit': the first says what happened
    for (const {reject} of this.pending.values()) reject(this.failure)
    this.pending.clear()
  }
}
