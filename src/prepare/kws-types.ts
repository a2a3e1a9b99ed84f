import type {SourceDataset} from '../../datasets/types.js'

export type KwsVariant = 'mfcc' | 'lfbe' | 'td_samples'
export const KWS_VARIANTS: readonly KwsVariant[] = ['mfcc', 'lfbe', 'td_samples']

export type KwsSubset = 'official' | 'test'

/**
 * `exact` emulates TensorFlow's float32 Eigen arithmetic (the official bytes); `float64` is plain double precision
 * with the two cheap fixes of kws-float32-parity.md §7 (a cross-check: a few values off by one, and slower than the
 * WebAssembly exact path).
 */
export type Precision = 'exact' | 'float64'

export type StimulusDtype = 'int8' | 'uint8' | 'int16'

/** How float features become stimulus bytes, and where the numbers come from. */
export interface Quantization {
  dtype: StimulusDtype
  scale: number
  zeroPoint: number
  origin: string
}

/** A feature extractor: 16000 zero-padded int16 samples in, 49 × 10 float32 values out (frame-major). */
export type KwsFeatureFunction = (samples: Int16Array) => Float32Array

export interface KwsVariantDefinition {
  description: string
  shape: readonly number[]
  quantization: Quantization
  /** undefined for td_samples, whose bytes are the samples themselves. */
  features: {exact: KwsFeatureFunction; float64: KwsFeatureFunction} | undefined
  recipe: Record<string, unknown>
}

/** A benchmark binds a source data set, a pinned selection, feature recipes and the runner folder name. */
export interface KwsBenchmark {
  id: string
  source: SourceDataset
  classNames: readonly string[]
  officialHashes: string
  officialCount: number
  /** Official files the exact path is known not to reproduce (the parity ceiling), by variant. */
  knownParityMisses: Record<KwsVariant, readonly string[]>
  defaultVariant: KwsVariant
  variants: Record<KwsVariant, KwsVariantDefinition>
}
