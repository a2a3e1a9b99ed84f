/**
 * The WebAssembly kernel of the exact kws features (assembly/kws.ts, built into wasm/kws.wasm by `npm run build`):
 * instantiated synchronously, once per thread, from the .wasm bytes; its tables are written from TypeScript, where
 * every value that needs a transcendental function is computed.
 */
import type {MergeLevel} from '../eigen-fft.js'
import {GEBP_ORDER} from '../eigen-matmul.js'
import {logf} from '../float32-math.js'
import {instantiateWasm} from './instantiate.js'

/** The tables the kernel runs on, all float32 values (stimuli.md §1.3, kws-float32-parity.md §2 and §5). */
export interface KwsTables {
  /** The geometry the tables were built for; the kernel's compiled constants must agree. */
  readonly geometry: Readonly<Record<KwsGeometryName, number>>
  readonly hannWindow: Float32Array
  readonly hammingWindow: Float32Array
  /** GEBP programs of the mel weights (eigen-matmul.ts). */
  readonly mfccGebpProgram: Int32Array
  readonly lfbeGebpProgram: Int32Array
  /** Scramble permutations of the radix-2 sizes 512 and 256. */
  readonly scramble512: Int32Array
  readonly scramble256: Int32Array
  /** Merge twiddles of block sizes 16…512, forward and inverse. */
  readonly mergeLevels: readonly {readonly blockSize: number; readonly forward: MergeLevel; readonly inverse: MergeLevel}[]
  /** The Bluestein chirp of size 80, j ≤ 80. */
  readonly chirpRe: Float32Array
  readonly chirpIm: Float32Array
  /** 2·exp(−iπk/80) for k < 10, rsqrt(80), ln 10. */
  readonly dctScaleRe: Float32Array
  readonly dctScaleIm: Float32Array
  readonly dctNorm: number
  readonly ln10: number
}

/** Constants compiled into assembly/kws.ts that the TypeScript side has its own names for. */
export type KwsGeometryName =
  | 'CLIP_SAMPLES'
  | 'FRAME_LENGTH'
  | 'FRAME_STEP'
  | 'SPECTROGRAM_BINS'
  | 'NUM_FRAMES'
  | 'NUM_COEFFICIENTS'
  | 'MFCC_MEL_BINS'
  | 'LFBE_MEL_BINS'
  | 'FRAME_FFT_SIZE'
  | 'BLUESTEIN_SIZE'
  | 'BLUESTEIN_RADIX2_SIZE'

/** A wasm global: an address (byte offset into memory) or a constant. */
interface WasmGlobal {
  readonly value: number
}

/** The exports of wasm/kws.wasm; see assembly/kws.ts for what each does. */
type KwsWasm = Readonly<Record<KwsGeometryName, WasmGlobal>> & {
  readonly memory: {readonly buffer: ArrayBuffer}
  readonly FEATURES_PER_CLIP: WasmGlobal
  readonly LFBE_PACKET_LOGS: WasmGlobal
  readonly GEBP_PROGRAM_WORDS: WasmGlobal
  readonly TWIDDLE_LEVEL_FLOATS: WasmGlobal
  readonly ORDER_SEQUENTIAL: WasmGlobal
  readonly ORDER_EVEN_ODD: WasmGlobal
  readonly ORDER_LANES_8: WasmGlobal
  readonly SAMPLES: WasmGlobal
  readonly FEATURES: WasmGlobal
  readonly HANN_WINDOW: WasmGlobal
  readonly HAMMING_WINDOW: WasmGlobal
  readonly MFCC_GEBP_PROGRAM: WasmGlobal
  readonly LFBE_GEBP_PROGRAM: WasmGlobal
  readonly DCT_SCALE_RE: WasmGlobal
  readonly DCT_SCALE_IM: WasmGlobal
  readonly CHIRP_RE: WasmGlobal
  readonly CHIRP_IM: WasmGlobal
  readonly FFT_RE: WasmGlobal
  readonly FFT_IM: WasmGlobal
  readonly BLUESTEIN_RE: WasmGlobal
  readonly BLUESTEIN_IM: WasmGlobal
  readonly SPECTROGRAM: WasmGlobal
  readonly MEL_ENERGIES: WasmGlobal
  readonly LFBE_LOGS: WasmGlobal
  initialise(dctNorm: number, ln10: number): void
  mfcc(): void
  lfbeLogs(): void
  lfbeFinish(): void
  melContraction(mfccWeights: boolean): void
  realFft(input: number, length: number): void
  complexFft(inputRe: number, inputIm: number, size: number, inverse: boolean, outputCount: number): void
  bluesteinRealFft(input: number, inputLength: number, outputCount: number): void
  plogArray(input: number, output: number, count: number): void
  hypotf(re: number, im: number): number
  twiddleLevel(log2BlockSize: number, inverse: boolean): number
  scramble(size: number): number
}

