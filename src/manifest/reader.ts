import {open, readFile} from 'node:fs/promises'

import {DataType, type RecordBatch, RecordBatchReader, type Schema, type Table, tableFromIPC, util, type Vector} from 'apache-arrow'

import {fileError, UserError} from '../errors.js'
import {
  BENCHMARK_KEY, manifestColumnTypes, type ManifestColumns, type ManifestMetadata, type ManifestRow, METADATA_PREFIX,
  RECIPE_KEY, SHARD_KEY, type StimulusRecord, VERSION_KEY,
} from './schema.js'

export interface Manifest {
  records: StimulusRecord[]
  meta: ManifestMetadata
}

const ARROW_FILE_MAGIC = 'ARROW1'
/** Every message of an Arrow IPC file (format ≥ 0.15) starts with this marker. */
const CONTINUATION = Uint8Array.of(0xff, 0xff, 0xff, 0xff)

type Footer = NonNullable<RecordBatchReader['footer']>

function blocksOf(footer: Footer | null): {offset: number; metaDataLength: number; bodyLength: number}[] {
  if (!footer) return []
  return [...footer.recordBatches(), ...footer.dictionaryBatches()].map((block) => ({
    offset: Number(block.offset), metaDataLength: block.metaDataLength, bodyLength: Number(block.bodyLength),
  }))
}

/**
 * The footer's blocks must lie inside the file and each start a message: apache-arrow trusts them, and one pointing
 * into the middle of a message (two bytes inserted after the magic) sends its reader into an endless loop.
 */
function checkBlocks(footer: Footer | null, size: number, bytesAt: (offset: number) => Uint8Array, file: string): void {
  for (const block of blocksOf(footer)) {
    const inside = block.offset >= 0 && block.offset + block.metaDataLength + block.bodyLength <= size
    if (!inside || !bytesAt(block.offset).every((byte, index) => byte === CONTINUATION[index])) {
      throw fileError(file, `not a readable Arrow IPC file (its footer names a record batch at byte ${block.offset} that is not there)`)
    }
  }
}

/** Decodes manifest.arrow bytes; anything that is not a tinydata manifest raises a UserError naming `file`. */
export function decodeManifest(bytes: Uint8Array, file: string): Manifest {
  // tableFromIPC also accepts the IPC stream format and turns empty input into an empty table; a manifest is an IPC file.
  if (bytes.byteLength < 2 * MAGIC_BYTES || !hasArrowFileMagic(bytes.subarray(0, MAGIC_BYTES), bytes.subarray(-MAGIC_BYTES))) throw notArrowFile(file)
  let table: Table
  try {
    const reader = RecordBatchReader.from(bytes)
    reader.open()
    checkBlocks(reader.footer, bytes.byteLength, (offset) => bytes.subarray(offset, offset + CONTINUATION.length), file)
    table = tableFromIPC(bytes)
  } catch (error) {
    throw error instanceof UserError ? error : unreadable(file, error)
  }
  checkSchema(table.schema, file)
  checkNoNulls(table, file)
  const at = valueAt(table)
  const records = Array.from({length: table.numRows}, (_, index): StimulusRecord => ({
    ...rowAt(at, index),
    // A copy, so a record neither aliases nor keeps alive the buffer of the whole file.
    bytes: at('bytes', index).slice(),
  }))
  return {records, meta: decodeMetadata(table.schema.metadata, file)}
}

/** Reads and decodes a manifest.arrow file (see decodeManifest). */
export async function readManifest(path: string): Promise<Manifest> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (error) {
    throw fileError(path, `cannot read the manifest (${(error as Error).message})`)
  }
  return decodeManifest(bytes, path)
}

/** A manifest's rows without their stimulus bytes, and its metadata. */
export interface ManifestRows {
  rows: ManifestRow[]
  meta: ManifestMetadata
}

/**
 * Reads a manifest's rows without their stimulus bytes, one record batch at a time: what verify needs, in memory that
 * does not grow with the stimuli (a vww01 manifest of train2017 is 3.3 GB). Errors as readManifest.
 */
export async function readManifestRows(path: string): Promise<ManifestRows> {
  const rows: ManifestRow[] = []
  const meta = await scanManifest(path, (batch) => {
    const at = valueAt(batch)
    for (let index = 0; index < batch.numRows; index++) rows.push(rowAt(at, index))
  })
  return {rows, meta}
}

/** Reads only a manifest's metadata (its schema, from the file's footer): what show and infer need. */
export function readManifestMeta(path: string): Promise<ManifestMetadata> {
  return scanManifest(path)
}

/** Checks the file and its schema, hands each record batch to `visit` (none are read without it), returns the metadata. */
async function scanManifest(path: string, visit?: (batch: RecordBatch) => void): Promise<ManifestMetadata> {
  const handle = await open(path, 'r').catch((error: Error) => {
    throw fileError(path, `cannot read the manifest (${error.message})`)
  })
  try {
    const {size} = await handle.stat()
    const end = async (position: number) => (await handle.read(new Uint8Array(MAGIC_BYTES), 0, MAGIC_BYTES, position)).buffer
    if (size < 2 * MAGIC_BYTES || !hasArrowFileMagic(await end(0), await end(size - MAGIC_BYTES))) throw notArrowFile(path)
    let schema: Schema
    try {
      const reader = await RecordBatchReader.from(handle)
      await reader.open()
      const continuations = new Map<number, Uint8Array>()
      for (const block of blocksOf(reader.footer)) {
        const marker = new Uint8Array(CONTINUATION.length)
        await handle.read(marker, 0, marker.length, block.offset)
        continuations.set(block.offset, marker)
      }
      checkBlocks(reader.footer, size, (offset) => continuations.get(offset)!, path)
      schema = reader.schema
      checkSchema(schema, path)
      if (visit) {
        for await (const batch of reader) {
          checkNoNulls(batch, path)
          visit(batch)
        }
      }
    } catch (error) {
      throw error instanceof UserError ? error : unreadable(path, error)
    }
    return decodeMetadata(schema.metadata, path)
  } finally {
    await handle.close().catch(() => undefined) // the Arrow reader may have closed it
  }
}

