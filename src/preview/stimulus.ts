/** The stimulus formats of the four benchmarks, told apart by size, and their decoding into something to draw. */

import {ad01} from '../../datasets/ad01.js'
import {BENCHMARK_CLASS_NAMES} from '../../datasets/class-names.js'
import {ic01} from '../../datasets/ic01.js'
import {kws01} from '../../datasets/kws01.js'
import {vww01} from '../../datasets/vww01.js'
import {AD_HOP, AD_SAMPLE_RATE} from '../audio/ad-features.js'
import {FRAME_STEP, SAMPLE_RATE} from '../audio/kws-features.js'
import {UserError} from '../errors.js'
import {KWS_VARIANT_BYTES, type KwsVariant, STIMULUS_BYTES} from '../stimulus-sizes.js'
import type {BenchmarkId} from '../benchmark-ids.js'

/** The two 490-byte kws01 stimuli: int8 MFCC (closed division) and uint8 LFBE (kws01-open); the bytes do not say which. */
export type KwsFeatures = Exclude<KwsVariant, 'td_samples'>

export interface ImageStimulus {
  kind: 'image'
  width: number
  height: number
  /** height × width × 3 bytes, HWC RGB: the stimulus bytes themselves. */
  rgb: Uint8Array
}

export interface SpectrogramStimulus {
  kind: 'spectrogram'
  frames: number
  bins: number
  /** frames × bins values, frame-major (index frame · bins + bin), as the stimulus holds them. */
  values: Float32Array
  /** What the rows are: "MFCC coefficient", "LFBE band", "mel band". */
  binName: string
  /** Milliseconds between frames, for the time axis. */
  frameStepMs: number
  /** "int8", "uint8" or "dB": how the colour bar's values read. */
  unit: string
  /** Integer values print without decimals. */
  integer: boolean
}

export interface WaveformStimulus {
  kind: 'waveform'
  samples: Int16Array
  sampleRate: number
}

export type DecodedStimulus = ImageStimulus | SpectrogramStimulus | WaveformStimulus

/** Every stimulus size, for error messages: "kws01 490 or 32000, ic01 3072, vww01 27648, ad01 102400". */
export const STIMULUS_SIZES_TEXT = [
  `kws01 ${KWS_VARIANT_BYTES.mfcc} or ${KWS_VARIANT_BYTES.td_samples}`,
  `ic01 ${STIMULUS_BYTES.ic01}`, `vww01 ${STIMULUS_BYTES.vww01}`, `ad01 ${STIMULUS_BYTES.ad01}`,
].join(', ')

/** The benchmark whose stimuli have this many bytes (each size belongs to one), or null. */
export function benchmarkOfStimulusSize(byteCount: number): BenchmarkId | null {
  if (byteCount === KWS_VARIANT_BYTES.mfcc || byteCount === KWS_VARIANT_BYTES.td_samples) return 'kws01'
  for (const id of ['vww01', 'ic01', 'ad01'] as const) if (byteCount === STIMULUS_BYTES[id]) return id
  return null
}

/** The kws01 variant of a stimulus of this size: td_samples by size, else the given features (default mfcc). */
export function kwsVariantOf(byteCount: number, features: KwsFeatures = 'mfcc'): KwsVariant {
  return byteCount === KWS_VARIANT_BYTES.td_samples ? 'td_samples' : features
}

/** Decodes stimulus bytes of `benchmark`; bytes of another size are a UserError. */
export function decodeStimulus(benchmark: BenchmarkId, bytes: Uint8Array, kwsFeatures: KwsFeatures = 'mfcc'): DecodedStimulus {
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  switch (benchmark) {
    case 'ic01':
    case 'vww01': {
      checkSize(benchmark, bytes, [STIMULUS_BYTES[benchmark]])
      const [height, width] = (benchmark === 'ic01' ? ic01 : vww01).shape
      return {kind: 'image', width, height, rgb: bytes}
    }
    case 'ad01': {
      checkSize(benchmark, bytes, [STIMULUS_BYTES.ad01])
      const [frames, bins] = ad01.shape
      const values = Float32Array.from({length: frames * bins}, (_, index) => data.getFloat32(4 * index, true))
      return {kind: 'spectrogram', frames, bins, values, binName: 'mel band', frameStepMs: 1000 * AD_HOP / AD_SAMPLE_RATE, unit: 'dB', integer: false}
    }
    case 'kws01': {
      checkSize(benchmark, bytes, [KWS_VARIANT_BYTES.mfcc, KWS_VARIANT_BYTES.td_samples])
      if (bytes.byteLength === KWS_VARIANT_BYTES.td_samples) {
        const samples = Int16Array.from({length: bytes.byteLength / 2}, (_, index) => data.getInt16(2 * index, true))
        return {kind: 'waveform', samples, sampleRate: SAMPLE_RATE}
      }
      const [frames, bins] = kws01.variants[kwsFeatures].shape
      const isLfbe = kwsFeatures === 'lfbe'
      const values = Float32Array.from(isLfbe ? bytes : new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
      return {
        kind: 'spectrogram', frames, bins, values, binName: isLfbe ? 'LFBE band' : 'MFCC coefficient',
        frameStepMs: 1000 * FRAME_STEP / SAMPLE_RATE, unit: isLfbe ? 'uint8' : 'int8', integer: true,
      }
    }
  }
}

function checkSize(benchmark: BenchmarkId, bytes: Uint8Array, sizes: readonly number[]): void {
  if (!sizes.includes(bytes.byteLength)) {
    throw new UserError(`${bytes.byteLength} bytes is not a ${benchmark} stimulus (${sizes.join(' or ')} bytes)`)
  }
}

/**
 * "Stop (7)": a label with its class name. The bare number where the benchmark has no class of that number, or where
 * the list counts a different number of classes (`classCount`, column 2 of y_labels.csv): someone else's classes.
 */
export function labelText(benchmark: BenchmarkId, label: number, classCount?: number): string {
  const names = BENCHMARK_CLASS_NAMES[benchmark]
  const name = classCount === undefined || classCount === names.length ? names[label] : undefined
  return name === undefined ? String(label) : `${name} (${label})`
}
