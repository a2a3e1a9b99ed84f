import {randomBytes} from 'node:crypto'
import {open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {type Data, type FixedSizeBinary, type Int32, type List, makeData, RecordBatch, Struct, Table, tableToIPC, type Utf8} from 'apache-arrow'

import {fileError} from '../errors.js'
import {
  BENCHMARK_KEY, manifestColumnTypes, type ManifestColumns, type ManifestMetadata, manifestSchema, METADATA_PREFIX,
  RECIPE_KEY, type StimulusRecord, VERSION_KEY,
} from './schema.js'

/**
 * Encodes the records as an Arrow IPC file (one record batch).
 * Throws a plain Error (a bug in the caller) when there are no records, the stimuli differ in length,
 * or an integer field does not fit an int32.
 */
export function encodeManifest(records: readonly StimulusRecord[], meta: ManifestMetadata): Uint8Array {
  const types = manifestColumnTypes(sharedByteWidth(records))
  const column = <K extends keyof StimulusRecord>(key: K): StimulusRecord[K][] => records.map((record) => record[key])
  const columns: {[K in keyof ManifestColumns]: Data<ManifestColumns[K]>} = {
    file: utf8Column(types.file, column('file')),
    label: int32Column(types.label, column('label'), 'label'),
    class_name: utf8Column(types.class_name, column('className')),
    source_member: utf8Column(types.source_member, column('sourceMember')),
    source_sha256: utf8Column(types.source_sha256, column('sourceSha256')),
    stimulus_sha256: utf8Column(types.stimulus_sha256, column('stimulusSha256')),
    dtype: utf8Column(types.dtype, column('dtype')),
    shape: int32ListColumn(types.shape, column('shape')),
    scale: makeData({type: types.scale, length: records.length, nullCount: 0, data: Float64Array.from(column('scale'))}),
    zero_point: int32Column(types.zero_point, column('zeroPoint'), 'zeroPoint'),
    subset: utf8Column(types.subset, column('subset')),
    bytes: fixedSizeBinaryColumn(types.bytes, column('bytes')),
  }
  const schema = manifestSchema(types, encodeMetadata(meta))
  // One record batch assembled from the column data, so it carries exactly this schema and metadata.
  const struct = makeData({
    type: new Struct(schema.fields),
    length: records.length,
    nullCount: 0,
    children: schema.fields.map((field) => columns[field.name as keyof ManifestColumns]),
  })
  return tableToIPC(new Table(schema, new RecordBatch(schema, struct)), 'file')
}

/**
 * Writes the manifest to `path` atomically: the bytes go to a temporary file in the same folder, which
 * is renamed into place, so readers never see a half-written manifest. The folder must exist.
 */
export async function writeManifest(path: string, records: readonly StimulusRecord[], meta: ManifestMetadata): Promise<void> {
  // Encode before touching the disk: records that cannot be encoded leave an existing manifest alone.
  const bytes = encodeManifest(records, meta)
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx')
    try {
      await handle.writeFile(bytes)
      await handle.sync() // the data must be on disk before the rename makes it visible
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, {force: true})
    throw fileError(path, `cannot write the manifest (${(error as Error).message})`)
  }
}

function sharedByteWidth(records: readonly StimulusRecord[]): number {
  const first = records[0]
  if (first === undefined) throw new Error('a manifest needs at least one record: the width of its bytes column comes from them')
  const other = records.find((record) => record.bytes.byteLength !== first.bytes.byteLength)
  if (other !== undefined) {
    throw new Error(`manifest stimuli must all have one length: ${first.file} has ${first.bytes.byteLength} bytes, ${other.file} has ${other.bytes.byteLength}`)
  }
  return first.bytes.byteLength
}

/** Schema metadata: the three fixed keys, then every extra key JSON-encoded under `tinydata.<key>`. */
function encodeMetadata({benchmark, recipe, tinydataVersion, ...extra}: ManifestMetadata): Map<string, string> {
  const metadata = new Map([
    [BENCHMARK_KEY, benchmark],
    [RECIPE_KEY, JSON.stringify(recipe)],
    [VERSION_KEY, tinydataVersion],
  ])
  for (const [key, value] of Object.entries(extra)) {
    const metadataKey = METADATA_PREFIX + key
    if (metadata.has(metadataKey)) throw new Error(`extra manifest metadata "${key}" would overwrite ${metadataKey}`)
    if (value !== undefined) metadata.set(metadataKey, JSON.stringify(value))
  }
  return metadata
}

function checkedInt32s(values: readonly number[], field: string): Int32Array {
  for (const value of values) {
    // The Int32 column would silently truncate anything else.
    if ((value | 0) !== value) throw new Error(`manifest ${field} ${value} is not a 32-bit integer`)
  }
  return Int32Array.from(values)
}

function int32Column(type: Int32, values: readonly number[], field: string): Data<Int32> {
  return makeData({type, length: values.length, nullCount: 0, data: checkedInt32s(values, field)})
}

function utf8Column(type: Utf8, values: readonly string[]): Data<Utf8> {
  const encoder = new TextEncoder()
  const encoded = values.map((value) => encoder.encode(value))
  const valueOffsets = new Int32Array(values.length + 1)
  encoded.forEach((utf8, row) => { valueOffsets[row + 1] = valueOffsets[row]! + utf8.byteLength })
  const data = new Uint8Array(valueOffsets[values.length]!)
  encoded.forEach((utf8, row) => data.set(utf8, valueOffsets[row]))
  return makeData({type, length: values.length, nullCount: 0, valueOffsets, data})
}

function int32ListColumn(type: List<Int32>, lists: readonly number[][]): Data<List<Int32>> {
  const valueOffsets = new Int32Array(lists.length + 1)
  lists.forEach((list, row) => { valueOffsets[row + 1] = valueOffsets[row]! + list.length })
  const values = checkedInt32s(lists.flat(), 'shape')
  const child = makeData({type: type.valueType, length: values.length, nullCount: 0, data: values})
  return makeData({type, length: lists.length, nullCount: 0, valueOffsets, child})
}

function fixedSizeBinaryColumn(type: FixedSizeBinary, rows: readonly Uint8Array[]): Data<FixedSizeBinary> {
  const data = new Uint8Array(rows.length * type.byteWidth)
  rows.forEach((row, index) => data.set(row, index * type.byteWidth))
  return makeData({type, length: rows.length, nullCount: 0, data})
}