const MAGIC_BYTES = ARROW_FILE_MAGIC.length

function hasArrowFileMagic(start: Uint8Array, end: Uint8Array): boolean {
  const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes)
  return ascii(start) === ARROW_FILE_MAGIC && ascii(end) === ARROW_FILE_MAGIC
}

function notArrowFile(file: string): UserError {
  return fileError(file, `not an Arrow IPC file (no ${ARROW_FILE_MAGIC} magic at its start and end)`)
}

function unreadable(file: string, error: unknown): UserError {
  return fileError(file, `not a readable Arrow IPC file (${String(error instanceof Error ? error.message : error).replace(/\s+/g, ' ')})`)
}

/** A table or a record batch: both give their columns by name. */
interface Columns {
  getChild(name: string): Vector | null
}

type ValueAt = <K extends keyof ManifestColumns>(name: K, index: number) => ManifestColumns[K]['TValue']

function valueAt(columns: Columns): ValueAt {
  const vectors = new Map<string, Vector>()
  return (name, index) => {
    let vector = vectors.get(name)
    if (!vector) vectors.set(name, (vector = columns.getChild(name)!))
    return vector.get(index) // checkNoNulls rules out nulls
  }
}

function rowAt(at: ValueAt, index: number): ManifestRow {
  return {
    file: at('file', index),
    label: at('label', index),
    className: at('class_name', index),
    sourceMember: at('source_member', index),
    sourceSha256: at('source_sha256', index),
    stimulusSha256: at('stimulus_sha256', index),
    dtype: at('dtype', index),
    shape: Array.from(at('shape', index).toArray()),
    scale: at('scale', index),
    zeroPoint: at('zero_point', index),
    subset: at('subset', index),
  }
}

/** Checks that every manifest column exists with its type. */
function checkSchema(schema: Schema, file: string): void {
  for (const [name, expectedType] of Object.entries(manifestColumnTypes(0))) {
    const field = schema.fields.find((candidate) => candidate.name === name)
    if (field === undefined) throw fileError(file, `not a tinydata manifest (no ${name} column)`)
    // compareTypes(a, b) checks `b instanceof a.constructor`, and IPC decodes Int32 as the base class Int_,
    // so the decoded type must come first. The bytes width is whatever the file says.
    const typeMatches = name === 'bytes' ? DataType.isFixedSizeBinary(field.type) : util.compareTypes(field.type, expectedType)
    if (!typeMatches) throw fileError(file, `not a tinydata manifest (column ${name} is ${field.type}, expected ${expectedType})`)
  }
}

function checkNoNulls(columns: Columns, file: string): void {
  for (const name of Object.keys(manifestColumnTypes(0))) {
    if (columns.getChild(name)!.nullCount > 0) throw fileError(file, `not a tinydata manifest (column ${name} has nulls)`)
  }
}

/** The three fixed metadata keys, plus every other `tinydata.<key>` parsed back from JSON. */
function decodeMetadata(metadata: Map<string, string>, file: string): ManifestMetadata {
  const required = (key: string): string => {
    const value = metadata.get(key)
    if (value === undefined) throw fileError(file, `not a tinydata manifest (no ${key} schema metadata)`)
    return value
  }
  const parse = (key: string, json: string): unknown => {
    try {
      return JSON.parse(json)
    } catch {
      throw fileError(file, `schema metadata ${key} is not valid JSON`)
    }
  }
  const recipe = parse(RECIPE_KEY, required(RECIPE_KEY))
  if (typeof recipe !== 'object' || recipe === null || Array.isArray(recipe)) throw fileError(file, `schema metadata ${RECIPE_KEY} is not a JSON object`)
  const fixedKeys = new Set([BENCHMARK_KEY, RECIPE_KEY, VERSION_KEY])
  const extra = [...metadata]
    .filter(([key]) => key.startsWith(METADATA_PREFIX) && !fixedKeys.has(key))
    .map(([key, json]) => [key.slice(METADATA_PREFIX.length), parse(key, json)])
  // fromEntries defines own properties, so a key such as "__proto__" cannot reach the prototype.
  const extras = Object.fromEntries(extra) as Record<string, unknown>
  if (SHARD_KEY in extras) checkShard(extras[SHARD_KEY], file)
  return {...extras, benchmark: required(BENCHMARK_KEY), recipe: recipe as Record<string, unknown>, tinydataVersion: required(VERSION_KEY)}
}

/** `tinydata.shard` must be what ManifestShard says: merge trusts its numbers to prove a merged folder complete. */
function checkShard(value: unknown, file: string): void {
  const shard = value as Partial<Record<string, unknown>> | null
  const count = (field: unknown, minimum: number): field is number => Number.isInteger(field) && (field as number) >= minimum
  const selection = shard?.selection as Partial<Record<string, unknown>> | null | undefined
  const valid = typeof shard === 'object' && shard !== null && count(shard.count, 1) && count(shard.index, 1) && shard.index <= shard.count &&
    typeof selection === 'object' && selection !== null && count(selection.files, 1) && typeof selection.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(selection.sha256) && Array.isArray(shard.positions) && shard.positions.every((position) => count(position, 0))
  if (!valid) throw fileError(file, `schema metadata ${METADATA_PREFIX}${SHARD_KEY} is not a shard record ({index, count, selection: {files, sha256}, positions})`)
}
