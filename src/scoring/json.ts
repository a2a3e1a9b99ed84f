/** The `--json` view of a score. */

import type {Convention} from './convention.js'
import type {Runner} from './events.js'
import type {Mode, ScoreResult, SwwScore} from './types.js'
import type {Figures} from './published.js'
import type {SwwFigures} from './sww-log.js'

/**
 * The `--json` shape: snake_case keys, NaN as null, no per-stimulus predictions (see `--predictions`); a sww01 result
 * adds its headline figures at the top level and the timeline under `sww`.
 */
export type ScoreResultJson = CommonResultJson | (CommonResultJson & SwwResultJson)

interface CommonResultJson {
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

interface SwwResultJson {
  true_positives: number
  false_negatives: number
  false_positives: number
  f1: number | null
  duty_cycle: number | null
  period_s: number | null
  throughput_ips: number | null
  power_mw: number | null
  sww: {
    wav_file: string
    length_s: number | null
    truth_source: string
    truth_windows: [number, number][]
    detections_ms: number[]
    /** Per truth window, the detections (seconds after the t = 0 marker) it consumed: none for a false negative. */
    window_detections_s: number[][]
    false_positives_s: number[]
    read_back: string[]
    printed: SwwFiguresJson
    published: SwwFiguresJson
  }
}

interface SwwFiguresJson {
  accuracy: string | null
  duty_cycle: string | null
  period_s: string | null
  throughput_ips: string | null
  power_mw: string | null
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
    ...(result.sww ? swwJson(result.sww) : {}),
  }
}

function swwJson(sww: SwwScore): SwwResultJson {
  const {stats} = sww
  return {
    true_positives: stats.truePositives,
    false_negatives: stats.falseNegatives,
    false_positives: stats.falsePositives,
    f1: finite(stats.f1),
    duty_cycle: finite(sww.dutyCycle),
    period_s: finite(sww.periodS),
    throughput_ips: finite(sww.throughputIps),
    power_mw: finite(sww.powerMw),
    sww: {
      wav_file: sww.wavFile,
      length_s: finite(sww.lengthS),
      truth_source: sww.truthSource,
      truth_windows: sww.windows.map(([start, stop]) => [start, stop]),
      detections_ms: sww.detectionsMs,
      window_detections_s: stats.matches.map((hit) => hit.map((index) => stats.detectionsS[index])),
      false_positives_s: stats.falsePositiveIndices.map((index) => stats.detectionsS[index]),
      read_back: sww.readBack,
      printed: swwFiguresJson(sww.printed),
      published: swwFiguresJson(sww.published),
    },
  }
}

function swwFiguresJson(figures: SwwFigures): SwwFiguresJson {
  return {
    accuracy: figures.accuracy,
    duty_cycle: figures.dutyCycle,
    period_s: figures.periodS,
    throughput_ips: figures.throughputIps,
    power_mw: figures.powerMw,
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
