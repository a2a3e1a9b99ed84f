/**
 * The rules of MLCommons' submission checker, per version (spec/check.md, read from mlcommons/tiny
 * `tools/submission/submission_checker.py`): which benchmarks a version has, their accuracy targets, which tests each
 * needs, which files each test folder holds. Facts only; the checking is in ./model-folder.ts and ./tree.ts.
 */

import {type AccuracyTarget, RUNNER_BENCHMARK_IDS, RUNNER_BENCHMARKS, type RunnerBenchmark} from '../benchmark-ids.js'
import {versionAtLeast} from './summary-row.js'

export const CHECK_VERSIONS = ['v1.0', 'v1.1', 'v1.2', 'v1.3', 'v1.4'] as const
export type CheckVersion = (typeof CHECK_VERSIONS)[number]
/** The newest round: the default when neither --version nor the tree's path names one. */
export const LATEST_VERSION: CheckVersion = 'v1.4'

/** The checker's model names (the folder names under `results/<system>/`). */
export type MlperfModel = RunnerBenchmark['submissionModel']
export type TestName = 'accuracy' | 'energy' | 'performance'
export const TEST_NAMES: readonly TestName[] = ['accuracy', 'performance', 'energy']

export interface VersionRules {
  version: CheckVersion
  models: readonly MlperfModel[]
  /** Each model's closed-division target (src/benchmark-ids.ts holds them, one per benchmark). */
  targets: Readonly<Partial<Record<MlperfModel, AccuracyTarget>>>
  /** Folder names the checker maps to a model (v1.0's long names). */
  longNames: Readonly<Record<string, MlperfModel>>
  /**
   * Tests each model must and may have. Null before v1.3: the configuration lists none ("anything goes"), and the
   * official script stops there with `KeyError: 'required_tests'`; tinydata checks the tests that are present.
   */
  tests: Readonly<Record<MlperfModel, {required: readonly TestName[]; optional: readonly TestName[]}>> | null
  /** Before v1.3 the EnergyRunner was the only runner and no folder carries an `EEMBC_RUNNER` marker. */
  runnerMarker: boolean
}

const CLASSIFIER_TESTS = {required: ['accuracy', 'performance'], optional: ['energy']} as const
const SWW_TESTS = {required: [], optional: ['energy', 'performance']} as const

const V1_0_LONG_NAMES: Record<string, MlperfModel> = {
  anomaly_detection: 'ad',
  image_classification: 'ic',
  keyword_spotting: 'kws',
  visual_wake_words: 'vww',
  streaming_wakeword_detection: 'sww',
}

export function versionRules(version: CheckVersion): VersionRules {
  // a benchmark is in every round from the one that introduced it (v0.5's four are in v1.0 on)
  const benchmarks = RUNNER_BENCHMARK_IDS.map((id) => RUNNER_BENCHMARKS[id]).filter((benchmark) => versionAtLeast(version, benchmark.since))
  const withTests = versionAtLeast(version, 'v1.3')
  return {
    version,
    models: benchmarks.map((benchmark) => benchmark.submissionModel),
    targets: Object.fromEntries(benchmarks.map((benchmark) => [benchmark.submissionModel, benchmark.accuracyTarget])),
    longNames: version === 'v1.0' ? V1_0_LONG_NAMES : {},
    tests: withTests
      ? {ad: CLASSIFIER_TESTS, ic: CLASSIFIER_TESTS, ic2: CLASSIFIER_TESTS, kws: CLASSIFIER_TESTS, vww: CLASSIFIER_TESTS, sww: SWW_TESTS}
      : null,
    runnerMarker: withTests,
  }
}

export const VALID_DIVISIONS = ['closed', 'open'] as const
/** Top-level folders the checker passes over silently. */
export const IGNORED_TOP_LEVEL = new Set(['.git', '.github', 'assets', '.vscode'])
/** The system JSON's `Status`, lower-cased. */
export const VALID_AVAILABILITIES = new Set(['available', 'preview', 'rdi'])
/** 500 MiB (the checker's message says "50 MB"). */
export const FILE_SIZE_LIMIT_BYTES = 500 * 1024 * 1024
/** The marker file of a model folder run by the EnergyRunner. */
export const EEMBC_RUNNER_MARKER = 'EEMBC_RUNNER'
/** An open-division submitter's own folder-name → model mapping, at `open/<submitter>/`. */
export const MODEL_MAPPING_FILE = 'model_mapping.json'

export type RunnerKind = 'EnergyRunner' | 'Python runner'
/** The files every test folder must hold, per runner. */
export const REQUIRED_FILES: Record<RunnerKind, readonly string[]> = {
  EnergyRunner: ['log.txt', 'results.txt', 'script.async'],
  'Python runner': ['log.txt', 'results.txt', 'results.json'],
}
/** Files a test folder may hold besides the required ones. */
export const OPTIONAL_FILES = new Set(['results.json', 'mlperf_log_trace.json', '.gitkeep'])
/** A sww energy folder also holds the runner's plot of the first inference window. */
export const SWW_ENERGY_FILES = ['energy_inf_000.png']

/** The system JSON fields the results table takes, by the column they fill. */
export const SYSTEM_FIELDS = {
  BoardName: 'Board Name',
  HostProcessorModelName: 'Processor(s) Name',
  HostProcessorFrequency: 'Processor(s) Frequencies',
  HostProcessorMemory: 'Processor memory type and capacity',
  AcceleratorModelName: 'Accelerator',
  AcceleratorFrequency: 'Accelerator(s) Frequencies',
  AcceleratorMemory: 'Accelerator memory type and capacity',
  HardwareNotes: 'Hardware Notes',
  InferenceFramework: 'Inference Framework',
  SoftwareLibraries: 'Software Libraries',
  SoftwareNotes: 'Software Notes',
} as const

/** The checker's patterns on results.txt, line by line, the last match winning (checker: ACC_PATTERN and the perf/power readers). */
export const RESULT_PATTERNS = {
  top1: /.* Top[- ]1%?\s?[:=] ([\d.]+).*/,
  auc: /.* AUC\s?[:=] ([\d.]+).*/,
  throughput: /.* Median throughput is\s+([\d.]+) inf\.\/sec\..*/,
  energy: /Median energy cost is ([\d.]+) uJ\/inf/,
  swwPower: /Power\s+: ([\d.]+) mW/,
  swwThroughput: /Estimated throughput:\s*([\d.]+) inf\.\/sec\./,
  swwDetections: /Accuracy: (\d+) True positives, (\d+) False negatives, (\d+) False positives/,
  swwDutyCycle: /Average duty cycle:\s*([\d.]+)/,
} as const

/** sww01's WAV holds 50 wake words: TP + FN must be 50. */
export const SWW_WAKE_WORDS = 50