/** An exact-kws kernel with its tables written: one per thread (mfccExact / lfbeExact keep it). */
export class KwsKernel {
  private readonly wasm: KwsWasm
  private readonly samples: Int16Array
  private readonly features: Float32Array
  private readonly melEnergies: Float32Array
  private readonly lfbeLogValues: Float32Array
  private readonly lfbePacketLogs: number

  constructor(tables: KwsTables) {
    const wasm = (this.wasm = instantiateWasm('kws.wasm') as KwsWasm)
    for (const [name, value] of Object.entries(tables.geometry)) {
      const compiled = wasm[name as KwsGeometryName].value
      if (compiled !== value) throw new Error(`tinydata: wasm/kws.wasm has ${name} = ${compiled}, expected ${value}`)
    }
    const orders = [wasm.ORDER_SEQUENTIAL.value, wasm.ORDER_EVEN_ODD.value, wasm.ORDER_LANES_8.value]
    if (orders.join() !== [GEBP_ORDER.sequential, GEBP_ORDER.evenOdd, GEBP_ORDER.lanes8].join()) {
      throw new Error(`tinydata: wasm/kws.wasm has GEBP order codes ${orders.join()}`)
    }
    const {CLIP_SAMPLES, FRAME_LENGTH, NUM_FRAMES, MFCC_MEL_BINS, BLUESTEIN_SIZE} = tables.geometry
    const featuresPerClip = wasm.FEATURES_PER_CLIP.value
    this.samples = new Int16Array(wasm.memory.buffer, wasm.SAMPLES.value, CLIP_SAMPLES)
    this.features = this.floats(wasm.FEATURES, featuresPerClip)
    this.melEnergies = this.floats(wasm.MEL_ENERGIES, NUM_FRAMES * MFCC_MEL_BINS)
    this.lfbeLogValues = this.floats(wasm.LFBE_LOGS, featuresPerClip)
    this.lfbePacketLogs = wasm.LFBE_PACKET_LOGS.value

    this.floats(wasm.HANN_WINDOW, FRAME_LENGTH).set(tables.hannWindow)
    this.floats(wasm.HAMMING_WINDOW, FRAME_LENGTH).set(tables.hammingWindow)
    for (const [address, program] of [
      [wasm.MFCC_GEBP_PROGRAM, tables.mfccGebpProgram],
      [wasm.LFBE_GEBP_PROGRAM, tables.lfbeGebpProgram],
    ] as const) {
      if (program.length > wasm.GEBP_PROGRAM_WORDS.value) throw new Error(`tinydata: a GEBP program of ${program.length} words does not fit`)
      new Int32Array(wasm.memory.buffer, address.value, program.length).set(program)
    }
    for (const permutation of [tables.scramble512, tables.scramble256]) {
      new Int32Array(wasm.memory.buffer, wasm.scramble(permutation.length), permutation.length).set(permutation)
    }
    // Per level, as assembly/fft.ts reads it: the 4 lane factors re, im, then the group twiddles re, im.
    for (const {blockSize, forward, inverse} of tables.mergeLevels) {
      for (const [level, isInverse] of [
        [forward, false],
        [inverse, true],
      ] as const) {
        const floats = this.floatsAt(wasm.twiddleLevel(Math.log2(blockSize), isInverse), wasm.TWIDDLE_LEVEL_FLOATS.value)
        const lanes = level.laneRe.length
        floats.set(level.laneRe, 0)
        floats.set(level.laneIm, lanes)
        floats.set(level.groupRe, 2 * lanes)
        floats.set(level.groupIm, 2 * lanes + level.groupRe.length)
      }
    }
    this.floats(wasm.CHIRP_RE, BLUESTEIN_SIZE + 1).set(tables.chirpRe)
    this.floats(wasm.CHIRP_IM, BLUESTEIN_SIZE + 1).set(tables.chirpIm)
    this.floats(wasm.DCT_SCALE_RE, tables.dctScaleRe.length).set(tables.dctScaleRe)
    this.floats(wasm.DCT_SCALE_IM, tables.dctScaleIm.length).set(tables.dctScaleIm)
    wasm.initialise(tables.dctNorm, tables.ln10)
  }

  private floats(address: WasmGlobal, length: number): Float32Array {
    return this.floatsAt(address.value, length)
  }

  private floatsAt(address: number, length: number): Float32Array {
    return new Float32Array(this.wasm.memory.buffer, address, length)
  }

  /** MFCC of one clip of exactly CLIP_SAMPLES samples (kws-float32-parity.md §2). */
  mfcc(samples: Int16Array): Float32Array {
    this.samples.set(samples)
    this.wasm.mfcc()
    return this.features.slice()
  }

  /** LFBE of one clip (kws-float32-parity.md §5); the last two logs are scalar logf, computed here. */
  lfbe(samples: Int16Array): Float32Array {
    this.samples.set(samples)
    this.wasm.lfbeLogs()
    for (let i = this.lfbePacketLogs; i < this.lfbeLogValues.length; i++) this.lfbeLogValues[i] = logf(this.melEnergies[i])
    this.wasm.lfbeFinish()
    return this.features.slice()
  }

