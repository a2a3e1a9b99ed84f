/**
 * `prepare kws --shard i/n`, the rate the README's worked plan scales from: the generated test-set-sized archive made
 * whole, then as 4 shards one after another (as 4 machines would each run one), then merged. Every shard still reads
 * and decodes the whole archive; only the features of its own clips are computed and written.
 */
import {availableParallelism} from 'node:os'
import {join} from 'node:path'

import {kws01, prepareKws} from '../dist/src/index.js'
import {mergeShards} from '../dist/src/merge/merge.js'

export const SHARDS = 4

export interface ShardBench {
  wholeSeconds: number
  /** Each shard's time, in part order. */
  shardSeconds: number[]
  mergeSeconds: number
}

async function seconds(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await run()
  return (performance.now() - start) / 1000
}

export async function benchShard(archive: string, dir: string): Promise<ShardBench> {
  const options = {benchmark: kws01, source: archive, subset: 'test' as const, threads: availableParallelism(), verify: false}
  const wholeSeconds = await seconds(() => prepareKws({...options, out: join(dir, 'shard-whole')}))
  const shardSeconds: number[] = []
  for (let index = 1; index <= SHARDS; index++) {
    shardSeconds.push(await seconds(() => prepareKws({...options, out: join(dir, 'shard-parts'), shard: {index, count: SHARDS}})))
  }
  const parts = Array.from({length: SHARDS}, (_, index) => join(dir, 'shard-parts', `kws01-shard-${index + 1}-of-${SHARDS}`))
  const mergeSeconds = await seconds(() => mergeShards({shards: parts, out: join(dir, 'shard-merged')}))
  return {wholeSeconds, shardSeconds, mergeSeconds}
}
