import {createHash} from 'node:crypto'

/**
 * The order in which TensorFlow Datasets reads back a split it wrote (spec stimuli.md §1.2): the official
 * `tst_NNNNNN` numbering of kws01 is the read order of the TFDS `speech_commands` test split.
 *
 * 1. Each example is keyed; the writer sorts examples by md5(split name + key) as a 128-bit number.
 * 2. The sorted examples are cut into shards at round(n·i/shards) (Python's round: half to even).
 * 3. Reading interleaves the shards `block` examples at a time (tf.data interleave): `cycleLength` shards are open at
 *    once, and a shard that runs out is replaced by the next one when the cycle comes back to its slot.
 */
export interface TfdsReadOrderOptions {
  /** The hash salt: the split name (`hash_salt=split_name` in the TFDS writer). */
  split: string
  /** Shards of the split as written; the speech_commands test split has 4 (its dataset_info.json shardLengths). */
  shards: number
  /** `ReadConfig.interleave_block_length`, 16 in TFDS. */
  blockLength: number
  /** `ReadConfig.interleave_cycle_length` (16 in TFDS); undefined: every shard is open at once. */
  cycleLength?: number
}

export const SPEECH_COMMANDS_TEST_READ = {split: 'test', shards: 4, blockLength: 16} as const

export function tfdsReadOrder<T>(examples: readonly T[], keyOf: (example: T) => string, options: TfdsReadOrderOptions): T[] {
  // A 32-digit hex md5 compares as text exactly as the 128-bit integer TFDS sorts by.
  const hashed = examples.map((example) => ({example, hash: md5Hex(options.split + keyOf(example))}))
  hashed.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
  const sorted = hashed.map((h) => h.example)

  const bounds = tfdsShardBoundaries(sorted.length, options.shards)
  const shards = bounds.slice(1).map((end, i) => sorted.slice(bounds[i], end))

  return interleave(shards, options.cycleLength ?? shards.length, options.blockLength)
}

/**
 * tf.data's interleave: slots visited in turn, `block` items from each; an empty slot takes the next shard, a shard
 * that has run out leaves its slot empty until the cycle comes back to it.
 */
function interleave<T>(shards: readonly T[][], cycle: number, block: number): T[] {
  const slots: ({items: readonly T[]; next: number} | undefined)[] = Array.from({length: Math.max(1, cycle)}, () => undefined)
  const order: T[] = []
  let nextShard = 0
  let open = 0
  let slot = 0
  let inBlock = 0
  const advance = () => {
    inBlock = 0
    slot = (slot + 1) % slots.length
  }
  while (nextShard < shards.length || open > 0) {
    const current = slots[slot]
    if (current && current.next < current.items.length) {
      order.push(current.items[current.next++]!)
      if (++inBlock === block) advance()
    } else if (current) {
      slots[slot] = undefined
      open--
      advance()
    } else if (nextShard < shards.length) {
      slots[slot] = {items: shards[nextShard++]!, next: 0}
      open++
    } else {
      advance()
    }
  }
  return order
}

/** Shard boundaries as TFDS computes them: `[0, b1, …, n]`. */
export function tfdsShardBoundaries(count: number, shards: number): number[] {
  return Array.from({length: shards + 1}, (_, i) => roundHalfToEven((count * i) / shards))
}

/** Python 3's round(): halves go to the even neighbour. */
export function roundHalfToEven(x: number): number {
  const floor = Math.floor(x)
  const fraction = x - floor
  if (fraction !== 0.5) return Math.round(x)
  return floor % 2 === 0 ? floor : floor + 1
}

function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex')
}
