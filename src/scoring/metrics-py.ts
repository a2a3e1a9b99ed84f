/**
 * The Python-runner convention (spec §2.4; `main.py:124-154, 279-325`): each output divided by its sum, windows
 * averaged per file, exact ROC AUC, and for anomaly detection the best (precision + recall) / 2.
 */

import type {ConventionMetrics} from './convention.js'

import {exactRocAuc, linearThresholds, meanVector, oneVsRestMacroAuc} from './stats.js'

/** `main.py:130-148`: 100 thresholds min…max, as in the EEMBC functions. */
const PR_THRESHOLD_COUNT = 100
/** `main.py:140-141`: the guard added to the precision and recall denominators. */
const PR_EPSILON = 1e-8

export const pyMetrics: ConventionMetrics = {
  // %2.1f and %.3f (main.py:324-325)
  digits: {top1: 1, auc: 3},

  /** `normalize_probabilities` on every vector with more than one element, then `np.mean(axis=0)` over windows. */
  stimulusVector(windows: number[][]): number[] {
    return meanVector(windows.map((window) => (window.length > 1 ? normalise(window) : window)))
  },

  /** Two columns: binary AUC of column 1 (VWW); otherwise one-vs-rest macro over the classes present. */
  classifierAuc(vectors, labels) {
    return vectors[0].length === 2
      ? exactRocAuc(vectors.map((vector) => vector[1]), labels.map((label) => label === 1))
      : oneVsRestMacroAuc(vectors, labels)
  },

  anomaly(scores, labels) {
    const {accuracy, threshold} = bestPrecisionRecall(scores, labels)
    return {top1: accuracy, auc: exactRocAuc(scores, labels.map((label) => label === 1)), threshold}
  },
}

/** Divides by the sum; a zero sum gives NaN everywhere, as numpy would. */
function normalise(vector: readonly number[]): number[] {
  let sum = 0
  for (const value of vector) sum += value
  return sum === 0 ? vector.map(() => Number.NaN) : vector.map((value) => value / sum)
}

/** `calculate_accuracy`, one-column branch: max over thresholds of 100·(P + R)/2 for `score > threshold` ⇒ anomaly. */
function bestPrecisionRecall(scores: readonly number[], labels: readonly number[]): {accuracy: number; threshold: number} {
  let best = {accuracy: 0, threshold: Number.NaN}
  for (const threshold of linearThresholds(scores, PR_THRESHOLD_COUNT)) {
    let truePositives = 0
    let falsePositives = 0
    let falseNegatives = 0
    for (const [index, score] of scores.entries()) {
      const flagged = score > threshold
      if (labels[index] === 1) {
        if (flagged) truePositives++
        else falseNegatives++
      } else if (flagged) {
        falsePositives++
      }
    }
    const precision = truePositives / (truePositives + falsePositives + PR_EPSILON)
    const recall = truePositives / (truePositives + falseNegatives + PR_EPSILON)
    const accuracy = (100 * (precision + recall)) / 2
    if (accuracy > best.accuracy) best = {accuracy, threshold}
  }
  return best
}
