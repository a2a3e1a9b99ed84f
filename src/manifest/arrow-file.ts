/** Arrow IPC files of record batches: the one writing loop, and the column builder, of the manifest and the training splits. */

import type {FileHandle} from 'node:fs/promises'

import {type Data, makeData, type RecordBatch, RecordBatchFileWriter, Utf8} from 'apache-arrow'

/** A record batch and the bytes it holds (what it adds to memory until the disk has it). */
export interface SizedBatch {
  batch: RecordBatch
  bytes: number
}

/**
 * Writes the batches `next(index)` makes (until it returns undefined) to `file` as one Arrow IPC file, the encoded bytes
 * going to disk as they are made. Making runs ahead of a slower disk by `aheadBytes` at most, so the encoded batches do
 * not pile up in memory; a failed write stops the making. Returns the bytes written.
 */
export async function writeArrowBatches(
  file: FileHandle, next: (index: number) => Promise<SizedBatch | undefined>, aheadBytes: number,
): Promise<number> {
  const writer = new RecordBatchFileWriter()
  let encoded = 0
  let written = 0
  let wake: (() => void) | undefined
  const draining = (async () => {
    for await (const chunk of writer) {
      await file.write(chunk)
      written += chunk.byteLength
      wake?.()
    }
  })()
  // Handled at once (an unhandled rejection would end the process while a batch is being made); thrown below.
  let drainFailure: unknown
  draining.catch((error: unknown) => {
    drainFailure = error
    wake?.()
  })
  try {
    for (let index = 0; ; index++) {
      while (encoded - written > aheadBytes && !drainFailure) await new Promise<void>((resolve) => (wake = resolve))
      if (drainFailure) throw drainFailure // the disk is full, say: stop making batches
      const sized = await next(index)
      if (!sized) break
      writer.write(sized.batch)
      encoded += sized.bytes
    }
    writer.close()
  } catch (error) {
    writer.abort()
    await draining.catch(() => undefined)
    throw error
  }
  await draining
  return written
}

/** A non-null UTF-8 column of `values`, built in one pass (apache-arrow's builders are far slower for whole batches). */
export function utf8Column(type: Utf8, values: readonly string[]): Data<Utf8> {
  const encoder = new TextEncoder()
  const encoded = values.map((value) => encoder.encode(value))
  const valueOffsets = new Int32Array(values.length + 1)
  encoded.forEach((utf8, row) => { valueOffsets[row + 1] = valueOffsets[row]! + utf8.byteLength })
  const data = new Uint8Array(valueOffsets[values.length]!)
  encoded.forEach((utf8, row) => data.set(utf8, valueOffsets[row]))
  return makeData({type, length: values.length, nullCount: 0, valueOffsets, data})
}
