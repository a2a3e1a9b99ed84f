/**
 * The EnergyRunner convention (spec §2.2, §2.3): raw printed outputs, the EEMBC "simplified" AUC over fixed
 * thresholds, and for anomaly detection the best plain accuracy over min…max thresholds.
 * The formulas are those of `eval_functions_eembc.py` (eef), which the ER reproduces on 237/237 logs.
 */

import type {ConventionMetrics, ModelKind} from './convention.js'

import {linearThresholds, meanVector} from './stats.js'

/** eef:66 `np.arange(0.0, 1.01, .01)`: 101 thresholds k·0.01 (spec §2.2). */
const FIXED_THRESHOLD_COUNT = 101
const FIXED_THRESHOLD_STEP = 0.01
/** eef:130-141 `calculate_ae_accuracy`: 100 thresholds min + 0.01·k·(max − min) (spec §2.3). */
const AE_ACCURACY_THRESHOLD_COUNT = 100
/** eef:195-223 `calculate_ae_auc`: 101 thresholds from min to max (spec §2.3). */
const AE_AUC_THRESHOLD_COUNT = 101

export const erMetrics: ConventionMetrics = {
  // %.1f and %.2f in results.txt (spec §1.3)
  digits: {top1: 1, auc: 2},

  /** Classifiers: the output as printed (no softmax, no dequantisation); AD: the mean of the window scores. */
  stimulusVector(windows: number[][], kind: ModelKind): number[] {
    return kind === 'anomaly' ? meanVector(windows.map((window) => [window[0]])) : windows.at(-1)!
  },

  classifierAuc: simplifiedAuc,

  anomaly(scores, labels) {
    const {accuracy, threshold} = bestPlainAccuracy(scores, labels)
    return {top1: accuracy, auc: anomalyTrapezoidAuc(scores, labels), threshold}
  },
}

/**
 * eef:62-108 `calculate_auc`: per class, TPR/FPR of `output > k·0.01` with a forced (1, 1) first point, trapezoids,
 * then the mean over the label list's classes. An output shorter than the class count never exceeds a threshold.
 */
export function simplifiedAuc(vectors: readonly number[][], labels: readonly number[], classCount: number): number {
  const thresholds = Array.from({length: FIXED_THRESHOLD_COUNT}, (_, k) => k * FIXED_THRESHOLD_STEP)
  let sum = 0
  for (let cls = 0; cls < classCount; cls++) {
    const positives: number[] = []
    const negatives: number[] = []
    for (const [index, vector] of vectors.entries()) {
      // NaN exceeds no threshold, and would spoil the sort
      if (cls < vector.length && !Number.isNaN(vector[cls])) (labels[index] === cls ? positives : negatives).push(vector[cls])
    }
    const positiveCount = labels.filter((label) => label === cls).length
    const negativeCount = labels.length - positiveCount
    positives.sort((a, b) => a - b)
    negatives.sort((a, b) => a - b)
    const tpr = new Array<number>(FIXED_THRESHOLD_COUNT).fill(1)
    const fpr = new Array<number>(FIXED_THRESHOLD_COUNT).fill(1)
    for (let k = 1; k < FIXED_THRESHOLD_COUNT; k++) {
      tpr[k] = countAbove(positives, thresholds[k]) / positiveCount
      fpr[k] = countAbove(negatives, thresholds[k]) / negativeCount
    }
    sum += trapezoids(tpr, fpr)
  }
  return sum / classCount
}

/** How many of the ascending values are `> threshold` (binary search, same comparison as the reference). */
function countAbove(ascending: readonly number[], threshold: number): number {
  let low = 0
  let high = ascending.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (ascending[middle] > threshold) high = middle
    else low = middle + 1
  }
  return ascending.length - low
}

/** Σ ½(TPR_k + TPR_k+1)(FPR_k − FPR_k+1) over consecutive points, in eef's order. */
function trapezoids(tpr: readonly number[], fpr: readonly number[]): number {
  let area = 0
  for (let k = 0; k + 1 < tpr.length; k++) area += 0.5 * (tpr[k] + tpr[k + 1]) * (fpr[k] - fpr[k + 1])
  return area
}

/** eef:130-141: the best plain accuracy (percent) of `score > threshold` ⇒ anomaly; the first best threshold. */
function bestPlainAccuracy(scores: readonly number[], labels: readonly number[]): {accuracy: number; threshold: number} {
  let best = {accuracy: 0, threshold: Number.NaN}
  for (const threshold of linearThresholds(scores, AE_ACCURACY_THRESHOLD_COUNT)) {
    let correct = 0
    for (const [index, score] of scores.entries()) if ((score > threshold ? 1 : 0) === labels[index]) correct++
    const accuracy = (100 * correct) / scores.length
    if (accuracy > best.accuracy) best = {accuracy, threshold}
  }
  return best
}

/** eef:195-223: TPR/FPR of `score > threshold` over 101 min…max thresholds, forced (1, 1), trapezoids. */
function anomalyTrapezoidAuc(scores: readonly number[], labels: readonly number[]): number {
  const thresholds = linearThresholds(scores, AE_AUC_THRESHOLD_COUNT)
  const positives = labels.filter((label) => label === 1).length
  const negatives = labels.length - positives
  const tpr = new Array<number>(AE_AUC_THRESHOLD_COUNT).fill(1)
  const fpr = new Array<number>(AE_AUC_THRESHOLD_COUNT).fill(1)
  for (let k = 1; k < AE_AUC_THRESHOLD_COUNT; k++) {
    let truePositives = 0
    let falsePositives = 0
    for (const [index, score] of scores.entries()) {
      if (score > thresholds[k]) {
        if (labels[index] === 1) truePositives++
        else falsePositives++
      }
    }
    tpr[k] = truePositives / positives
    fpr[k] = falsePositives / negatives
  }
  return trapezoids(tpr, fpr)
}
