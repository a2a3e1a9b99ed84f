/** ROC curves of the per-stimulus outputs, for the charts of the HTML report (the figures come from src/scoring). */

import type {ScoreResult} from '../scoring/index.js'
import {exactRocAuc} from '../scoring/stats.js'

export interface RocPoint {
  fpr: number
  tpr: number
}

export interface RocCurve {
  /** The class the curve separates from the rest (its index in the label list). */
  cls: number
  points: RocPoint[]
  /** The exact ROC AUC, as score computes it (the area under `points`, ties counted one half). */
  auc: number
}

export interface RocFigure {
  /** `binary`: one curve of the score (AD score, VWW column 1); `one-vs-rest`: one curve per class present. */
  kind: 'binary' | 'one-vs-rest'
  curves: RocCurve[]
  /** Classes present in the labels without a curve: a NaN output (a zero-sum PY normalisation) or no negative. */
  undefinedClasses: number[]
}

/**
 * `sklearn.metrics.roc_curve(drop_intermediate=False)`: from (0, 0), one point per distinct score taken as the
 * threshold, highest first (`score >= threshold` is positive), ending at (1, 1). Tied scores move in one step,
 * which is the diagonal segment that counts ties one half. Null when a class is missing or a score is NaN.
 */
export function rocPoints(scores: readonly number[], positive: readonly boolean[]): RocPoint[] | null {
  const positives = positive.filter(Boolean).length
  const negatives = positive.length - positives
  if (positives === 0 || negatives === 0 || scores.some(Number.isNaN)) return null
  const order = scores.map((_, index) => index).sort((a, b) => scores[b] - scores[a])
  const points: RocPoint[] = [{fpr: 0, tpr: 0}]
  let truePositives = 0
  let falsePositives = 0
  for (let start = 0; start < order.length;) {
    let end = start
    while (end < order.length && scores[order[end]] === scores[order[start]]) {
      if (positive[order[end]]) truePositives++
      else falsePositives++
      end++
    }
    points.push({fpr: falsePositives / negatives, tpr: truePositives / positives})
    start = end
  }
  return points
}

/**
 * Drops the points in the middle of a horizontal or vertical run, as sklearn's `drop_intermediate` does: the curve
 * drawn is the same, with a fraction of the points (1000 stimuli give ≤ 1001 points, most of them collinear).
 */
export function cornerPoints(points: readonly RocPoint[]): RocPoint[] {
  return points.filter((point, index) => {
    if (index === 0 || index === points.length - 1) return true
    const [before, after] = [points[index - 1], points[index + 1]]
    const vertical = before.fpr === point.fpr && point.fpr === after.fpr
    const horizontal = before.tpr === point.tpr && point.tpr === after.tpr
    return !vertical && !horizontal
  })
}

/**
 * The curves behind the exact AUC of an accuracy result, from the scored vectors (`predictions[].output`): AD the
 * binary ROC of its score, a two-output model (VWW) that of column 1, any other classifier one curve per class
 * present in the labels (their mean AUC is the one-vs-rest macro AUC). Null outside accuracy mode.
 */
export function rocFigure(result: ScoreResult): RocFigure | null {
  const {predictions} = result
  if (predictions.length === 0) return null
  const width = predictions[0].output.length
  const binary = width <= 2
  const classes = binary ? [1] : [...new Set(predictions.map((prediction) => prediction.label))].sort((a, b) => a - b)
  const column = (cls: number) => (width === 1 ? 0 : cls)
  const curves: RocCurve[] = []
  const undefinedClasses: number[] = []
  for (const cls of classes) {
    const scores = predictions.map((prediction) => prediction.output[column(cls)] ?? Number.NaN)
    const positive = predictions.map((prediction) => prediction.label === cls)
    const points = rocPoints(scores, positive)
    if (points) curves.push({cls, points, auc: exactRocAuc(scores, positive)})
    else undefinedClasses.push(cls)
  }
  return {kind: binary ? 'binary' : 'one-vs-rest', curves, undefinedClasses}
}
