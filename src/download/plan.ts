import {ALL_BENCHMARKS, BENCHMARK_SOURCES} from '../../datasets/index.js'
import type {SourceDataset, SourceFile} from '../../datasets/types.js'
import {UserError} from '../errors.js'

/** One file to fetch, with the benchmarks on the command line that asked for it. */
export interface PlannedFile {
  dataset: SourceDataset
  file: SourceFile
  benchmarks: string[]
  /** Not needed by any of those benchmarks' stimuli (fetched only with --include-optional). */
  optional: boolean
}

export const BENCHMARK_NAMES = BENCHMARK_SOURCES.map((sources) => sources.name)

/** The files of the named benchmarks (`all` for every one), each file once, in table order. */
export function planDownloads(names: readonly string[], options: {includeOptional: boolean}): PlannedFile[] {
  const unknown = names.filter((name) => name !== ALL_BENCHMARKS && !BENCHMARK_NAMES.includes(name))
  if (unknown.length > 0) throw new UserError(`unknown data set ${unknown.map((name) => `'${name}'`).join(', ')}: choose ${BENCHMARK_NAMES.join(', ')} or ${ALL_BENCHMARKS}`)
  const wanted = names.includes(ALL_BENCHMARKS) ? BENCHMARK_SOURCES : BENCHMARK_SOURCES.filter((sources) => names.includes(sources.name))
  const planned = new Map<string, PlannedFile>()
  for (const sources of wanted) {
    const files = [
      ...sources.datasets.flatMap((dataset) => dataset.files.map((file) => ({dataset, file, optional: Boolean(file.optional)}))),
      ...sources.optional.flatMap((dataset) => dataset.files.map((file) => ({dataset, file, optional: true}))),
    ]
    for (const {dataset, file, optional} of files) {
      if (optional && !options.includeOptional) continue
      const seen = planned.get(file.name)
      if (seen) {
        seen.benchmarks.push(sources.name)
        seen.optional &&= optional
      } else {
        planned.set(file.name, {dataset, file, benchmarks: [sources.name], optional})
      }
    }
  }
  return [...planned.values()]
}

/** The command that fetches these files: for each, the first benchmark needing it, else the first listing it as optional. */
export function downloadCommandFor(...fileNames: string[]): string {
  const lists = (datasets: readonly SourceDataset[], fileName: string, required: boolean) =>
    datasets.some((dataset) => dataset.files.some((file) => file.name === fileName && (!required || !file.optional)))
  const names = new Set<string>()
  let optional = false
  for (const fileName of fileNames) {
    const needing = BENCHMARK_SOURCES.find((sources) => lists(sources.datasets, fileName, true))
    const offering = BENCHMARK_SOURCES.find((sources) => lists(sources.datasets, fileName, false) || lists(sources.optional, fileName, false))
    if (needing ?? offering) names.add((needing ?? offering)!.name)
    optional ||= !needing && offering !== undefined
  }
  return ['tinydata download', ...names, ...(optional ? ['--include-optional'] : [])].join(' ')
}
