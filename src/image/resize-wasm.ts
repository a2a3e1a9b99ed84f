/**
 * The arithmetic of the vww resize in WebAssembly: the sampled Gaussian passes (filterRows, then filterColumns of
 * gaussian.ts) in SIMD, and the bilinear warp (assembly/image.ts, built into wasm/image.wasm by `npm run build`).
 * Same operations in the same order, so the same bytes (the resize tests compare them with an independent reference);
 * the passes were where the resize spent most of its time. Instantiated once per thread, on first use.
 */
import {existsSync, readFileSync} from 'node:fs'

import {packageFile} from '../package-files.js'
import {CHANNELS, mirrorIndex, type HalfKernel} from './gaussian.js'

interface ImageWasm {
  readonly memory: {readonly buffer: ArrayBuffer; grow(pages: number): number}
  readonly HEAP_BASE: {readonly value: number}
  filterRows(image: number, rowLength: number, rowCount: number, taps: number, weights: number, radius: number, out: number): void
  filterColumns(rows: number, rowLength: number, rowCount: number, taps: number, columnCount: number, weights: number, radius: number, out: number): void
  warp(
    filtered: number, rowCount: number, columnCount: number, rowOffsets: number, rowWeights: number, columnOffsets: number, columnWeights: number,
    units: number, out: number,
  ): void
}

/**
 * Where the warp samples the filtered pixels: per output row the byte offsets of its top and bottom filtered rows and
 * its weights dr, 1 − dr (interleaved); per output column likewise; and the value of each byte.
 */
export interface WarpTables {
  rowOffsets: Int32Array
  rowWeights: Float64Array
  columnOffsets: Int32Array
  columnWeights: Float64Array
  units: Float64Array
}

/** The slice of the JavaScript WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => {readonly exports: object}
}

const PAGE_BYTES = 65536
/** filterColumns reads each pixel as four bytes: the last one of its input is followed by this many spare bytes. */
const PIXEL_READ_SLACK = 1

let instance: ImageWasm | undefined

function imageWasm(): ImageWasm {
  if (instance) return instance
  const path = packageFile('wasm', 'image.wasm')
  if (!existsSync(path)) throw new Error(`tinydata: ${path} is missing; npm run build compiles it from assembly/`)
  const {Module, Instance} = (globalThis as unknown as {WebAssembly: WebAssemblyApi}).WebAssembly
  instance = new Instance(new Module(readFileSync(path)), {}).exports as ImageWasm
  return instance
}

/**
 * Lays buffers out one after another from HEAP_BASE, 16-byte aligned; `reserve` returns the address of the next one.
 * The memory grows once all are placed.
 */
class Layout {
  private end: number

  constructor(private readonly wasm: ImageWasm) {
    this.end = wasm.HEAP_BASE.value
  }

  reserve(bytes: number): number {
    const address = this.end
    this.end = Math.ceil((address + bytes) / 16) * 16
    return address
  }

  grow(): ArrayBuffer {
    const {memory} = this.wasm
    const missing = this.end - memory.buffer.byteLength
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES))
    return memory.buffer
  }
}

/**
 * A pass's tap table — per output index, the byte offset of its centre, then of the neighbours before and after it for
 * the offsets r…1 (mirrored at the edges) — and its weights: the centre's, then those of the offsets r…1. Without a
 * kernel the centre alone with weight 1, which copies the byte.
 */
function taps(indices: Int32Array, size: number, stride: number, kernel: HalfKernel | undefined): {offsets: Int32Array; weights: Float64Array; radius: number} {
  const radius = kernel ? kernel.length - 1 : 0
  const weights = new Float64Array(radius + 1)
  weights[0] = kernel ? kernel[0]! : 1
  for (let t = 0; t < radius; t++) weights[1 + t] = kernel![radius - t]!
  const perIndex = 1 + 2 * radius
  const offsets = new Int32Array(indices.length * perIndex)
  indices.forEach((index, k) => {
    offsets[k * perIndex] = index * stride
    for (let t = 0; t < radius; t++) {
      offsets[k * perIndex + 1 + t] = mirrorIndex(index - (radius - t), size) * stride
      offsets[k * perIndex + 1 + radius + t] = mirrorIndex(index + (radius - t), size) * stride
    }
  })
  return {offsets, weights, radius}
}

/**
 * The filtered pixels at the listed rows × columns of an HWC RGB image (`rows.length × columns.length × 3` bytes, as
 * filterRows then filterColumns of gaussian.ts give them), and the warped values sampled from them (3 per output
 * pixel). Both are views of the WebAssembly memory, valid until the next call in this thread.
 */
export function filterAndWarp(
  image: Uint8Array, height: number, width: number, rowKernel: HalfKernel | undefined, columnKernel: HalfKernel | undefined,
  rows: Int32Array, columns: Int32Array, tables: WarpTables,
): {filtered: Uint8Array; values: Float64Array} {
  const wasm = imageWasm()
  const rowLength = width * CHANNELS
  const rowTaps = taps(rows, height, rowLength, rowKernel)
  const columnTaps = taps(columns, width, CHANNELS, columnKernel)
  const outputRows = tables.rowOffsets.length / 2
  const outputColumns = tables.columnOffsets.length / 2
  const filteredLength = rows.length * columns.length * CHANNELS
  const valueCount = outputRows * outputColumns * CHANNELS
  const layout = new Layout(wasm)
  const inputs = [image, rowTaps.offsets, rowTaps.weights, columnTaps.offsets, columnTaps.weights, tables.rowOffsets, tables.rowWeights,
    tables.columnOffsets, tables.columnWeights, tables.units]
  const addresses = inputs.map((array) => layout.reserve(array.byteLength))
  const [imageAt, rowTapsAt, rowWeightsAt, columnTapsAt, columnWeightsAt, rowOffsetsAt, rowSampleWeightsAt, columnOffsetsAt, columnSampleWeightsAt, unitsAt] =
    addresses as [number, number, number, number, number, number, number, number, number, number]
  const rowPassAt = layout.reserve(rows.length * rowLength + PIXEL_READ_SLACK)
  const filteredAt = layout.reserve(filteredLength)
  const valuesAt = layout.reserve(valueCount * Float64Array.BYTES_PER_ELEMENT)
  const memory = layout.grow()
  inputs.forEach((array, k) => new Uint8Array(memory, addresses[k], array.byteLength).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength)))
  wasm.filterRows(imageAt, rowLength, rows.length, rowTapsAt, rowWeightsAt, rowTaps.radius, rowPassAt)
  wasm.filterColumns(rowPassAt, rowLength, rows.length, columnTapsAt, columns.length, columnWeightsAt, columnTaps.radius, filteredAt)
  wasm.warp(filteredAt, outputRows, outputColumns, rowOffsetsAt, rowSampleWeightsAt, columnOffsetsAt, columnSampleWeightsAt, unitsAt, valuesAt)
  return {filtered: new Uint8Array(memory, filteredAt, filteredLength), values: new Float64Array(memory, valuesAt, valueCount)}
}
