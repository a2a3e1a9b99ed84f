/**
 * tf.tensordot(spectrogram[M, K], melWeights[K, N]) in float32 with the summation order of Eigen's GEBP kernel
 * (AVX, no FMA), kws-float32-parity.md §2 step 6 and §5. The order of every column comes as a program built by
 * src/audio/eigen-matmul.ts; this file only runs it.
 *
 * Program layout (i32 words): for each column, its order (ORDER_*), then its term lists. A list is a count followed
 * by that many (k, weight as f32 bits) pairs, ascending k, zero weights left out (bit-identical for the finite
 * non-negative spectrogram values of the pipeline, see eigen-matmul.ts). The first list of every column, `all`, is
 * every term in k order; then
 *  - ORDER_SEQUENTIAL: nothing more;
 *  - ORDER_EVEN_ODD: even-k, odd-k (k < 256) and tail lists: (even + odd) + tail;
 *  - ORDER_LANES_8: eight lists k mod 8 (k < 256), then pair-even, pair-odd and tail:
 *    ((((l0 + l2) + (l4 + l6)) + pair-even) + (((l1 + l3) + (l5 + l7)) + pair-odd)) + tail.
 * Rows from M − M mod 4 on (row 48) use `all` whatever the order.
 */

export const ORDER_SEQUENTIAL: i32 = 0
export const ORDER_EVEN_ODD: i32 = 1
export const ORDER_LANES_8: i32 = 2
/** GEBP handles rows in groups of 4 (the `mr` of the micro kernel); the remaining rows go the scalar way. */
const ROW_GROUP: i32 = 4

/** The word after a term list. */
// @ts-ignore: decorator
@inline function listEnd(list: usize): usize {
  return list + 4 + (<usize>load<i32>(list) << 3)
}

/** start + Σ lhs[k]·w over the list's terms, in order, each product and sum rounded to float32. */
function accumulate(start: f32, row: usize, list: usize): f32 {
  let sum = start
  const end = listEnd(list)
  for (let term = list + 4; term < end; term += 8) {
    sum = sum + load<f32>(row + (<usize>load<i32>(term) << 2)) * load<f32>(term, 4)
  }
  return sum
}

/**
 * out[rows × columns] = lhs[rows × depth] · weights, both row-major float32, lhs finite and non-negative, by the
 * GEBP program of the weights.
 */
export function gebpContraction(program: usize, lhs: usize, rows: i32, depth: i32, columns: i32, out: usize): void {
  const packedRows = rows - (rows % ROW_GROUP)
  for (let rowIndex = 0; rowIndex < rows; rowIndex++) {
    const row = lhs + ((<usize>rowIndex * <usize>depth) << 2)
    const packed = rowIndex < packedRows
    let list = program
    for (let column = 0; column < columns; column++) {
      const order = load<i32>(list)
      const all = list + 4
      let sum: f32
      if (order == ORDER_SEQUENTIAL) {
        sum = accumulate(0, row, all)
        list = listEnd(all)
      } else if (order == ORDER_EVEN_ODD) {
        const even = listEnd(all)
        const odd = listEnd(even)
        const tail = listEnd(odd)
        sum = packed ? accumulate(accumulate(0, row, even) + accumulate(0, row, odd), row, tail) : accumulate(0, row, all)
        list = listEnd(tail)
      } else {
        const lane0 = listEnd(all)
        const lane1 = listEnd(lane0)
        const lane2 = listEnd(lane1)
        const lane3 = listEnd(lane2)
        const lane4 = listEnd(lane3)
        const lane5 = listEnd(lane4)
        const lane6 = listEnd(lane5)
        const lane7 = listEnd(lane6)
        const pairEven = listEnd(lane7)
        const pairOdd = listEnd(pairEven)
        const tail = listEnd(pairOdd)
        if (packed) {
          const even =
            accumulate(0, row, lane0) + accumulate(0, row, lane2) + (accumulate(0, row, lane4) + accumulate(0, row, lane6))
          const odd =
            accumulate(0, row, lane1) + accumulate(0, row, lane3) + (accumulate(0, row, lane5) + accumulate(0, row, lane7))
          sum = accumulate(accumulate(even, row, pairEven) + accumulate(odd, row, pairOdd), row, tail)
        } else {
          sum = accumulate(0, row, all)
        }
        list = listEnd(tail)
      }
      store<f32>(out + ((<usize>(rowIndex * columns + column)) << 2), sum)
    }
  }
}
