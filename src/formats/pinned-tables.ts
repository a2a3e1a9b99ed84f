/** The pinned facts under manifests/ (official stimulus hashes, label lists), read once from the package. */
import {readFileSync} from 'node:fs'
import {isAbsolute} from 'node:path'

import {fileError} from '../errors.js'
import {packageFile} from '../package-files.js'
import {parseTsv} from './tsv.js'

/** A pinned file: a path inside the package (manifests/…) or an absolute one (a test's own table). */
export function readPinnedFile(path: string): string {
  return readFileSync(isAbsolute(path) ? path : packageFile(path), 'utf8')
}

/** Where a benchmark's official stimuli are pinned: a set (the `benchmark` column) of a `benchmark<TAB>file<TAB>sha256` table. */
export interface OfficialStimuli {
  table: string
  set: string
}

/** manifests/official_stimulus_sha256.tsv: the sha256 of every published official stimulus, by set. */
export const OFFICIAL_STIMULI_TABLE = 'manifests/official_stimulus_sha256.tsv'

const officialTables = new Map<string, ReadonlyMap<string, ReadonlyMap<string, string>>>()

/** Every set of a pinned official-stimulus table (set → file → sha256), read once. */
export function loadOfficialStimulusTable(table: string): ReadonlyMap<string, ReadonlyMap<string, string>> {
  let sets = officialTables.get(table)
  if (!sets) {
    const bySet = new Map<string, Map<string, string>>()
    for (const [index, row] of parseTsv(readPinnedFile(table), ['benchmark', 'file', 'sha256'], table).entries()) {
      if (!row.benchmark || !row.file || !/^[0-9a-f]{64}$/.test(row.sha256)) {
        throw fileError(table, `line ${index + 2}: expected "set<TAB>file<TAB>sha256"`)
      }
      if (!bySet.has(row.benchmark)) bySet.set(row.benchmark, new Map())
      bySet.get(row.benchmark)!.set(row.file, row.sha256)
    }
    sets = bySet
    officialTables.set(table, sets)
  }
  return sets
}

/** The pinned sha256 of one set's official stimuli, by file name. */
export function officialStimulusHashes({table, set}: OfficialStimuli): ReadonlyMap<string, string> {
  return loadOfficialStimulusTable(table).get(set) ?? new Map()
}

/** Written files whose bytes equal the official file of the same name, through the pinned sha256 values. */
export interface Parity {
  compared: number
  identical: number
  differing: string[]
}

export function parityWithPinned(records: readonly {file: string; stimulusSha256: string}[], pinned: ReadonlyMap<string, string>): Parity {
  let compared = 0
  const differing: string[] = []
  for (const record of records) {
    const official = pinned.get(record.file)
    if (official === undefined) continue
    compared++
    if (official !== record.stimulusSha256) differing.push(record.file)
  }
  return {compared, identical: compared - differing.length, differing}
}
