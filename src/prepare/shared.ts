/** What the prepare pipelines share: the source checksum, pinned tables and official hashes, the parity check. */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {isAbsolute} from 'node:path'

import type {SourceReader} from '../archives/source-reader.js'
import type {SourceFile} from '../datasets/types.js'
import {fileError} from '../errors.js'
import type {StimulusRecord} from '../manifest/schema.js'
import {packageFile} from '../package-files.js'

/** `none (a JSON file)`: annotations given as the bare JSON, for which no checksum is pinned. */
export type ChecksumState = 'verified' | 'not verified (--no-verify)' | 'none (a folder)' | 'none (a JSON file)'

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
  const checksum: ChecksumState = reader.kind === 'folder' ? 'none (a folder)' : verify ? 'verified' : 'not verified (--no-verify)'
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

const pinnedTables = new Map<string, ReadonlyMap<string, string>>()

/** A pinned `file<TAB>sha256` table (with a header line), read once. */
export function loadPinnedHashes(table: string): ReadonlyMap<string, string> {
  let hashes = pinnedTables.get(table)
  if (!hashes) {
    const rows = readPinnedFile(table).trim().split('\n').slice(1)
    hashes = new Map(rows.map((row) => row.split('\t') as [string, string]))
    pinnedTables.set(table, hashes)
  }
  return hashes
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
