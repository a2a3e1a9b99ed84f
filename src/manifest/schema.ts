import {Field, FixedSizeBinary, Float64, Int32, List, Schema, Utf8} from 'apache-arrow'

/** One stimulus file of a prepared benchmark: one row of manifest.arrow. */
export interface StimulusRecord {
  /** Stimulus file name, e.g. tst_000000_Stop_7.bin */
  file: string
  /** Class index */
  label: number
  className: string
  /** Path of the clip inside the source archive or folder */
  sourceMember: string
  /** sha256 (hex) of the decoded source samples (kws: 16000 int16 LE after zero padding) */
  sourceSha256: string
  /** sha256 (hex) of `bytes` */
  stimulusSha256: string
  /** 'int8' | 'uint8' | 'int16' | 'float32' */
  dtype: string
  /** e.g. [49, 10, 1] */
  shape: number[]
  /** Quantisation scale (a float32 value, held exactly by the number) */
  scale: number
  zeroPoint: number
  /** 'official' | 'test' | … */
  subset: string
  /** The stimulus bytes themselves */
  bytes: Uint8Array
}

/** A manifest row without its stimulus bytes, or with them where they are at hand (see writeManifest). */
export type ManifestRow = Omit<StimulusRecord, 'bytes'> & {bytes?: Uint8Array}

/** What a manifest says about the whole benchmark; extra keys are kept as JSON. */
export interface ManifestMetadata {
  benchmark: string
  recipe: Record<string, unknown>
  tinydataVersion: string
  /** Only in the folder of one `prepare --shard`; checked by the reader where present. */
  shard?: ManifestShard
  [extra: string]: unknown
}

/**
 * `prepare --shard i/n`: which part of the selection a folder holds, and what `merge` needs to join the n parts into
 * the folder one run writes. Stored under `tinydata.shard` like any extra key, so older readers keep it as one.
 */
export interface ManifestShard {
  /** i of i/n: 1…count. */
  index: number
  count: number
  /** The whole selection (every shard's files): how many, and the sha256 of their names in folder order, one per line. */
  selection: {files: number; sha256: string}
  /** Where each row of this folder stands in the whole selection's order (0-based), in row order. */
  positions: number[]
}

export const SHARD_KEY = 'shard'

/** Arrow types of the manifest columns, in column order. */
export type ManifestColumns = {
  file: Utf8
  label: Int32
  class_name: Utf8
  source_member: Utf8
  source_sha256: Utf8
  stimulus_sha256: Utf8
  dtype: Utf8
  shape: List<Int32>
  scale: Float64
  zero_point: Int32
  subset: Utf8
  bytes: FixedSizeBinary
}

export const METADATA_PREFIX = 'tinydata.'
export const BENCHMARK_KEY = `${METADATA_PREFIX}benchmark`
export const RECIPE_KEY = `${METADATA_PREFIX}recipe`
export const VERSION_KEY = `${METADATA_PREFIX}version`

/** The column types, in column order. `byteWidth` is the stimulus length shared by all rows. */
export function manifestColumnTypes(byteWidth: number): ManifestColumns {
  return {
    file: new Utf8(),
    label: new Int32(),
    class_name: new Utf8(),
    source_member: new Utf8(),
    source_sha256: new Utf8(),
    stimulus_sha256: new Utf8(),
    dtype: new Utf8(),
    shape: new List(new Field('item', new Int32(), false)),
    scale: new Float64(),
    zero_point: new Int32(),
    subset: new Utf8(),
    bytes: new FixedSizeBinary(byteWidth),
  }
}

/** The manifest's Arrow schema. Every column is non-nullable: each stimulus has every property. */
export function manifestSchema(types: ManifestColumns, metadata: Map<string, string>): Schema<ManifestColumns> {
  return new Schema(Object.entries(types).map(([name, type]) => new Field(name, type, false)), metadata)
}
