/**
 * One row of the results table `tinydata check --csv` writes: the columns of the official checker's summary.csv
 * (spec/check.md "The table"), in its order, then tinydata's own columns (the figures recomputed from the raw logs and
 * the problems found), so a row is listed even where a log is missing or disagrees.
 */

/** The official columns, as the checker writes them: strings as they will appear in the file, null where it has none. */
export interface OfficialSummaryColumns {
  Organization: string
  Availability: string | null
  Division: string
  BoardName: string | null
  SystemDesc: string
  Model: string
  MlperfModel: string | null
  /** Median throughput (inf./sec.) from results.txt, as Python prints `float(match)`. */
  Result: string | null
  ResultUnit: string
  /** Top-1 or AUC as matched in results.txt; sww: F1 = 2TP / (2TP + FP + FN). */
  Accuracy: string | null
  HasPower: boolean
  /** Energy (uJ/inf.; sww mW) from the energy folder's results.txt, `0` without one. */
  Power: string
  PowerUnit: string
  HostProcessorModelName: string | null
  HostProcessorFrequency: string | null
  HostProcessorMemory: string | null
  AcceleratorModelName: string | null
  AcceleratorFrequency: string | null
  AcceleratorMemory: string | null
  HardwareNotes: string | null
  InferenceFramework: string | null
  SoftwareLibraries: string | null
  SoftwareNotes: string | null
  /** From v1.3 only (sww rows; empty on the others). */
  FalsePositives: string | null
  FalseNegatives: string | null
  DutyCycle: string | null
}

/** tinydata's columns, after the official ones. */
export interface RecomputedSummaryColumns {
  /** Whether the official checker would list this row (a row it drops is still listed here, with its problems). */
  OfficialRow: boolean
  /** Recomputed from the raw logs by the code of `tinydata score`, printed at the runner's precision. */
  RecomputedResult: string | null
  RecomputedAccuracy: string | null
  RecomputedPower: string | null
  /** Every problem found for this system and model, `; `-separated in CSV. */
  Problems: string[]
}

export type SummaryRow = OfficialSummaryColumns & RecomputedSummaryColumns

/** The official column names, in the official order; `version` ≥ v1.3 adds the sww columns. */
export function officialColumns(version: string): (keyof OfficialSummaryColumns)[] {
  const columns: (keyof OfficialSummaryColumns)[] = [
    'Organization', 'Availability', 'Division', 'BoardName', 'SystemDesc', 'Model', 'MlperfModel', 'Result',
    'ResultUnit', 'Accuracy', 'HasPower', 'Power', 'PowerUnit', 'HostProcessorModelName', 'HostProcessorFrequency',
    'HostProcessorMemory', 'AcceleratorModelName', 'AcceleratorFrequency', 'AcceleratorMemory', 'HardwareNotes',
    'InferenceFramework', 'SoftwareLibraries', 'SoftwareNotes',
  ]
  if (versionAtLeast(version, 'v1.3')) columns.push('FalsePositives', 'FalseNegatives', 'DutyCycle')
  return columns
}

export const RECOMPUTED_COLUMNS: (keyof RecomputedSummaryColumns)[] = [
  'OfficialRow', 'RecomputedResult', 'RecomputedAccuracy', 'RecomputedPower', 'Problems',
]

/** `v1.3` ≥ `v1.0`: versions compared number by number. */
export function versionAtLeast(version: string, than: string): boolean {
  const parts = (text: string) => text.replace(/^v/, '').split('.').map(Number)
  const [a, b] = [parts(version), parts(than)]
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i] ?? -1, b[i] ?? -1]
    if (x !== y) return x > y
  }
  return true
}
