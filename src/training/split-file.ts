/**
 * The Arrow IPC file of one split: one row per example, its tensor (the stimulus recipe's bytes, as a fixed-size list
 * of the tensor's element type) and what it is (label, label_name, split, source_member, key). Readable by pyarrow,
 * DuckDB or apache-arrow alone: nothing tinydata-specific but the schema metadata.
 *
 * Examples are made in the order the source gives them but written in the reference's order, which is known only once
 * every member is read: their tensors are staged in a hidden file beside the target as they are made, and the Arrow
 * file is written from it, batch by batch, then renamed into place. Memory holds the rows' identities, not tensors.
 */
import {randomBytes} from 'node:crypto'
import {type FileHandle, open, rm} from 'node:fs/promises'
import {readSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

import {
  type DataType, Field, FixedSizeList, Float32, Int16, Int64, Int8, makeData, RecordBatch, Schema, Struct,
  Uint8, Utf8, type Data,
} from 'apache-arrow'

import {fileError} from '../errors.js'
import {removeStaleTemporaries, replaceAtomically} from '../io/atomic-write.js'
import {makeFolder} from '../io/make-folder.js'
import {utf8Column, writeArrowBatches} from '../manifest/arrow-file.js'

type TensorDtype = 'int8' | 'uint8' | 'int16' | 'float32'

/** What every tensor of a split is: its element type and shape (row-major), and how its values map to real ones. */
export interface TensorFormat {
  dtype: TensorDtype
  shape: readonly number[]
  scale: number
  zeroPoint: number
}

/** One example once its tensor is staged. */
export interface StagedExample {
  /** The reference's name of the example (TFDS key, file name, batch record): unique within the split. */
  key: string
  label: number
  sourceMember: string
  offset: number
}

export interface SplitFileInfo {
  benchmark: string
  split: string
  classNames: readonly string[]
  tensor: TensorFormat
  /** Schema metadata besides the above, JSON-encoded under `tinydata.<key>`. */
  metadata: Record<string, unknown>
}

const ELEMENT_TYPES: Record<TensorDtype, () => DataType> = {
  int8: () => new Int8(), uint8: () => new Uint8(), int16: () => new Int16(), float32: () => new Float32(),
}
const ELEMENT_BYTES: Record<TensorDtype, number> = {int8: 1, uint8: 1, int16: 2, float32: 4}
/** Tensor bytes per record batch: bounds the memory the write takes, whatever the split's size. */
const BATCH_BYTES = 4 * 1024 * 1024

export function tensorBytes(format: TensorFormat): number {
  return format.shape.reduce((a, b) => a * b, 1) * ELEMENT_BYTES[format.dtype]
}

/** Stages tensors as they are made, then writes the split's Arrow file in the order given. */
export class SplitFileWriter {
  private nextOffset = 0
  private constructor(readonly path: string, private readonly stagingPath: string, private readonly staging: FileHandle, private readonly width: number) {}

  /** Opens the staging file beside `path` (its folder is made); a failure to do so names the folder. */
  static async create(path: string, tensor: TensorFormat): Promise<SplitFileWriter> {
    const folder = dirname(path)
    await makeFolder(folder).catch((error: Error) => {
      throw fileError(folder, `cannot be made (${error.message})`)
    })
    // Named like atomic-write's temporaries (without a host: another run's is removed only once it is 10 minutes
    // old), so that what a killed run left is cleared by the next one.
    const stagingTarget = `${basename(path)}.staging`
    await removeStaleTemporaries(folder, basename(path))
    await removeStaleTemporaries(folder, stagingTarget)
    const stagingPath = join(folder, `.${stagingTarget}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
    const staging = await open(stagingPath, 'w+').catch((error: Error) => {
      throw fileError(folder, `cannot be written (${error.message})`)
    })
    return new SplitFileWriter(path, stagingPath, staging, tensorBytes(tensor))
  }

  /** Appends one tensor (of the split's byte length) to the staging file; returns where it is. */
  async stage(bytes: Uint8Array): Promise<number> {
    if (bytes.byteLength !== this.width) throw new Error(`a tensor of ${bytes.byteLength} bytes in a split of ${this.width}-byte tensors`)
    const offset = this.nextOffset
    this.nextOffset += bytes.byteLength
    await this.staging.write(bytes, 0, bytes.byteLength, offset)
    return offset
  }

  /** Writes the Arrow file with `examples` in this order (atomically) and removes the staging file. */
  async commit(examples: readonly StagedExample[], info: SplitFileInfo): Promise<{bytes: number}> {
    const schema = splitSchema(info)
    const rowsPerBatch = Math.max(1, Math.floor(BATCH_BYTES / Math.max(1, this.width)))
    let bytes = 0
    try {
      await replaceAtomically(this.path, async (temporary) => {
        const file = await open(temporary, 'wx')
        try {
          bytes = await writeArrowBatches(file, async (index) => {
            const start = index * rowsPerBatch
            if (start >= examples.length) return undefined
            const batch = examples.slice(start, start + rowsPerBatch)
            return {batch: this.recordBatch(schema, info, batch), bytes: batch.length * this.width}
          }, BATCH_BYTES)
        } finally {
          await file.close()
        }
      })
    } catch (error) {
      if (error instanceof Error && 'code' in error) throw fileError(this.path, `cannot be written (${error.message})`)
      throw error
    } finally {
      await this.discard()
    }
    return {bytes}
  }

  /** Removes the staging file (a failed run leaves nothing behind). */
  async discard(): Promise<void> {
    await this.staging.close().catch(() => undefined)
    await rm(this.stagingPath, {force: true})
  }

  private recordBatch(schema: Schema, info: SplitFileInfo, batch: readonly StagedExample[]): RecordBatch {
    const tensors = new Uint8Array(batch.length * this.width)
    // Read synchronously: the tensors lie anywhere in the staging file, and one small read each through the thread
    // pool (85,511 of them for the Speech Commands train split) cost more than the reads.
    for (const [row, example] of batch.entries()) {
      const bytesRead = readSync(this.staging.fd, tensors, row * this.width, this.width, example.offset)
      if (bytesRead !== this.width) throw new Error(`the staging file ${this.stagingPath} is short at ${example.offset}`)
    }
    const tensorField = schema.fields[0]!.type as FixedSizeList
    const elements = elementView(info.tensor.dtype, tensors)
    const child = makeData({type: tensorField.valueType, length: elements.length, nullCount: 0, data: elements})
    const columns: Data[] = [
      makeData({type: tensorField, length: batch.length, nullCount: 0, child}),
      makeData({type: new Int64(), length: batch.length, nullCount: 0, data: BigInt64Array.from(batch, (example) => BigInt(example.label))}),
      utf8Column(new Utf8(), batch.map((example) => info.classNames[example.label]!)),
      utf8Column(new Utf8(), batch.map(() => info.split)),
      utf8Column(new Utf8(), batch.map((example) => example.sourceMember)),
      utf8Column(new Utf8(), batch.map((example) => example.key)),
    ]
    return new RecordBatch(schema, makeData({type: new Struct(schema.fields), length: batch.length, nullCount: 0, children: columns}))
  }
}

/** The columns, and the split's facts as schema metadata (`tinydata.<key>`, JSON-encoded). */
function splitSchema(info: SplitFileInfo): Schema {
  const elements = info.tensor.shape.reduce((a, b) => a * b, 1)
  const tensorType = new FixedSizeList(elements, new Field('item', ELEMENT_TYPES[info.tensor.dtype](), false))
  const fields = [
    new Field('tensor', tensorType, false, new Map([['shape', JSON.stringify(info.tensor.shape)]])),
    new Field('label', new Int64(), false),
    new Field('label_name', new Utf8(), false),
    new Field('split', new Utf8(), false),
    new Field('source_member', new Utf8(), false),
    new Field('key', new Utf8(), false),
  ]
  const metadata: Record<string, unknown> = {
    benchmark: info.benchmark,
    split: info.split,
    class_names: info.classNames,
    tensor: {dtype: info.tensor.dtype, shape: info.tensor.shape, scale: info.tensor.scale, zero_point: info.tensor.zeroPoint},
    ...info.metadata,
  }
  return new Schema(fields, new Map(Object.entries(metadata).map(([key, value]) => [`tinydata.${key}`, JSON.stringify(value)])))
}

function elementView(dtype: TensorDtype, bytes: Uint8Array): Int8Array | Uint8Array | Int16Array | Float32Array {
  const {buffer, byteOffset, byteLength} = bytes
  switch (dtype) {
    case 'int8': return new Int8Array(buffer, byteOffset, byteLength)
    case 'uint8': return bytes
    case 'int16': return new Int16Array(buffer, byteOffset, byteLength / 2)
    case 'float32': return new Float32Array(buffer, byteOffset, byteLength / 4)
  }
}

