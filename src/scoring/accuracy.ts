/** Accuracy-mode figures of joined stimuli in either convention, plus the per-class view both runners lack. */

import type {Convention, ConventionMetrics, ModelKind} from './convention.js'
import type {Stimulus} from './join.js'

import {erMetrics} from './metrics-er.js'
import {pyMetrics} from './metrics-py.js'
import {argmaxFirst, exactRocAuc, oneVsRestMacroAuc} from './stats.js'

export const CONVENTIONS: Record<Convention, ConventionMetrics> = {er: erMetrics, py: pyMetrics}

export interface StimulusPrediction {
  file: string
  label: number
  prediction: number
  correct: boolean
  /** How many inferences (AD windows) the output is made of. */
  windows: number
  /** The scored vector: what the convention compares (raw, or normalised and averaged). */
  output: number[]
}

export interface ClassFigure {
  cls: number
  stimuli: number
  correct: number
  /** Percent; NaN for a class without stimuli. */
  accuracy: number
}

export interface AccuracyFigures {
  kind: ModelKind
  top1: number
  auc: number
  /** The exact ROC AUC (Mann–Whitney) of the scored vectors, whatever the convention prints. */
  aucExact: number
  /** AD: the score above which a file is called an anomaly (the one giving the reported Top-1). */
  threshold: number | null
  perClass: ClassFigure[]
  /** confusion[true class][predicted class]; a model with more outputs than classes gets extra columns. */
  confusion: number[][]
  predictions: StimulusPrediction[]
}

export function scoreAccuracy(stimuli: Stimulus[], classCount: number, convention: Convention): AccuracyFigures {
  const metrics = CONVENTIONS[convention]
  const kind: ModelKind = stimuli[0].windows[0].length === 1 ? 'anomaly' : 'classifier'
  const vectors = stimuli.map((stimulus) => metrics.stimulusVector(stimulus.windows, kind))
  const labels = stimuli.map((stimulus) => stimulus.label)
  let figures: Pick<AccuracyFigures, 'auc' | 'aucExact' | 'threshold' | 'top1'>
  let predicted: number[]
  if (kind === 'anomaly') {
    const scores = vectors.map((vector) => vector[0])
    const {top1, auc, threshold} = metrics.anomaly(scores, labels)
    figures = {top1, auc, threshold, aucExact: exactRocAuc(scores, labels.map((label) => label === 1))}
    predicted = scores.map((score) => (score > threshold ? 1 : 0))
  } else {
    predicted = vectors.map((vector) => argmaxFirst(vector))
    const correct = predicted.filter((prediction, index) => prediction === labels[index]).length
    figures = {
      top1: (100 * correct) / stimuli.length,
      auc: metrics.classifierAuc(vectors, labels, classCount),
      aucExact: vectors[0].length === 2
        ? exactRocAuc(vectors.map((vector) => vector[1]), labels.map((label) => label === 1))
        : oneVsRestMacroAuc(vectors, labels),
      threshold: null,
    }
  }
  const columns = predicted.reduce((widest, prediction) => Math.max(widest, prediction + 1), classCount)
  const confusion = Array.from({length: classCount}, () => new Array<number>(columns).fill(0))
  for (const [index, label] of labels.entries()) confusion[label][predicted[index]]++
  const perClass = confusion.map((row, cls) => {
    const count = row.reduce((sum, cell) => sum + cell, 0)
    return {cls, stimuli: count, correct: row[cls], accuracy: (100 * row[cls]) / count}
  })
  const predictions = stimuli.map((stimulus, index) => ({
    file: stimulus.file,
    label: stimulus.label,
    prediction: predicted[index],
    correct: predicted[index] === stimulus.label,
    windows: stimulus.windows.length,
    output: vectors[index],
  }))
  return {kind, ...figures, perClass, confusion, predictions}
}
