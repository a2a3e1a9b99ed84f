/**
 * tf.signal.linear_to_mel_weight_matrix (stimuli.md §1.3(a), kws-float32-parity.md §2 step 5): triangles in the
 * HTK mel domain, peak 1, no area normalisation, DC row zero. Returned row-major [numSpectrogramBins × numMelBins].
 */
import {eigenPlog, logf} from './float32-math.js'
import {linspace64} from './slaney-mel.js'

const f32 = Math.fround

/** HTK mel scale constants of TF's `_MEL_HIGH_FREQUENCY_Q` and `_MEL_BREAK_FREQUENCY_HERTZ`. */
const MEL_HIGH_FREQUENCY_Q = 1127
const MEL_BREAK_FREQUENCY_HERTZ = 700

/**
 * mel(f) = 1127·ln(1 + f/700) in float32 with the given float32 log. TF evaluates the 256 bin frequencies as
 * one vector (Eigen `plog`) and the two band edges as scalars (correctly rounded logf).
 */
function hertzToMel32(hertz: number, log: (x: number) => number): number {
  return f32(f32(MEL_HIGH_FREQUENCY_Q) * log(f32(1 + f32(f32(hertz) / MEL_BREAK_FREQUENCY_HERTZ))))
}

/** The scalar mel of a band edge, as TF computes it (correctly rounded logf): mel(20) = 31.748644. */
export function bandEdgeMel32(hertz: number): number {
  return hertzToMel32(hertz, logf)
}

/** tf.linspace in float32: start + step·i with step = (stop − start)/(num − 1), both end points pinned. */
export function linspace32(start: number, stop: number, num: number): Float32Array {
  const start32 = f32(start)
  const stop32 = f32(stop)
  const step = f32(f32(stop32 - start32) / f32(num - 1))
  const out = new Float32Array(num)
  for (let i = 0; i < num; i++) out[i] = f32(start32 + f32(step * i))
  out[0] = start32
  out[num - 1] = stop32
  return out
}

/** The float32 weight matrix TF builds, [numSpectrogramBins × numMelBins] row-major. */
export function melWeightMatrix32(
  numMelBins: number,
  numSpectrogramBins: number,
  sampleRate: number,
  lowerEdgeHertz: number,
  upperEdgeHertz: number,
): Float32Array {
  const nyquist = f32(f32(sampleRate) / 2)
  const binHertz = linspace32(0, nyquist, numSpectrogramBins)
  const edges = linspace32(bandEdgeMel32(lowerEdgeHertz), bandEdgeMel32(upperEdgeHertz), numMelBins + 2)
  const weights = new Float32Array(numSpectrogramBins * numMelBins)
  // Row 0 (DC) stays zero: TF drops it before the triangles and pads it back.
  for (let bin = 1; bin < numSpectrogramBins; bin++) {
    const mel = hertzToMel32(binHertz[bin], eigenPlog)
    for (let band = 0; band < numMelBins; band++) {
      const lower = edges[band]
      const center = edges[band + 1]
      const upper = edges[band + 2]
      const rising = f32(f32(mel - lower) / f32(center - lower))
      const falling = f32(f32(upper - mel) / f32(upper - center))
      weights[bin * numMelBins + band] = Math.max(0, Math.min(rising, falling))
    }
  }
  return weights
}

/** The same matrix in plain double precision (numpy linspace and log), for the float64 pipelines. */
export function melWeightMatrix64(
  numMelBins: number,
  numSpectrogramBins: number,
  sampleRate: number,
  lowerEdgeHertz: number,
  upperEdgeHertz: number,
): Float64Array {
  const mel = (hertz: number) => MEL_HIGH_FREQUENCY_Q * Math.log(1 + hertz / MEL_BREAK_FREQUENCY_HERTZ)
  const binHertz = linspace64(0, sampleRate / 2, numSpectrogramBins)
  const edges = linspace64(mel(lowerEdgeHertz), mel(upperEdgeHertz), numMelBins + 2)
  const weights = new Float64Array(numSpectrogramBins * numMelBins)
  for (let bin = 1; bin < numSpectrogramBins; bin++) {
    const binMel = mel(binHertz[bin])
    for (let band = 0; band < numMelBins; band++) {
      const lower = edges[band]
      const center = edges[band + 1]
      const upper = edges[band + 2]
      const rising = (binMel - lower) / (center - lower)
      const falling = (upper - binMel) / (upper - center)
      weights[bin * numMelBins + band] = Math.max(0, Math.min(rising, falling))
    }
  }
  return weights
}

