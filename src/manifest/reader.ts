import {readFile} from 'node:fs/promises'

import {DataType, type Table, tableFromIPC, util, type Vector} from 'apache-arrow'

import {fileError} from '../errors.js'
import {
  BENCHMARK_KEY, manifestColumnTypes, type ManifestColumns, type ManifestMetadata, METADATA_PREFIX, RECIPE_KEY,
  type StimulusRecord, VERSION_KEY,
} from './schema.js'

export interface Manifest {
  records: StimulusRecord[]
  meta: ManifestMetadata
}

const ARROW_FILE_MAGIC = 'ARROW1'

/** Decodes manifest.arrow bytes; anything that is not a tinydata manifest raises a UserError naming `file`. */
export function decodeManifest(bytes: Uint8Array, file: string): Manifest {
  // tableFromIPC also accepts the IPC stream format and turns empty input into an empty table; a manifest is an IPC file.
  if (!hasArrowFileMagic(bytes)) throw fileError(file, `not an Arrow IPC file (no ${ARROW_FILE_MAGIC} magic at its start and end)`)
  let table: Table
  try {
    table = tableFromIPC(bytes)
  } catch (error) {
    throw fileError(file, `not a readable Arrow IPC file (${String(error instanceof Error ? error.message : error).replace(/\s+/g, ' ')})`)
  }
  const manifest = checkColumns(table, file)
  const column = <K extends keyof ManifestColumns>(name: K): Vector<ManifestColumns[K]> => manifest.getChild(name)!
  const [files, labels, classNames, sourceMembers, sourceHashes, stimulusHashes, dtypes, shapes, scales, zeroPoints, subsets, stimuli] = [
    column('file'), column('label'), column('class_name'), column('source_member'), column('source_sha256'), column('stimulus_sha256'),
    column('dtype'), column('shape'), column('scale'), column('zero_point'), column('subset'), column('bytes'),
  ] as const
  const at = <T extends DataType>(values: Vector<T>, index: number): T['TValue'] => values.get(index)! // checkColumns rules out nulls
  const records = Array.from({length: manifest.numRows}, (_, index): StimulusRecord => ({
    file: at(files, index),
    label: at(labels, index),
    className: at(classNames, index),
    sourceMember: at(sourceMembers, index),
    sourceSha256: at(sourceHashes, index),
    stimulusSha256: at(stimulusHashes, index),
    dtype: at(dtypes, index),
    shape: Array.from(at(shapes, index).toArray()),
    scale: at(scales, index),
    zeroPoint: at(zeroPoints, index),
    subset: at(subsets, index),
    // A copy, so a record neither aliases nor keeps alive the buffer of the whole file.
    bytes: at(stimuli, index).slice(),
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

function hasArrowFileMagic(bytes: Uint8Array): boolean {
  const ascii = (from: number): string => String.fromCharCode(...bytes.subarray(from, from + ARROW_FILE_MAGIC.length))
  return bytes.byteLength >= 2 * ARROW_FILE_MAGIC.length && ascii(0) === ARROW_FILE_MAGIC && ascii(bytes.byteLength - ARROW_FILE_MAGIC.length) === ARROW_FILE_MAGIC
}

/** Checks that every manifest column exists with its type and without nulls. */
function checkColumns(table: Table, file: string): Table<ManifestColumns> {
  for (const [name, expectedType] of Object.entries(manifestColumnTypes(0))) {
    const field = table.schema.fields.find((candidate) => candidate.name === name)
    if (field === undefined) throw fileError(file, `not a tinydata manifest (no ${name} column)`)
    // compareTypes(a, b) checks `b instanceof a.constructor`, and IPC decodes Int32 as the base class Int_,
    // so the decoded type must come first. The bytes width is whatever the file says.
    const typeMatches = name === 'bytes' ? DataType.isFixedSizeBinary(field.type) : util.compareTypes(field.type, expectedType)
    if (!typeMatches) throw fileError(file, `not a tinydata manifest (column ${name} is ${field.type}, expected ${expectedType})`)
    if (table.getChild(name)!.nullCount > 0) throw fileError(file, `not a tinydata manifest (column ${name} has nulls)`)
  }
  return table
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
  return {...Object.fromEntries(extra), benchmark: required(BENCHMARK_KEY), recipe: recipe as Record<string, unknown>, tinydataVersion: required(VERSION_KEY)}
}
