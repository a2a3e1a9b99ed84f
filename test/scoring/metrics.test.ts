import {describe, expect, it} from 'vitest'

import {scoreAccuracy} from '../../src/scoring/accuracy.js'
import {formatFixed} from '../../src/scoring/format.js'
import {erMetrics, simplifiedAuc} from '../../src/scoring/metrics-er.js'
import {pyMetrics} from '../../src/scoring/metrics-py.js'
import {argmaxFirst, exactRocAuc, median, oneVsRestMacroAuc} from '../../src/scoring/stats.js'

/** Anomaly scores with one normal above an anomaly: normals 1, 2, 10, anomalies 3, 11, 12. */
const AD_SCORES = [1, 2, 10, 3, 11, 12]
const AD_LABELS = [0, 0, 0, 1, 1, 1]

describe('shared statistics', () => {
  it('argmax keeps the first of tied maxima (numpy)', () => {
    expect(argmaxFirst([0.5, 0.5])).toBe(0)
    expect(argmaxFirst([0, 0.4, 0.1, 0.4])).toBe(1)
    expect(argmaxFirst([-81, -3, -3.5])).toBe(1)
  })

  it('median of an even count is the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
  })

  it('exact ROC AUC counts tied scores one half, and is NaN without both classes', () => {
    expect(exactRocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75)
    expect(exactRocAuc([0.5, 0.5], [true, false])).toBe(0.5)
    expect(exactRocAuc([0.2, 0.3], [true, true])).toBeNaN()
  })

  it('one-vs-rest macro AUC averages over the classes present in the labels only', () => {
    const vectors = [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7], [0.15, 0.5, 0.35]]
    // class 0: positive 0.8 above all → 1; class 1: positives 0.7, 0.2, 0.5 vs 0.1 → 1; class 2 is absent
    expect(oneVsRestMacroAuc(vectors, [0, 1, 1, 1])).toBe(1)
    // class 0: positives 0.8, 0.15 vs 0.2, 0.1 → 3/4
    expect(oneVsRestMacroAuc(vectors, [0, 1, 2, 0])).toBeCloseTo((0.75 + 1 + 1) / 3, 12)
  })
})

describe('EnergyRunner convention', () => {
  it('scores the last output of a classifier as printed, and the mean of an AD file\'s windows', () => {
    expect(erMetrics.stimulusVector([[1, 0], [0.2, 0.8]], 'classifier')).toEqual([0.2, 0.8])
    expect(erMetrics.stimulusVector([[11.772], [9.834], [10.5]], 'anomaly')).toEqual([(11.772 + 9.834 + 10.5) / 3])
  })

  it('simplified AUC is 1 for separated outputs in [0, 1]', () => {
    const vectors = [[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.15, 0.85]]
    expect(simplifiedAuc(vectors, [0, 0, 1, 1], 2)).toBe(1)
  })

  it('simplified AUC collapses on raw int8 outputs, which exceed every threshold in [0, 1]', () => {
    const int8 = [[100, 27], [90, 37], [37, 90], [0, 127]]
    // class 0: TPR 1, FPR 0.5 at every threshold → 0.5; class 1: TPR = FPR = 1 → 0; mean 0.25
    expect(simplifiedAuc(int8, [0, 0, 1, 1], 2)).toBe(0.25)
    const figures = scoreAccuracy([
      {file: 'a', label: 0, windows: [int8[0]]}, {file: 'b', label: 0, windows: [int8[1]]},
      {file: 'c', label: 1, windows: [int8[2]]}, {file: 'd', label: 1, windows: [int8[3]]},
    ], 2, 'er')
    expect([figures.top1, figures.auc, figures.aucExact]).toEqual([100, 0.25, 1])
  })

  it('averages the AUC over the label list\'s classes, not over the outputs (12 outputs, 10 classes)', () => {
    const vectors = [[0.9, 0.1, 0], [0.2, 0.8, 0]]
    expect(simplifiedAuc(vectors, [0, 1], 2)).toBe(1)
    // a third class without stimuli has no TPR: averaging over the outputs would make the AUC undefined
    expect(simplifiedAuc(vectors, [0, 1], 3)).toBeNaN()
  })

  it('AD: best plain accuracy over min…max thresholds (a k/N fraction) and the 101-threshold trapezoid AUC', () => {
    const {top1, auc, threshold} = erMetrics.anomaly(AD_SCORES, AD_LABELS)
    // best thresholds lie in [2, 3) or [10, 11): 5 of 6 right; the first is 1 + 10·0.01·11
    expect(top1).toBe(500 / 6)
    expect(threshold).toBeCloseTo(2.1, 12)
    expect(auc).toBeCloseTo(8 / 9, 12)
    expect(formatFixed(top1, 1)).toBe('83.3')
  })
})

describe('Python-runner convention', () => {
  it('divides every output with more than one element by its sum, then averages the windows', () => {
    expect(pyMetrics.stimulusVector([[1, 0, 1], [0, 1, 1]], 'classifier')).toEqual([0.25, 0.25, 0.5])
    expect(pyMetrics.stimulusVector([[2, 1, 1]], 'classifier')).toEqual([0.5, 0.25, 0.25])
    expect(pyMetrics.stimulusVector([[11.5], [9.5]], 'anomaly')).toEqual([10.5])
  })

  it('normalisation changes the one-vs-rest AUC (as on Qualcomm v1.3 kws)', () => {
    const raw = [[0.9, 0.9, 0.0], [0.3, 0.1, 0.1], [0.1, 0.8, 0.1], [0.2, 0.3, 0.5]]
    const labels = [0, 0, 1, 2]
    const normalised = raw.map((vector) => pyMetrics.stimulusVector([vector], 'classifier'))
    // class 0 raw: positives 0.9, 0.3 vs 0.1, 0.2 → 1; class 1 raw: positive 0.8 below 0.9 → 2/3
    expect(oneVsRestMacroAuc(raw, labels)).toBeCloseTo((1 + 2 / 3 + 1) / 3, 12)
    // normalised, row 0 becomes [0.5, 0.5, 0]: the class-1 positive 0.8 now ranks above every negative
    expect(pyMetrics.classifierAuc(normalised, labels, 3)).toBe(1)
  })

  it('AD: (precision + recall) / 2 differs from the ER plain accuracy on the same scores', () => {
    const {top1, auc} = pyMetrics.anomaly(AD_SCORES, AD_LABELS)
    expect(formatFixed(top1, 1)).toBe('87.5')
    expect(auc).toBeCloseTo(8 / 9, 12)
  })
})

describe('formatFixed', () => {
  it('prints like Python %.Nf: exact binary ties go to the even digit', () => {
    expect(formatFixed(0.125, 2)).toBe('0.12')
    expect(formatFixed(0.375, 2)).toBe('0.38')
    expect(formatFixed(87.25, 1)).toBe('87.2')
    expect(formatFixed(2.5, 0)).toBe('2')
    expect(formatFixed(0.5, 0)).toBe('0')
  })

  it('rounds everything else correctly, including decimals that are not exact in binary', () => {
    expect(formatFixed(0.985, 2)).toBe('0.98')
    expect(formatFixed(90.100_000_000_000_01, 1)).toBe('90.1')
    expect(formatFixed(412.753_420_281_217_13, 3)).toBe('412.753')
    expect(formatFixed(Number.NaN, 2)).toBe('nan')
  })
})
