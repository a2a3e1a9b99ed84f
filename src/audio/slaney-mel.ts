/**
 * The Slaney mel filter bank of librosa 0.6.0 (`filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm=1)`),
 * in float64 as 0.6.0 builds it (stimuli.md §4.2 step 2, ad-parity.md "Mel basis details"). The Slaney ("auditory
 * toolbox") scale is linear below 1 kHz (200/3 Hz per mel) and logarithmic above (a factor 6.4 every 27 mels).
 * Triangles are laid out in Hz between mel-spaced edge frequencies and scaled to unit area (norm=1).
 */

/** Hz per mel in the linear part (librosa `f_sp = 200.0 / 3`). */
const LINEAR_HZ_PER_MEL = 200 / 3
/** Where the log part begins (librosa `min_log_hz`). */
const LOG_REGION_START_HZ = 1000
/** The same point in mels: 15 (librosa `min_log_mel`). */
const LOG_REGION_START_MEL = LOG_REGION_START_HZ / LINEAR_HZ_PER_MEL
/** ln of the frequency ratio per mel in the log part (librosa `logstep = np.log(6.4) / 27.0`). */
const LOG_STEP = Math.log(6.4) / 27

/** librosa 0.6.0 `hz_to_mel(f, htk=False)`. */
export function hzToMelSlaney(hz: number): number {
  if (hz >= LOG_REGION_START_HZ) return LOG_REGION_START_MEL + Math.log(hz / LOG_REGION_START_HZ) / LOG_STEP
  return hz / LINEAR_HZ_PER_MEL
}

/** librosa 0.6.0 `mel_to_hz(m, htk=False)`. */
export function melToHzSlaney(mel: number): number {
  if (mel >= LOG_REGION_START_MEL) return LOG_REGION_START_HZ * Math.exp(LOG_STEP * (mel - LOG_REGION_START_MEL))
  return LINEAR_HZ_PER_MEL * mel
}

/** numpy `linspace(start, stop, num)` (endpoint=True): start + i·step, and the last point set to `stop` exactly. */
export function linspace64(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num)
  const step = (stop - start) / (num - 1)
  for (let i = 0; i < num; i++) out[i] = i * step + start
  if (num > 1) out[num - 1] = stop
  return out
}

export interface SlaneyMelOptions {
  sampleRate: number
  fftSize: number
  bands: number
  lowHz: number
  highHz: number
}

/**
 * A mel basis stored by band: band m weights spectrum bins `firstBin[m] ≤ k < endBin[m]` (every other weight is 0)
 * with `weights[m·bins + k]`, so a dot product can skip the zeros. Adding the skipped +0 terms would not change a
 * float64 sum of non-negative values, so the sparse dot equals the dense one in any order.
 */
export interface SlaneyMelBasis {
  readonly bands: number
  /** fftSize/2 + 1 */
  readonly bins: number
  /** Row-major [bands × bins], float64 as in librosa 0.6.0. */
  readonly weights: Float64Array
  readonly firstBin: Int32Array
  readonly endBin: Int32Array
  /** The bands + 2 edge frequencies in Hz (librosa `mel_f`): band m rises from edge m, peaks at m+1, ends at m+2. */
  readonly edgesHz: Float64Array
}

/** librosa 0.6.0 `filters.mel(..., htk=False, norm=1)`, step by step in float64. */
export function slaneyMelBasis(options: SlaneyMelOptions): SlaneyMelBasis {
  const {sampleRate, fftSize, bands, lowHz, highHz} = options
  const bins = Math.floor(fftSize / 2) + 1
  const binHz = linspace64(0, sampleRate / 2, bins) // fft_frequencies
  const edgesHz = linspace64(hzToMelSlaney(lowHz), hzToMelSlaney(highHz), bands + 2).map(melToHzSlaney) // mel_frequencies
  const weights = new Float64Array(bands * bins)
  const firstBin = new Int32Array(bands)
  const endBin = new Int32Array(bands)
  for (let band = 0; band < bands; band++) {
    const rising = edgesHz[band + 1]! - edgesHz[band]! // fdiff[i]
    const falling = edgesHz[band + 2]! - edgesHz[band + 1]! // fdiff[i+1]
    const areaNormalisation = 2 / (edgesHz[band + 2]! - edgesHz[band]!) // enorm: unit area per triangle
    firstBin[band] = bins
    for (let bin = 0; bin < bins; bin++) {
      const lower = -(edgesHz[band]! - binHz[bin]!) / rising // -ramps[i] / fdiff[i]
      const upper = (edgesHz[band + 2]! - binHz[bin]!) / falling // ramps[i+2] / fdiff[i+1]
      const weight = Math.max(0, Math.min(lower, upper)) * areaNormalisation
      weights[band * bins + bin] = weight
      if (weight > 0) {
        firstBin[band] = Math.min(firstBin[band]!, bin)
        endBin[band] = bin + 1
      }
    }
    if (endBin[band] === 0) firstBin[band] = 0 // a band narrower than a bin weighs nothing
  }
  return {bands, bins, weights, firstBin, endBin, edgesHz}
}
