/**
 * The one helper for concurrent I/O (file reads and writes, downloads): `task` over `items` with at most `limit` in
 * flight. Many at once keep libuv's thread pool or the network busy; all at once would exhaust file descriptors.
 * CPU work goes to the worker pool (task-pool.ts) instead.
 */

/** Every item's outcome, in the order of `items`, once all have settled: one failure does not stop the others. */
export async function settleConcurrently<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const outcomes = new Array<PromiseSettledResult<R>>(items.length)
  await inLanes(items, limit, task, (index, outcome) => {
    outcomes[index] = outcome
    return true
  })
  return outcomes
}

/**
 * The results in the order of `items`. After a failure no further task starts, and the first failure is thrown once
 * every started task has settled, so nothing is left running.
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let failure: PromiseRejectedResult | undefined
  await inLanes(items, limit, task, (index, outcome) => {
    if (outcome.status === 'fulfilled') results[index] = outcome.value
    else failure ??= outcome
    return failure === undefined
  })
  if (failure) throw failure.reason
  return results
}

/** Runs `task` in `limit` lanes, each taking the next item while `settled` (told each outcome) says to go on. */
async function inLanes<T, R>(
  items: readonly T[], limit: number, task: (item: T) => Promise<R>, settled: (index: number, outcome: PromiseSettledResult<R>) => boolean,
): Promise<void> {
  if (!(limit >= 1)) throw new RangeError(`a concurrency limit must be at least 1, not ${limit}`)
  let next = 0
  let goOn = true
  const lane = async () => {
    while (goOn && next < items.length) {
      const index = next++
      let outcome: PromiseSettledResult<R>
      try {
        outcome = {status: 'fulfilled', value: await task(items[index]!)}
      } catch (reason) {
        outcome = {status: 'rejected', reason}
      }
      goOn = settled(index, outcome) && goOn
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, lane))
}

/**
 * The same bound for work that arrives as a stream (stimuli as they are made, files as they are staged) rather than
 * as a list: `admit` waits until fewer than `limit` are running, then tracks the promise until it settles. Only the
 * one producer waits, so each settle wakes one waiter.
 */
export class InFlightLimit {
  private readonly running = new Set<Promise<unknown>>()

  constructor(private readonly limit: number) {}

  /** Waits for room, then starts `start()` and counts it until it settles (its outcome is the caller's to handle). */
  async admit(start: () => Promise<unknown>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running)
    const settled: Promise<unknown> = start().then(() => undefined, () => undefined).finally(() => this.running.delete(settled))
    this.running.add(settled)
  }

  /** Resolves once everything admitted has settled. */
  async idle(): Promise<void> {
    await Promise.all(this.running)
  }
}
