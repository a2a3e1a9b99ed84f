/** What the prepare pipelines share: the source checksum, pinned tables and official hashes, the parity check. */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {isAbsolute} from 'node:path'

import type {SourceReader} from '../archives/source-reader.js'
import type {SourceFile} from '../../datasets/types.js'
import {fileError} from '../errors.js'
import type {StimulusRecord} from '../manifest/schema.js'
import {packageFile} from '../package-files.js'

/** `none (a JSON file)`: annotations given as the bare JSON, for which no checksum is pinned. */
export type ChecksumState =
  | 'verified' | 'not verified (--no-verify)' | 'not verified (no published checksum)' | 'none (a folder)' | 'none (a JSON file)'

/** A source as the result reports it (the same fields as prepare kws). */
export interface CheckedSource {
  path: string
  kind: string
  sha256: string | null
  checksum: ChecksumState
}

/**
 * The source's checksum state once all its members are read. With verification on, an archive whose sha256 is none
 * of the pinned files' is a UserError, raised before anything is written.
 */
export function checkSourceSha256(reader: SourceReader, pinned: readonly SourceFile[], verify: boolean): CheckedSource {
  const sha256 = reader.sha256() ?? null
  const published = pinned.some((file) => file.sha256 !== undefined)
  const checksum: ChecksumState = reader.kind === 'folder' ? 'none (a folder)'
    : !verify ? 'not verified (--no-verify)'
    : published ? 'verified' : 'not verified (no published checksum)'
  if (checksum === 'verified' && !pinned.some((file) => file.sha256 === sha256)) {
    const names = pinned.map((file) => `${file.sha256} of ${file.name}`).join(' or ')
    throw fileError(reader.path, `sha256 ${sha256} is not the pinned ${names} (a different or damaged archive; --no-verify prepares from it anyway)`)
  }
  return {path: reader.path, kind: reader.kind, sha256, checksum}
}

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
    const lines = readPinnedFile(table).split('\n').filter((line) => line !== '')
    if (lines[0] !== 'benchmark\tfile\tsha256') throw fileError(table, 'expected the header "benchmark<TAB>file<TAB>sha256"')
    const bySet = new Map<string, Map<string, string>>()
    for (const [index, line] of lines.slice(1).entries()) {
      const [set, file, sha256] = line.split('\t')
      if (!set || !file || !/^[0-9a-f]{64}$/.test(sha256 ?? '')) throw fileError(table, `line ${index + 2}: expected "set<TAB>file<TAB>sha256"`)
      if (!bySet.has(set)) bySet.set(set, new Map())
      bySet.get(set)!.set(file, sha256!)
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

export function parityWithPinned(records: readonly Pick<StimulusRecord, 'file' | 'stimulusSha256'>[], pinned: ReadonlyMap<string, string>): Parity {
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

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** How errors name a member: `<source>: <member path>`. */
export function memberName(source: string, member: string): string {
  return `${source}: ${member}`
}

/** `a, b, c, …`: the first few items of a list for a one-line message. */
export function firstFew(items: readonly string[], count = 3): string {
  return items.slice(0, count).join(', ') + (items.length > count ? ', …' : '')
}
