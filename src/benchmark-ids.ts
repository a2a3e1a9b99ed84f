/** The runner folder names of the benchmarks whose stimuli are `.bin` files listed in y_labels.csv (stimuli.md §0.1). */
export const BENCHMARK_IDS = ['kws01', 'vww01', 'ic01', 'ad01'] as const
export type BenchmarkId = (typeof BENCHMARK_IDS)[number]

/**
 * Every model id a device reports (`m-model-…`, the Python runner's tests_*.yaml keys): the stimulus benchmarks, ic02
 * (MLPerf Tiny v1.4, a larger image classifier run on ic01's stimuli) and sww01 (streaming, a truth JSON and WAVs).
 */
export const RUNNER_BENCHMARK_IDS = ['kws01', 'vww01', 'ic01', 'ic02', 'ad01', 'sww01'] as const
export type RunnerBenchmarkId = (typeof RUNNER_BENCHMARK_IDS)[number]

/** The closed-division accuracy target of the MLCommons submission checker (spec/check.md). */
export type AccuracyTarget =
  | {metric: 'top1'; minimum: number}
  | {metric: 'auc'; minimum: number}
  | {metric: 'detections'; maxFalsePositives: number; maxFalseNegatives: number}

export interface RunnerBenchmark<Stimuli extends BenchmarkId | 'sww01' = BenchmarkId | 'sww01'> {
  /** Whose stimuli it runs: the folder the Python runner reads (tests_*.yaml `model:`); ic02 reads ic01's. */
  stimuli: Stimuli
  /** Its model folder in submission trees (`results/<system>/<model>/<mode>/`). */
  submissionModel: 'kws' | 'vww' | 'ic' | 'ic2' | 'ad' | 'sww'
  /** The MLPerf Tiny round that introduced it. */
  since: 'v0.5' | 'v1.3' | 'v1.4'
  accuracyTarget: AccuracyTarget
}

export const RUNNER_BENCHMARKS: {readonly [Id in RunnerBenchmarkId]: RunnerBenchmark<Id extends 'sww01' ? 'sww01' : BenchmarkId>} = {
  kws01: {stimuli: 'kws01', submissionModel: 'kws', since: 'v0.5', accuracyTarget: {metric: 'top1', minimum: 90}},
  vww01: {stimuli: 'vww01', submissionModel: 'vww', since: 'v0.5', accuracyTarget: {metric: 'top1', minimum: 80}},
  ic01: {stimuli: 'ic01', submissionModel: 'ic', since: 'v0.5', accuracyTarget: {metric: 'top1', minimum: 85}},
  ic02: {stimuli: 'ic01', submissionModel: 'ic2', since: 'v1.4', accuracyTarget: {metric: 'top1', minimum: 91}},
  ad01: {stimuli: 'ad01', submissionModel: 'ad', since: 'v0.5', accuracyTarget: {metric: 'auc', minimum: 0.85}},
  sww01: {stimuli: 'sww01', submissionModel: 'sww', since: 'v1.3', accuracyTarget: {metric: 'detections', maxFalsePositives: 8, maxFalseNegatives: 8}},
}

/** The .bin benchmark whose stimuli a reported model id runs on (ic02 → ic01), or null for sww01 and unknown ids. */
export function stimulusBenchmarkOf(id: string | null): BenchmarkId | null {
  if (id === null || !(RUNNER_BENCHMARK_IDS as readonly string[]).includes(id)) return null
  const {stimuli} = RUNNER_BENCHMARKS[id as RunnerBenchmarkId]
  return stimuli === 'sww01' ? null : stimuli
}
