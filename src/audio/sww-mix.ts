/**
 * The arithmetic of build_long_wav.py (stimuli.md §5.2), the sww01 test WAV: int16 clips scaled in float64 and
 * accumulated into a float32 signal, normalised by its peak and truncated to int16. Every step follows numpy's
 * order of operations, so that the bytes equal a numpy run on the same clips.
 */
import {encodeWav} from './wav.js'

/** numpy's pairwise_sum (float64): 8 running sums for blocks up to 128, halves (a multiple of 8) above. */
function pairwiseSum(values: Float64Array, start: number, count: number): number {
  if (count < 8) {
    let sum = 0
    for (let i = start; i < start + count; i++) sum += values[i]!
    return sum
  }
  if (count <= 128) {
    const r = values.slice(start, start + 8)
    const whole = count - (count % 8)
    let i = 8
    for (; i < whole; i += 8) for (let j = 0; j < 8; j++) r[j]! += values[start + i + j]!
    let sum = (r[0]! + r[1]! + (r[2]! + r[3]!)) + (r[4]! + r[5]! + (r[6]! + r[7]!))
    for (; i < count; i++) sum += values[start + i]!
    return sum
  }
  let half = Math.floor(count / 2)
  half -= half % 8
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, count - half)
}

/**
 * `np.std(samples)` of int16 samples: the population standard deviation in float64, the mean first (an int16 sum is
 * exact in float64), then the pairwise sum of the squared deviations over the whole array.
 */
export function numpyStd(samples: Int16Array): number {
  let total = 0
  for (const sample of samples) total += sample
  const mean = total / samples.length
  const squares = new Float64Array(samples.length)
  for (let i = 0; i < samples.length; i++) {
    const deviation = samples[i]! - mean
    squares[i] = deviation * deviation
  }
  return Math.sqrt(pairwiseSum(squares, 0, samples.length) / samples.length)
}

/**
 * `long[start:start+len(samples)] += gain * (samples / std)`: float64 terms into float32, each sum
 * `f32(f64(a) + b)`. `samples` must fit from `start` (the caller checks it against the spec).
 */
export function addScaled(long: Float32Array, samples: Int16Array, start: number, gain: number): void {
  const std = numpyStd(samples)
  for (let i = 0; i < samples.length; i++) long[start + i] = long[start + i]! + gain * (samples[i]! / std)
}

/**
 * build_long_wav.py's trim: the samples from the first to (excluding) the last one above `max · relativeThreshold`,
 * the max being the signed one. Empty where fewer than two samples are above it.
 */
export function trimWakeword(samples: Int16Array, relativeThreshold: number): Int16Array {
  let max = -Infinity
  for (const sample of samples) if (sample > max) max = sample
  const threshold = max * relativeThreshold
  let first = -1
  let last = -1
  for (let i = 0; i < samples.length; i++) {
    if (samples[i]! > threshold) {
      if (first < 0) first = i
      last = i
    }
  }
  return first < 0 ? samples.subarray(0, 0) : samples.subarray(first, last)
}

/** The peak of |long| (0 for silence): what the signal is divided by before it becomes int16. */
export function peakMagnitude(long: Float32Array): number {
  let peak = 0
  for (const value of long) if (Math.abs(value) > peak) peak = Math.abs(value)
  return peak
}

/**
 * `((long / max|long|) * 32768).astype(np.int16)`: float32 division and product, truncation toward zero, and the
 * 16-bit wrap of the C cast (the peak's +32768 becomes −32768). `peak` must be positive.
 */
export function normalizeToInt16(long: Float32Array, peak: number): Int16Array {
  const out = new Int16Array(long.length)
  for (let i = 0; i < long.length; i++) out[i] = Math.trunc(Math.fround(Math.fround(long[i]! / peak) * 32768))
  return out
}

/** The board's WAV: two identical 16-bit channels behind the canonical 44-byte header (scipy's wavfile.write). */
export function encodeStereoWav(samples: Int16Array, sampleRate: number): Uint8Array {
  const stereo = new Int16Array(samples.length * 2)
  for (let i = 0; i < samples.length; i++) stereo[2 * i] = stereo[2 * i + 1] = samples[i]!
  const bytes = encodeWav(stereo, sampleRate)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  view.setUint16(22, 2, true) // channels
  view.setUint32(28, sampleRate * 4, true) // byte rate
  view.setUint16(32, 4, true) // block align
  return bytes
}
