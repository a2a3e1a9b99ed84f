/** What a score is: its options, and the result every view of it (text, JSON, predictions, HTML report) reads. */

import type {ClassFigure, StimulusPrediction} from './accuracy.js'
import type {Convention} from './convention.js'
import type {Runner} from './events.js'
import type {TruthWindow} from '../formats/sww-truth.js'
import type {DetectionStats} from './metrics-sww.js'
import type {Figures} from './published.js'
import type {SwwFigures} from './sww-log.js'
import type {Window} from './windows.js'

export type Mode = 'accuracy' | 'energy' | 'performance'

export interface ScoreOptions {
  /** A y_labels.csv, or a prepared folder holding one; default: the official list matching the log's file names. */
  labels?: string
  /** Default: the log's own runner (ER → `er`, PY → `py`). */
  convention?: Convention
}

export interface ScoreResult {
  path: string
  log: string
  benchmark: string | null
  runner: Runner
  runnerVersion: string | null
  mode: Mode
  convention: Convention
  /** ER `runMode`: `multi` (accuracy), `bmark` (5-window median run) or `single` (one-window debug session). */
  runMode: string | null
  labels: string | null
  /** Accuracy: stimuli of the label list that got an output. Performance and energy: windows with a figure. */
  filesScored: number
  filesExpected: number | null
  coverageComplete: boolean | null
  top1: number | null
  auc: number | null
  aucExact: number | null
  anomalyThreshold: number | null
  medianIps: number | null
  medianUjPerInference: number | null
  windows: Window[]
  perClass: ClassFigure[] | null
  confusion: number[][] | null
  /** The figures as this runner would print them (Top-1 %.1f; AUC %.2f ER, %.3f PY; %.3f; %.3f ER, %.4f PY). */
  printed: Figures<string | null>
  /** The figures in the folder's results.txt, if any. */
  published: Figures<string | null>
  warnings: string[]
  predictions: StimulusPrediction[]
  /** sww01 (streaming wake word) runs only: detections against truth windows, duty cycle, power. */
  sww: SwwScore | null
}

/** A sww01 run scored as the Python runner scores it (spec/scoring.md §6); null figures: the folder has none. */
export interface SwwScore {
  wavFile: string
  lengthS: number
  /** Where the truth windows come from: the folder's results.json or a bundled truth file. */
  truthSource: string
  windows: TruthWindow[]
  /** As the device reported them; the first is the t = 0 marker. */
  detectionsMs: number[]
  stats: DetectionStats
  dutyCycle: number | null
  periodS: number | null
  throughputIps: number | null
  powerMw: number | null
  /** Figures taken from the runner's echo in the log because the raw data is not in the folder. */
  readBack: string[]
  /** As `summarize_sww_result` and the energy block print them. */
  printed: SwwFigures
  /** From results.txt (or, without one, the log's echo). */
  published: SwwFigures
}
