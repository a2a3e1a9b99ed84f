/** Stimulus sizes in bytes of each benchmark's runner files (stimuli.md): what a file of each must measure. */
import type {BenchmarkId} from './benchmark-ids.js'

export type KwsVariant = 'mfcc' | 'lfbe' | 'td_samples'

/** int8 49×10 MFCC, uint8 49×10 LFBE, 16000 int16 samples. */
export const KWS_VARIANT_BYTES: Record<KwsVariant, number> = {mfcc: 490, lfbe: 490, td_samples: 32000}
/** uint8 96×96×3, uint8 32×32×3, float32 200×128. */
export const STIMULUS_BYTES: Record<Exclude<BenchmarkId, 'kws01'>, number> = {vww01: 27648, ic01: 3072, ad01: 102400}
