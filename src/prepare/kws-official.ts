import {readPinnedFile} from '../formats/pinned-tables.js'
import {parseTsv} from '../formats/tsv.js'

/** One of the official kws01 stimuli, as pinned in manifests/kws01_official_hashes.tsv (a public fact). */
export interface KwsOfficialEntry {
  /** Position in the official y_labels.csv (0-based); also the NNNNNN of the file name. */
  index: number
  file: string
  label: number
  className: string
  /** sha256 of the clip's 16000 little-endian int16 samples after zero-padding. */
  pcmSha256: string
  mfccSha256: string
  lfbeSha256: string
}

export interface KwsOfficialTable {
  entries: readonly KwsOfficialEntry[]
  /** Official entries by clip content; six clips carry two official names. */
  byPcmSha256: ReadonlyMap<string, readonly KwsOfficialEntry[]>
}

const tables = new Map<string, KwsOfficialTable>()

/** Reads (once) a pinned table: a path inside the package (manifests/…) or an absolute one. */
export function loadKwsOfficialTable(tablePath: string): KwsOfficialTable {
  const cached = tables.get(tablePath)
  if (cached) return cached
  const rows = parseTsv(readPinnedFile(tablePath), ['file', 'label', 'class', 'pcm_sha256', 'mfcc_sha256', 'lfbe_sha256'], tablePath)
  const entries = rows.map((row, index): KwsOfficialEntry => ({
    index, file: row.file, label: Number(row.label), className: row.class, pcmSha256: row.pcm_sha256, mfccSha256: row.mfcc_sha256, lfbeSha256: row.lfbe_sha256,
  }))
  const byPcmSha256 = new Map<string, KwsOfficialEntry[]>()
  for (const entry of entries) byPcmSha256.set(entry.pcmSha256, [...(byPcmSha256.get(entry.pcmSha256) ?? []), entry])
  const table = {entries, byPcmSha256}
  tables.set(tablePath, table)
  return table
}
