/** Readable class names for the report, from the benchmark definitions that also name the stimulus files. */

import {BENCHMARK_CLASS_NAMES} from '../../datasets/class-names.js'
import {stimulusBenchmarkOf} from '../benchmark-ids.js'

/**
 * The name of every class 0…count−1; a user's list of another size, or an unknown benchmark, keeps the numbers
 * (`class 3`), since a name that does not belong to the class would mislead.
 */
export function classNames(benchmark: string | null, count: number): string[] {
  // a model that runs on another benchmark's stimuli (ic02 on ic01's) has its classes
  const stimuli = stimulusBenchmarkOf(benchmark)
  const names = stimuli === null ? undefined : BENCHMARK_CLASS_NAMES[stimuli]
  return Array.from({length: count}, (_, cls) => (names?.length === count ? names[cls] : `class ${cls}`))
}
