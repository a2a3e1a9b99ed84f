/** Small numeric helpers with the exact semantics of the numpy / statistics / sklearn calls the runners make. */

/** `numpy.argmax`: the first index of the maximum, so ties go to the lowest class (spec §2.2, §4 trap 3). */
export function argmaxFirst(values: readonly number[]): number {
  let best = 0
  for (let index = 1; index < values.length; index++) if (values[index] > values[best]) best = index
  return best
}

/** `statistics.median` / `numpy.median`: for an even count, the mean of the two middle values (spec §2.5). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Both runners' anomaly thresholds step by 1 % of the score range (eef:130-141, `main.py:130-148`; spec §2.3). */
const LINEAR_THRESHOLD_STEP = 0.01

/** min + (k·0.01)·(max − min), k = 0…count−1, evaluated in that order like the reference. */
export function linearThresholds(scores: readonly number[], count: number): number[] {
  let low = Number.POSITIVE_INFINITY
  let high = Number.NEGATIVE_INFINITY
  for (const score of scores) {
    low = Math.min(low, score)
    high = Math.max(high, score)
  }
  return Array.from({length: count}, (_, k) => low + k * LINEAR_THRESHOLD_STEP * (high - low))
}

/** Column-wise mean in row order, as `numpy.mean(rows, axis=0)` on a handful of rows. */
export function meanVector(rows: readonly number[][]): number[] {
  const width = rows[0].length
  const sums = new Array<number>(width).fill(0)
  for (const row of rows) for (let column = 0; column < width; column++) sums[column] += row[column]
  return sums.map((sum) => sum / rows.length)
}

/**
 * Exact ROC AUC, `sklearn.metrics.roc_auc_score` for two classes: the Mann–Whitney statistic with tied scores
 * counted one half. NaN when a class is missing or a score is not a number.
 */
export function exactRocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  const positives = positive.filter(Boolean).length
  const negatives = positive.length - positives
  if (positives === 0 || negatives === 0 || scores.some(Number.isNaN)) return Number.NaN
  const order = scores.map((_, index) => index).sort((a, b) => scores[a] - scores[b])
  let rankSum = 0
  for (let start = 0; start < order.length;) {
    let end = start
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++
    const averageRank = (start + end) / 2 + 1
    for (let index = start; index <= end; index++) if (positive[order[index]]) rankSum += averageRank
    start = end + 1
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

/** `roc_auc_score(multi_class='ovr', average='macro')`: the mean over the classes present in the labels. */
export function oneVsRestMacroAuc(vectors: readonly number[][], labels: readonly number[]): number {
  const classes = [...new Set(labels)].sort((a, b) => a - b)
  const aucs = classes.map((cls) => exactRocAuc(
    vectors.map((vector) => vector[cls] ?? Number.NaN),
    labels.map((label) => label === cls),
  ))
  return aucs.reduce((sum, auc) => sum + auc, 0) / aucs.length
}
