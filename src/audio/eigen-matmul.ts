/**
 * tf.tensordot(spectrogram[M, K], melWeights[K, N]) in float32 with the summation order of Eigen's GEBP kernel
 * (AVX, no FMA) for the kws shapes M = 49, K = 257 (kws-float32-parity.md §2 step 6 and §5):
 *  - N = 40: columns 0–31 summed in plain k order; columns 32–39 by the even-k / odd-k accumulators of
 *    `lhs_process_one_packet` over k < 256, then (even + odd), then the k = 256 term;
 *  - N = 10: columns 0–7 even/odd as above; columns 8–9 by the swapped "one row at a time" path with eight
 *    lanes k mod 8 over k < 256, combined ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7)), then the tail;
 *  - rows from M − M mod 4 on (row 48) plainly in k order for every column.
 *
 * Terms whose weight is exactly 0 are skipped. That is bit-identical for the finite non-negative spectrogram
 * values of the pipeline: x·0 = +0 and s + (+0) = s for every accumulator s, which starts at +0 and stays ≥ 0.
 */

const f32 = Math.fround

/** Depth split of the packet paths: Eigen's packet size (8 floats with AVX) rounds K = 257 down to 256. */
const PACKET_SIZE = 8
/** GEBP handles rows in groups of 4 (the `mr` of the micro kernel); the remaining rows go the scalar way. */
const ROW_GROUP = 4

type ColumnOrder = 'sequential' | 'evenOdd' | 'lanes8'

/** Column ranges and their order for the two weight widths the kws pipeline uses. */
const COLUMN_ORDERS: Readonly<Record<number, readonly (readonly [number, number, ColumnOrder])[]>> = {
  40: [
    [0, 32, 'sequential'],
    [32, 40, 'evenOdd'],
  ],
  10: [
    [0, 8, 'evenOdd'],
    [8, 10, 'lanes8'],
  ],
}

/** Non-zero weights of one column over a k range, ascending k. */
interface Terms {
  readonly k: Int32Array
  readonly w: Float64Array
}

type ColumnPlan =
  | {readonly order: 'sequential'; readonly all: Terms}
  | {readonly order: 'evenOdd'; readonly all: Terms; readonly even: Terms; readonly odd: Terms; readonly tail: Terms}
  | {
      readonly order: 'lanes8'
      readonly all: Terms
      readonly lanes: readonly Terms[]
      readonly pairEven: Terms
      readonly pairOdd: Terms
      readonly tail: Terms
    }

/** A weight matrix prepared for `eigenMatmul`. */
export interface EigenMatmulPlan {
  readonly depth: number
  readonly columns: number
  readonly columnPlans: readonly ColumnPlan[]
}

/** Prepares the [depth × columns] row-major weights (float32 values); columns must be 10 or 40. */
export function createEigenMatmulPlan(weights: ArrayLike<number>, depth: number, columns: number): EigenMatmulPlan {
  const orders = COLUMN_ORDERS[columns]
  if (orders === undefined) {
    throw new RangeError(`eigenMatmul: no GEBP order known for ${columns} columns (only 10, 40)`)
  }
  if (weights.length !== depth * columns) {
    throw new RangeError(`eigenMatmul: weights hold ${weights.length} values, not ${depth}×${columns}`)
  }
  const terms = (column: number, keep: (k: number) => boolean): Terms => {
    const ks: number[] = []
    const ws: number[] = []
    for (let k = 0; k < depth; k++) {
      const w = f32(weights[k * columns + column])
      if (w !== 0 && keep(k)) {
        ks.push(k)
        ws.push(w)
      }
    }
    return {k: Int32Array.from(ks), w: Float64Array.from(ws)}
  }
  const packetDepth = Math.floor(depth / PACKET_SIZE) * PACKET_SIZE
  const pairDepth = Math.floor(depth / 2) * 2
  const columnPlans: ColumnPlan[] = []
  for (const [first, end, order] of orders) {
    for (let column = first; column < end; column++) {
      const all = terms(column, () => true)
      if (order === 'sequential') {
        columnPlans.push({order, all})
      } else if (order === 'evenOdd') {
        columnPlans.push({
          order,
          all,
          even: terms(column, (k) => k < packetDepth && k % 2 === 0),
          odd: terms(column, (k) => k < packetDepth && k % 2 === 1),
          tail: terms(column, (k) => k >= packetDepth),
        })
      } else {
        columnPlans.push({
          order,
          all,
          lanes: Array.from({length: PACKET_SIZE}, (_, lane) =>
            terms(column, (k) => k < packetDepth && k % PACKET_SIZE === lane),
          ),
          pairEven: terms(column, (k) => k >= packetDepth && k < pairDepth && k % 2 === 0),
          pairOdd: terms(column, (k) => k >= packetDepth && k < pairDepth && k % 2 === 1),
          tail: terms(column, (k) => k >= pairDepth),
        })
      }
    }
  }
  return {depth, columns, columnPlans}
}

/** Σ_k lhs[row, k]·w_k over the terms, added onto `start` in order, each product and sum rounded to float32. */
function accumulate(start: number, lhs: ArrayLike<number>, rowOffset: number, terms: Terms): number {
  const {k, w} = terms
  let sum = start
  for (let t = 0; t < k.length; t++) sum = f32(sum + f32(lhs[rowOffset + k[t]] * w[t]))
  return sum
}

/**
 * out[rows × columns] = lhs[rows × depth] · weights, both row-major, lhs holding finite non-negative float32
 * values. `out` may be a Float32Array or a Float64Array; the values written are float32.
 */
export function eigenMatmul(
  plan: EigenMatmulPlan,
  lhs: ArrayLike<number>,
  rows: number,
  out: Float32Array | Float64Array,
): void {
  const {depth, columns, columnPlans} = plan
  const packedRows = rows - (rows % ROW_GROUP)
  for (let row = 0; row < rows; row++) {
    const rowOffset = row * depth
    for (let column = 0; column < columns; column++) {
      const columnPlan = columnPlans[column]
      let sum: number
      if (row >= packedRows || columnPlan.order === 'sequential') {
        sum = accumulate(0, lhs, rowOffset, columnPlan.all)
      } else if (columnPlan.order === 'evenOdd') {
        const even = accumulate(0, lhs, rowOffset, columnPlan.even)
        const odd = accumulate(0, lhs, rowOffset, columnPlan.odd)
        sum = accumulate(f32(even + odd), lhs, rowOffset, columnPlan.tail)
      } else {
        const lanes = columnPlan.lanes
        const lane0 = accumulate(0, lhs, rowOffset, lanes[0])
        const lane1 = accumulate(0, lhs, rowOffset, lanes[1])
        const lane2 = accumulate(0, lhs, rowOffset, lanes[2])
        const lane3 = accumulate(0, lhs, rowOffset, lanes[3])
        const lane4 = accumulate(0, lhs, rowOffset, lanes[4])
        const lane5 = accumulate(0, lhs, rowOffset, lanes[5])
        const lane6 = accumulate(0, lhs, rowOffset, lanes[6])
        const lane7 = accumulate(0, lhs, rowOffset, lanes[7])
        const even = f32(f32(lane0 + lane2) + f32(lane4 + lane6))
        const odd = f32(f32(lane1 + lane3) + f32(lane5 + lane7))
        const pairEven = accumulate(even, lhs, rowOffset, columnPlan.pairEven)
        const pairOdd = accumulate(odd, lhs, rowOffset, columnPlan.pairOdd)
        sum = accumulate(f32(pairEven + pairOdd), lhs, rowOffset, columnPlan.tail)
      }
      out[row * columns + column] = sum
    }
  }
}