  // Entry points into the kernel's parts, for the tests that pin them to oracle values.

  /** rfft(512) of input (at most 512 float32 values, zero-padded): the 257 bins. */
  frameRfft(input: ArrayLike<number>): {re: Float32Array; im: Float32Array} {
    const size = this.wasm.FRAME_FFT_SIZE.value
    if (input.length > size) throw new RangeError(`frameRfft: ${input.length} samples exceed size ${size}`)
    const fftRe = this.floats(this.wasm.FFT_RE, size)
    const fftIm = this.floats(this.wasm.FFT_IM, size)
    // The input goes to the spectrogram buffer, which has room for the 512 floats realFft reads.
    this.floats(this.wasm.SPECTROGRAM, size).set(input)
    this.wasm.realFft(this.wasm.SPECTROGRAM.value, input.length)
    return {re: fftRe.slice(0, size / 2 + 1), im: fftIm.slice(0, size / 2 + 1)}
  }

  /** Bluestein rfft(80) of real input (at most 80 values): the first `outputCount` bins (default all 41). */
  bluesteinRfft(input: ArrayLike<number>, outputCount = this.wasm.BLUESTEIN_SIZE.value / 2 + 1): {re: Float32Array; im: Float32Array} {
    const size = this.wasm.BLUESTEIN_SIZE.value
    if (input.length > size) throw new RangeError(`bluesteinRfft: ${input.length} samples exceed size ${size}`)
    if (!(outputCount >= 1 && outputCount <= size)) throw new RangeError(`bluesteinRfft: ${outputCount} outputs of size ${size}`)
    this.floats(this.wasm.SPECTROGRAM, input.length).set(input)
    this.wasm.bluesteinRealFft(this.wasm.SPECTROGRAM.value, input.length, outputCount)
    return {re: this.floats(this.wasm.BLUESTEIN_RE, outputCount).slice(), im: this.floats(this.wasm.BLUESTEIN_IM, outputCount).slice()}
  }

  /**
   * Complex radix-2 transform of size 512 or 256 (re.length; the frame and the Bluestein sizes), forward or inverse
   * (unscaled); with `outputCount` < size only the first outputCount outputs are meaningful (the pruning of the
   * Bluestein inverse).
   */
  complexFft(re: ArrayLike<number>, im: ArrayLike<number>, inverse: boolean, outputCount = re.length): {re: Float32Array; im: Float32Array} {
    const size = re.length
    const sizes = [this.wasm.FRAME_FFT_SIZE.value, this.wasm.BLUESTEIN_RADIX2_SIZE.value]
    if (!sizes.includes(size) || im.length !== size) throw new RangeError(`complexFft: size must be ${sizes.join(' or ')}, got ${size}`)
    if (!(outputCount >= 1 && outputCount <= size)) throw new RangeError(`complexFft: ${outputCount} outputs of size ${size}`)
    // Input through the spectrogram buffer: 2·512 floats fit easily.
    const input = this.floats(this.wasm.SPECTROGRAM, 2 * size)
    input.set(re)
    input.set(im, size)
    this.wasm.complexFft(input.byteOffset, input.byteOffset + 4 * size, size, inverse, outputCount)
    return {re: this.floats(this.wasm.FFT_RE, size).slice(), im: this.floats(this.wasm.FFT_IM, size).slice()}
  }

  /** Eigen's plog of each value, as the kernel computes the mfcc and lfbe logs. */
  plog(values: ArrayLike<number>): Float32Array {
    const buffer = this.floats(this.wasm.SPECTROGRAM, values.length)
    buffer.set(values)
    this.wasm.plogArray(buffer.byteOffset, buffer.byteOffset, values.length)
    return buffer.slice()
  }

  /** The kernel's hypotf of two float32 values. */
  hypotf(re: number, im: number): number {
    return this.wasm.hypotf(re, im)
  }

  /** The GEBP mel contraction of a 49×257 spectrogram (finite, non-negative) by the MFCC or LFBE weights. */
  melContraction(spectrogram: ArrayLike<number>, weights: 'mfcc' | 'lfbe'): Float32Array {
    const {NUM_FRAMES, SPECTROGRAM_BINS, MFCC_MEL_BINS, LFBE_MEL_BINS} = this.wasm
    if (spectrogram.length !== NUM_FRAMES.value * SPECTROGRAM_BINS.value) {
      throw new RangeError(`melContraction: the spectrogram must hold ${NUM_FRAMES.value}×${SPECTROGRAM_BINS.value} values`)
    }
    this.floats(this.wasm.SPECTROGRAM, spectrogram.length).set(spectrogram)
    this.wasm.melContraction(weights === 'mfcc')
    return this.melEnergies.slice(0, NUM_FRAMES.value * (weights === 'mfcc' ? MFCC_MEL_BINS : LFBE_MEL_BINS).value)
  }
}
