/**
 * `task` over `items` with at most `limit` in flight (file reads and writes: many at once keep libuv's thread pool
 * busy, all at once would exhaust file descriptors). The results keep the order of `items`; the first failure is
 * thrown once every started task has settled, so nothing is left running.
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const lanes = Array.from({length: Math.min(limit, items.length)}, async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index]!)
    }
  })
  const settled = await Promise.allSettled(lanes)
  const failed = settled.find((result) => result.status === 'rejected')
  if (failed) throw (failed as PromiseRejectedResult).reason
  return results
}
