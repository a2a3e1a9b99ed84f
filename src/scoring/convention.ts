/** The two runners' scoring conventions: what accuracy.ts chooses between and metrics-er.ts / metrics-py.ts define. */

/** Which runner's formulas to apply: EnergyRunner (`er`) or Python runner (`py`), spec §4 trap 1. */
export type Convention = 'er' | 'py'

/** A model with one output is an anomaly detector (ad01); any other is a classifier. */
export type ModelKind = 'anomaly' | 'classifier'

/** What differs between the two conventions; everything else is shared. */
export interface ConventionMetrics {
  /** Decimals the runner prints: Top-1 and AUC. */
  digits: {top1: number; auc: number}
  /** The vector a stimulus is scored by, from the outputs of its windows. */
  stimulusVector(windows: number[][], kind: ModelKind): number[]
  classifierAuc(vectors: number[][], labels: number[], classCount: number): number
  /** Top-1 (percent), AUC, and the threshold above which a score counts as an anomaly. */
  anomaly(scores: number[], labels: number[]): {top1: number; auc: number; threshold: number}
}
