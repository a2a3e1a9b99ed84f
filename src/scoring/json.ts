/** The `--json` view of a score. */

import type {Convention} from './convention.js'
import type {Runner} from './events.js'
import type {Mode, ScoreResult} from './types.js'
import type {Figures} from './published.js'

/** The `--json` shape: snake_case keys, NaN as null, no per-stimulus predictions (see `--predictions`). */
export interface ScoreResultJson {
  path: string
  log: string
  benchmark: string | null
  runner: Runner
  runner_version: string | null
  mode: Mode
  convention: Convention
  run_mode: string | null
  labels: string | null
  files_scored: number
  files_expected: number | null
  coverage_complete: boolean | null
  top1: number | null
  auc: number | null
  auc_exact: number | null
  anomaly_threshold: number | null
  median_ips: number | null
  median_uj_per_inference: number | null
  windows: {
    file: string | null
    inferences: number | null
    seconds: number | null
    inferences_per_second: number | null
    microjoules: number | null
    microjoules_per_inference: number | null
  }[]
  per_class: {class: number; stimuli: number; correct: number; accuracy: number | null}[] | null
  confusion: number[][] | null
  printed: FiguresJson
  published: FiguresJson
  warnings: string[]
}

interface FiguresJson {
  top1: string | null
  auc: string | null
  median_ips: string | null
  median_uj_per_inference: string | null
}

export function scoreResultToJson(result: ScoreResult): ScoreResultJson {
  return {
    path: result.path,
    log: result.log,
    benchmark: result.benchmark,
    runner: result.runner,
    runner_version: result.runnerVersion,
    mode: result.mode,
    convention: result.convention,
    run_mode: result.runMode,
    labels: result.labels,
    files_scored: result.filesScored,
    files_expected: result.filesExpected,
    coverage_complete: result.coverageComplete,
    top1: finite(result.top1),
    auc: finite(result.auc),
    auc_exact: finite(result.aucExact),
    anomaly_threshold: finite(result.anomalyThreshold),
    median_ips: finite(result.medianIps),
    median_uj_per_inference: finite(result.medianUjPerInference),
    windows: result.windows.map((window) => ({
      file: window.file,
      inferences: finite(window.inferences),
      seconds: finite(window.seconds),
      inferences_per_second: finite(window.inferencesPerSecond),
      microjoules: finite(window.microjoules),
      microjoules_per_inference: finite(window.microjoulesPerInference),
    })),
    per_class: result.perClass?.map((figure) => ({
      class: figure.cls, stimuli: figure.stimuli, correct: figure.correct, accuracy: finite(figure.accuracy),
    })) ?? null,
    confusion: result.confusion,
    printed: figuresJson(result.printed),
    published: figuresJson(result.published),
    warnings: result.warnings,
  }
}

function figuresJson(figures: Figures<string | null>): FiguresJson {
  return {
    top1: figures.top1,
    auc: figures.auc,
    median_ips: figures.medianIps,
    median_uj_per_inference: figures.medianUjPerInference,
  }
}

/** A number for JSON: NaN and the infinities (which JSON cannot hold) become null. */
export function finite(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null
}
