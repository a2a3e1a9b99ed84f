/** What every prepare result shares: the source checksum, the parity with the official bytes, the common fields. */
import type {SourceKind, SourceReader} from '../archives/source-reader.js'
import type {SourceFile} from '../../datasets/types.js'
import {fileError} from '../errors.js'
import type {Parity} from '../formats/pinned-tables.js'
import type {WrittenFolder} from '../output/prepared-folder.js'

/** `none (a JSON file)`: annotations given as the bare JSON, for which no checksum is pinned. */
export type ChecksumState =
  | 'verified' | 'not verified (--no-verify)' | 'not verified (no published checksum)' | 'none (a folder)' | 'none (a JSON file)'

/** A source as the result reports it (the same fields as prepare kws). */
export interface CheckedSource {
  path: string
  /** `json`: annotations given as the bare JSON file. */
  kind: SourceKind | 'json'
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

/** `a, b, c, …`: the first few items of a list for a one-line message. */
export function firstFew(items: readonly string[], count = 3): string {
  return items.slice(0, count).join(', ') + (items.length > count ? ', …' : '')
}

/** The fields of every prepare result: the folder written, the source read, the files and the warnings. */
export interface PrepareResultBase extends WrittenFolder {
  benchmark: string
  subset: string
  source: CheckedSource
  filesWritten: number
  warnings: string[]
}

export function resultBase(
  benchmark: string,
  {outputDir, format, manifest, source, rows, warnings}: WrittenFolder & {source: CheckedSource; rows: readonly unknown[]; warnings: string[]},
): Omit<PrepareResultBase, 'subset'> {
  return {benchmark, outputDir, format, manifest, source, filesWritten: rows.length, warnings}
}

/** Parity where the pinned table holds any of the written files; null where none of them is official. */
export function someParity(parity: Parity): Parity | null {
  return parity.compared > 0 ? parity : null
}
