/** The official stimulus sets: pinned sha256 of every official file. */

import type {BenchmarkId} from '../benchmark-ids.js'
import {loadOfficialStimulusTable, OFFICIAL_STIMULI_TABLE} from '../formats/pinned-tables.js'
import {sha256Hex} from '../io/hash.js'
import type {KwsVariant} from '../stimulus-sizes.js'

/** The sets of manifests/official_stimulus_sha256.tsv (its `benchmark` column) that hold each benchmark's stimuli. */
export const OFFICIAL_SETS: Record<BenchmarkId, readonly string[]> = {
  kws01: ['kws01', 'kws01-open/lfbe', 'kws01-open/td_samples'],
  vww01: ['vww01'],
  // Only the v0.5 list's bins are published; the v0.7 list's are not pinned anywhere.
  ic01: ['ic01_v0.5'],
  ad01: ['ad01'],
}

/** kws01's official mfcc set is the closed-division kws01; lfbe and td_samples are the kws01-open sets. */
export const KWS_VARIANT_OF_SET: Record<string, KwsVariant> = {
  'kws01': 'mfcc',
  'kws01-open/lfbe': 'lfbe',
  'kws01-open/td_samples': 'td_samples',
}

/** Set name → (file name → sha256). */
export type OfficialHashes = ReadonlyMap<string, ReadonlyMap<string, string>>

/** The pinned table of every official stimulus (manifests/official_stimulus_sha256.tsv). */
export function loadOfficialHashes(): OfficialHashes {
  return loadOfficialStimulusTable(OFFICIAL_STIMULI_TABLE)
}

/**
 * Whether 490-byte kws01 stimuli are LFBE, not MFCC (the two look alike): a tinydata manifest's recorded variant says
 * so, or one of them is an official LFBE file. What show and the report's previews decode them as.
 */
export function isKwsLfbe(stimuli: readonly Uint8Array[], recordedVariant: unknown): boolean {
  if (recordedVariant === 'lfbe') return true
  const lfbeSet = Object.keys(KWS_VARIANT_OF_SET).find((set) => KWS_VARIANT_OF_SET[set] === 'lfbe')!
  const officialLfbe = new Set(loadOfficialHashes().get(lfbeSet)?.values())
  return stimuli.some((bytes) => officialLfbe.has(sha256Hex(bytes)))
}
