/** The runner folder names of the benchmarks whose stimuli are `.bin` files listed in y_labels.csv (stimuli.md §0.1). */
export const BENCHMARK_IDS = ['kws01', 'vww01', 'ic01', 'ad01'] as const
export type BenchmarkId = (typeof BENCHMARK_IDS)[number]
