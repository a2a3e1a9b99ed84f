/**
 * The WebAssembly kernel of the ad01 mel energies (assembly/ad.ts, built into wasm/ad.wasm by `npm run build`):
 * instantiated once per thread; its tables are written from TypeScript, where every cosine and sine is computed.
 */
import {instantiateWasm} from './instantiate.js'

/** The tables the kernel runs on, float64 as the reference computed them (stimuli.md §4.2, ad-parity.md). */
export interface AdTables {
  /** The geometry the tables were built for; the kernel's compiled constants must agree. */
  readonly geometry: Readonly<Record<AdGeometryName, number>>
  readonly window: Float64Array
  /** Bit reversal of the FFT_SIZE/2 packed values. */
  readonly bitReversal: Int32Array
  /** The complex FFT's stage twiddles ([span + k]) and the real FFT's split twiddles (ad-fft64.ts). */
  readonly stageRe: Float64Array
  readonly stageIm: Float64Array
  readonly splitCos: Float64Array
  readonly splitSin: Float64Array
  /** The mel basis, row-major [bands × bins], and the non-zero range of each band (slaney-mel.ts). */
  readonly melWeights: Float64Array
  readonly melFirstBin: Int32Array
  readonly melEndBin: Int32Array
}

export type AdGeometryName = 'FFT_SIZE' | 'HOP' | 'SPECTRUM_BINS' | 'MEL_BANDS'

interface WasmGlobal {
  readonly value: number
}

/** The exports of wasm/ad.wasm; see assembly/ad.ts for what each does. */
type AdWasm = Readonly<Record<AdGeometryName, WasmGlobal>> & {
  readonly memory: {readonly buffer: ArrayBuffer; grow(pages: number): number}
  readonly MEL_WEIGHT_CAPACITY: WasmGlobal
  readonly WINDOW: WasmGlobal
  readonly BIT_REVERSE: WasmGlobal
  readonly TWIDDLE_RE: WasmGlobal
  readonly TWIDDLE_IM: WasmGlobal
  readonly SPLIT_COS: WasmGlobal
  readonly SPLIT_SIN: WasmGlobal
  readonly MEL_FIRST_BIN: WasmGlobal
  readonly MEL_END_BIN: WasmGlobal
  readonly MEL_WEIGHT_OFFSET: WasmGlobal
  readonly MEL_WEIGHTS: WasmGlobal
  readonly HEAP_BASE: WasmGlobal
  melEnergies(signal: number, frames: number, energies: number): void
}

const PAGE_BYTES = 65536
const align16 = (bytes: number) => (bytes + 15) & ~15

/** An ad01 kernel with its tables written: one per thread. */
export class AdKernel {
  private readonly wasm: AdWasm
  private readonly bands: number
  private readonly hop: number
  private readonly fftSize: number
  private signalAddress = 0
  private energiesAddress = 0
  private frames = 0

  constructor(tables: AdTables) {
    const wasm = (this.wasm = instantiateWasm('ad.wasm') as AdWasm)
    for (const [name, value] of Object.entries(tables.geometry)) {
      const compiled = wasm[name as AdGeometryName].value
      if (compiled !== value) throw new Error(`tinydata: wasm/ad.wasm has ${name} = ${compiled}, expected ${value}`)
    }
    const {FFT_SIZE, HOP, SPECTRUM_BINS, MEL_BANDS} = tables.geometry
    this.bands = MEL_BANDS
    this.hop = HOP
    this.fftSize = FFT_SIZE
    const memory = wasm.memory.buffer
    new Float64Array(memory, wasm.WINDOW.value, FFT_SIZE).set(tables.window)
    new Int32Array(memory, wasm.BIT_REVERSE.value, FFT_SIZE / 2).set(tables.bitReversal)
    new Float64Array(memory, wasm.TWIDDLE_RE.value, FFT_SIZE / 2).set(tables.stageRe)
    new Float64Array(memory, wasm.TWIDDLE_IM.value, FFT_SIZE / 2).set(tables.stageIm)
    new Float64Array(memory, wasm.SPLIT_COS.value, SPECTRUM_BINS).set(tables.splitCos)
    new Float64Array(memory, wasm.SPLIT_SIN.value, SPECTRUM_BINS).set(tables.splitSin)
    // Only each band's non-zero weights go in, one band after another: the dot product skips the zeros.
    const offsets = new Int32Array(MEL_BANDS)
    const packed: number[] = []
    for (let band = 0; band < MEL_BANDS; band++) {
      offsets[band] = packed.length
      const row = band * SPECTRUM_BINS
      for (let bin = tables.melFirstBin[band]!; bin < tables.melEndBin[band]!; bin++) packed.push(tables.melWeights[row + bin]!)
    }
    if (packed.length > wasm.MEL_WEIGHT_CAPACITY.value) throw new Error(`tinydata: ${packed.length} mel weights do not fit wasm/ad.wasm`)
    new Int32Array(memory, wasm.MEL_FIRST_BIN.value, MEL_BANDS).set(tables.melFirstBin)
    new Int32Array(memory, wasm.MEL_END_BIN.value, MEL_BANDS).set(tables.melEndBin)
    new Int32Array(memory, wasm.MEL_WEIGHT_OFFSET.value, MEL_BANDS).set(offsets)
    new Float64Array(memory, wasm.MEL_WEIGHTS.value, packed.length).set(packed)
  }

  /**
   * The buffer of the int16 signal that `melEnergies` reads for `frames` frames: (frames − 1)·hop + fftSize samples,
   * frame t from sample t·hop. Valid until the next call; the caller fills it.
   */
  signal(frames: number): Int16Array {
    const samples = (frames - 1) * this.hop + this.fftSize
    this.frames = frames
    this.signalAddress = align16(this.wasm.HEAP_BASE.value)
    this.energiesAddress = align16(this.signalAddress + 2 * samples)
    const end = this.energiesAddress + 8 * frames * this.bands
    const {memory} = this.wasm
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE_BYTES))
    return new Int16Array(memory.buffer, this.signalAddress, samples)
  }

  /** The float64 mel energies of the frames of the signal just filled, frame-major: 128 values per frame. */
  melEnergies(): Float64Array {
    this.wasm.melEnergies(this.signalAddress, this.frames, this.energiesAddress)
    return new Float64Array(this.wasm.memory.buffer, this.energiesAddress, this.frames * this.bands)
  }
}
