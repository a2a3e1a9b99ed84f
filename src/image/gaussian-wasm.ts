/**
 * The sampled Gaussian passes of the vww resize (filterRows, then filterColumns of gaussian.ts) in WebAssembly SIMD:
 * assembly/image.ts, built into wasm/image.wasm by `npm run build`. Same arithmetic in the same order, so the same
 * bytes (the resize tests compare it with an independent reference); it is where the resize spent most of its time.
 * Instantiated once per thread, on first use.
 */
import {existsSync, readFileSync} from 'node:fs'

import {packageFile} from '../package-files.js'
import {CHANNELS, mirrorIndex, type HalfKernel} from './gaussian.js'

interface ImageWasm {
  readonly memory: {readonly buffer: ArrayBuffer; grow(pages: number): number}
  readonly HEAP_BASE: {readonly value: number}
  filterRows(image: number, rowLength: number, rowCount: number, taps: number, weights: number, radius: number, out: number): void
  filterColumns(rows: number, rowLength: number, rowCount: number, taps: number, columnCount: number, weights: number, radius: number, out: number): void
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
 * The filtered pixels at the listed rows × columns of an HWC RGB image: `rows.length × columns.length × 3` bytes, as
 * filterRows then filterColumns of gaussian.ts give them.
 */
export function filterSampledPixels(
  image: Uint8Array, height: number, width: number, rowKernel: HalfKernel | undefined, columnKernel: HalfKernel | undefined,
  rows: Int32Array, columns: Int32Array,
): Uint8Array {
  const wasm = imageWasm()
  const rowLength = width * CHANNELS
  const rowTaps = taps(rows, height, rowLength, rowKernel)
  const columnTaps = taps(columns, width, CHANNELS, columnKernel)
  const layout = new Layout(wasm)
  const imageAt = layout.reserve(image.length)
  const rowOffsetsAt = layout.reserve(rowTaps.offsets.byteLength)
  const rowWeightsAt = layout.reserve(rowTaps.weights.byteLength)
  const rowPassAt = layout.reserve(rows.length * rowLength + PIXEL_READ_SLACK)
  const columnOffsetsAt = layout.reserve(columnTaps.offsets.byteLength)
  const columnWeightsAt = layout.reserve(columnTaps.weights.byteLength)
  const filteredLength = rows.length * columns.length * CHANNELS
  const filteredAt = layout.reserve(filteredLength)
  const memory = layout.grow()
  new Uint8Array(memory, imageAt, image.length).set(image)
  new Int32Array(memory, rowOffsetsAt, rowTaps.offsets.length).set(rowTaps.offsets)
  new Float64Array(memory, rowWeightsAt, rowTaps.weights.length).set(rowTaps.weights)
  new Int32Array(memory, columnOffsetsAt, columnTaps.offsets.length).set(columnTaps.offsets)
  new Float64Array(memory, columnWeightsAt, columnTaps.weights.length).set(columnTaps.weights)
  wasm.filterRows(imageAt, rowLength, rows.length, rowOffsetsAt, rowWeightsAt, rowTaps.radius, rowPassAt)
  wasm.filterColumns(rowPassAt, rowLength, rows.length, columnOffsetsAt, columns.length, columnWeightsAt, columnTaps.radius, filteredAt)
  return new Uint8Array(memory, filteredAt, filteredLength).slice()
}
