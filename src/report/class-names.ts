/** Readable class names for the report, from the benchmark definitions that also name the stimulus files. */

import {ad01} from '../../datasets/ad01.js'
import {ic01} from '../../datasets/ic01.js'
import {kws01} from '../../datasets/kws01.js'
import {vww01} from '../../datasets/vww01.js'

const CLASS_NAMES: Record<string, readonly string[]> = {
  [kws01.id]: kws01.classNames,
  [vww01.id]: vww01.classNames,
  [ic01.id]: ic01.classNames,
  [ad01.id]: ad01.classNames,
}

/**
 * The name of every class 0…count−1; a user's list of another size, or an unknown benchmark, keeps the numbers
 * (`class 3`), since a name that does not belong to the class would mislead.
 */
export function classNames(benchmark: string | null, count: number): string[] {
  const names = benchmark === null ? undefined : CLASS_NAMES[benchmark]
  return Array.from({length: count}, (_, cls) => (names?.length === count ? names[cls] : `class ${cls}`))
}
