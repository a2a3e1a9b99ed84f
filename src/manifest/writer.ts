import {type FileHandle, open} from 'node:fs/promises'
import {basename, dirname} from 'node:path'

import {
  type Data, type FixedSizeBinary, type Int32, type List, makeData, RecordBatch, type Schema, Struct, Table, tableToIPC,
} from 'apache-arrow'

import {fileError, UserError} from '../errors.js'
import {removeStaleTemporaries, replaceAtomically} from '../io/atomic-write.js'
import {mapConcurrently} from '../parallel/concurrently.js'
import {utf8Column, writeArrowBatches} from './arrow-file.js'
import {
  BENCHMARK_KEY, manifestColumnTypes, type ManifestColumns, type ManifestMetadata, type ManifestRow, manifestSchema,
  METADATA_PREFIX, RECIPE_KEY, type StimulusRecord, VERSION_KEY,
} from './schema.js'

/** Stimulus bytes held per record batch when writing: bounds the memory a manifest of any size takes to write. */
const BATCH_BYTES = 4 * 1024 * 1024

/**
 * Encodes the records as an Arrow IPC file (one record batch).
 * Throws a plain Error (a bug in the caller) when there are no records, the stimuli differ in length,
 * or an integer field does not fit an int32.
 */
export function encodeManifest(records: readonly StimulusRecord[], meta: ManifestMetadata): Uint8Array {
  const types = manifestColumnTypes(sharedByteWidth(records))
  const schema = manifestSchema(types, encodeMetadata(meta))
  return tableToIPC(new Table(schema, encodeRecordBatch(schema, types, records, records.map((record) => record.bytes))), 'file')
}

/**
 * Writes the manifest to `path` atomically: the bytes go to a temporary file in the same folder, which is synced to
 * disk and renamed into place, so readers never see a half-written manifest. The folder must exist.
 *
 * The rows go in record batches of at most 4 MiB of stimuli; a row without `bytes` has them read by `bytesOf` as its
 * batch is written, so a folder of any size (vww01 on all of train2017: 3.3 GB) is written in bounded memory.
 * A row that cannot be encoded throws as in encodeManifest and leaves an existing manifest alone.
 */
export async function writeManifest(
  path: string, rows: readonly ManifestRow[], meta: ManifestMetadata,
  bytesOf: (row: ManifestRow) => Promise<Uint8Array> = missingBytes,
): Promise<void> {
  if (rows.length === 0) throw new ManifestEncodingError('a manifest needs at least one record: the width of its bytes column comes from them')
  const metadata = encodeMetadata(meta) // encoding errors before touching the disk, where they can be
  const stimulusOf = (row: ManifestRow): Promise<Uint8Array> => (row.bytes ? Promise.resolve(row.bytes) : bytesOf(row))
  await removeStaleTemporaries(dirname(path), basename(path))
  try {
    await replaceAtomically(path, async (temporary) => {
      const first = await stimulusOf(rows[0]!) // its length is the width of the bytes column
      const width = first.byteLength
      const types = manifestColumnTypes(width)
      const schema = manifestSchema(types, metadata)
      const rowsPerBatch = Math.max(1, Math.floor(BATCH_BYTES / Math.max(1, width)))
      const file: FileHandle = await open(temporary, 'wx')
      try {
        // The encoded bytes go to the file as they are made, while the next batch's stimuli are read.
        await writeArrowBatches(file, async (index) => {
          const start = index * rowsPerBatch
          if (start >= rows.length) return undefined
          const batch = rows.slice(start, start + rowsPerBatch)
          const stimuli = await mapConcurrently(batch, READ_CONCURRENCY, (row) => (row === rows[0] ? Promise.resolve(first) : stimulusOf(row)))
          checkByteWidth(batch, stimuli, rows[0]!.file, width)
          return {batch: encodeRecordBatch(schema, types, batch, stimuli), bytes: batch.length * width}
        }, BATCH_BYTES)
      } catch (error) {
        await file.close().catch(() => undefined)
        throw error
      }
      await file.close()
    })
  } catch (error) {
    if (error instanceof ManifestEncodingError || error instanceof UserError) throw error
    throw fileError(path, `cannot write the manifest (${(error as Error).message})`)
  }
}

/** A record the manifest cannot hold: a bug in the caller, reported as such rather than as a file error. */
class ManifestEncodingError extends Error {
  override name = 'ManifestEncodingError'
}

const READ_CONCURRENCY = 32

function missingBytes(row: ManifestRow): Promise<Uint8Array> {
  throw new ManifestEncodingError(`manifest row ${row.file} has no bytes and writeManifest was given no way to read them`)
}

/** One record batch assembled from column data, so it carries exactly this schema and its metadata. */
function encodeRecordBatch(
  schema: Schema<ManifestColumns>, types: ManifestColumns, records: readonly ManifestRow[], stimuli: readonly Uint8Array[],
): RecordBatch<ManifestColumns> {
  const column = <K extends keyof ManifestRow>(key: K): ManifestRow[K][] => records.map((record) => record[key])
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
    bytes: fixedSizeBinaryColumn(types.bytes, stimuli),
  }
  const struct = makeData({
    type: new Struct(schema.fields),
    length: records.length,
    nullCount: 0,
    children: schema.fields.map((field) => columns[field.name as keyof ManifestColumns]),
  })
  return new RecordBatch(schema, struct)
}

function checkByteWidth(rows: readonly ManifestRow[], stimuli: readonly Uint8Array[], firstFile: string, width: number): void {
  const other = stimuli.findIndex((bytes) => bytes.byteLength !== width)
  if (other >= 0) {
    throw new ManifestEncodingError(`manifest stimuli must all have one length: ${firstFile} has ${width} bytes, ${rows[other]!.file} has ${stimuli[other]!.byteLength}`)
  }
}

function sharedByteWidth(records: readonly StimulusRecord[]): number {
  const first = records[0]
  if (first === undefined) throw new ManifestEncodingError('a manifest needs at least one record: the width of its bytes column comes from them')
  checkByteWidth(records, records.map((record) => record.bytes), first.file, first.bytes.byteLength)
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
    if (metadata.has(metadataKey)) throw new ManifestEncodingError(`extra manifest metadata "${key}" would overwrite ${metadataKey}`)
    if (value !== undefined) metadata.set(metadataKey, JSON.stringify(value))
  }
  return metadata
}

function checkedInt32s(values: readonly number[], field: string): Int32Array {
  for (const value of values) {
    // The Int32 column would silently truncate anything else.
    if ((value | 0) !== value) throw new ManifestEncodingError(`manifest ${field} ${value} is not a 32-bit integer`)
  }
  return Int32Array.from(values)
}

function int32Column(type: Int32, values: readonly number[], field: string): Data<Int32> {
  return makeData({type, length: values.length, nullCount: 0, data: checkedInt32s(values, field)})
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
