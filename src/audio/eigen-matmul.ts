/**
 * tf.tensordot(spectrogram[M, K], melWeights[K, N]) in float32 with the summation order of Eigen's GEBP kernel
 * (AVX, no FMA) for the kws shapes M = 49, K = 257 (kws-float32-parity.md §2 step 6 and §5):
 *  - N = 40: columns 0–31 summed in plain k order; columns 32–39 by the even-k / odd-k accumulators of
 *    `lhs_process_one_packet` over k < 256, then (even + odd), then the k = 256 term;
 *  - N = 10: columns 0–7 even/odd as above; columns 8–9 by the swapped "one row at a time" path with eight
 *    lanes k mod 8 over k < 256, combined ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7)), then the tail;
 *  - rows from M − M mod 4 on (row 48) plainly in k order for every column.
 *
 * This file writes that order down as a program of term lists; assembly/gebp.ts runs it (the layout is described
 * there). Terms whose weight is exactly 0 are left out. That is bit-identical for the finite non-negative spectrogram
 * values of the pipeline: x·0 = +0 and s + (+0) = s for every accumulator s, which starts at +0 and stays ≥ 0.
 */

/** Depth split of the packet paths: Eigen's packet size (8 floats with AVX) rounds K = 257 down to 256. */
const PACKET_SIZE = 8

/** Order codes of the program, the ORDER_* of assembly/gebp.ts. */
export const GEBP_ORDER = {sequential: 0, evenOdd: 1, lanes8: 2} as const
type GebpOrder = keyof typeof GEBP_ORDER

/** Column ranges and their order for the two weight widths the kws pipeline uses. */
const COLUMN_ORDERS: Readonly<Record<number, readonly (readonly [number, number, GebpOrder])[]>> = {
  40: [
    [0, 32, 'sequential'],
    [32, 40, 'evenOdd'],
  ],
  10: [
    [0, 8, 'evenOdd'],
    [8, 10, 'lanes8'],
  ],
}

/**
 * The GEBP program of the [depth × columns] row-major weights (float32 values); columns must be 10 or 40. Weights
 * are stored as their float32 bits.
 */
export function eigenMatmulProgram(weights: ArrayLike<number>, depth: number, columns: number): Int32Array {
  const orders = COLUMN_ORDERS[columns]
  if (orders === undefined) {
    throw new RangeError(`eigenMatmul: no GEBP order known for ${columns} columns (only 10, 40)`)
  }
  if (weights.length !== depth * columns) {
    throw new RangeError(`eigenMatmul: weights hold ${weights.length} values, not ${depth}×${columns}`)
  }
  const words: number[] = []
  const values = Float32Array.from(weights)
  const bits = new Int32Array(values.buffer)
  const pushList = (column: number, keep: (k: number) => boolean) => {
    const countAt = words.push(0) - 1
    for (let k = 0; k < depth; k++) {
      const index = k * columns + column
      if (values[index] !== 0 && keep(k)) words.push(k, bits[index])
    }
    words[countAt] = (words.length - countAt - 1) / 2
  }
  const packetDepth = Math.floor(depth / PACKET_SIZE) * PACKET_SIZE
  const pairDepth = Math.floor(depth / 2) * 2
  for (const [first, end, order] of orders) {
    for (let column = first; column < end; column++) {
      words.push(GEBP_ORDER[order])
      pushList(column, () => true)
      if (order === 'evenOdd') {
        pushList(column, (k) => k < packetDepth && k % 2 === 0)
        pushList(column, (k) => k < packetDepth && k % 2 === 1)
        pushList(column, (k) => k >= packetDepth)
      } else if (order === 'lanes8') {
        for (let lane = 0; lane < PACKET_SIZE; lane++) pushList(column, (k) => k < packetDepth && k % PACKET_SIZE === lane)
        pushList(column, (k) => k >= packetDepth && k < pairDepth && k % 2 === 0)
        pushList(column, (k) => k >= packetDepth && k < pairDepth && k % 2 === 1)
        pushList(column, (k) => k >= pairDepth)
      }
    }
  }
  return Int32Array.from(words)
}
