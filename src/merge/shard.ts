/**
 * `prepare --shard i/n`: which part of a selection one machine makes. A stimulus belongs to shard
 * `1 + (first 32 bits of sha256(key)) mod n`, where the key is what names its bytes while the source is read (the
 * file name for ic01, ad01 and vww01; the sha256 of the clip's samples for kws01, whose names are known only once
 * every clip is read). The part therefore depends on nothing but the stimulus itself: not on the archive's order or
 * format, nor on which other members the source holds, and the copies of one stimulus are always made together.
 */
import {UserError} from '../errors.js'
import {sha256Hex} from '../io/hash.js'

/** Shard `index` (1…count) of `count`. */
export interface Shard {
  index: number
  count: number
}

/** `--shard i/n` → the shard, or a UserError naming what is wrong with the text. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN]
  if (!(index >= 1 && index <= count)) {
    throw new UserError(`--shard ${text}: expected i/n, the i-th of n parts with 1 ≤ i ≤ n (e.g. 1/4 … 4/4)`)
  }
  return {index, count}
}

/** Whether the stimulus of this key is the shard's to make. */
export function inShard(key: string, shard: Shard): boolean {
  return Number.parseInt(sha256Hex(new TextEncoder().encode(key)).slice(0, 8), 16) % shard.count === shard.index - 1
}

/** `kws01-shard-2-of-4`: the folder a shard writes beside where the whole would go, so n shards can share one --out. */
export function shardFolderName(benchmark: string, shard: Shard): string {
  return `${benchmark}-shard-${shard.index}-of-${shard.count}`
}

/** What every shard's manifest says of the whole selection: the sha256 of its file names in folder order, one per line. */
export function selectionSha256(files: readonly string[]): string {
  return sha256Hex(new TextEncoder().encode(files.map((file) => `${file}\n`).join('')))
}
