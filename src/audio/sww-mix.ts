/**
 * The arithmetic of build_long_wav.py (stimuli.md §5.2), the sww01 test WAV: int16 clips scaled in float64 and
 * accumulated into a float32 signal, normalised by its peak and truncated to int16. Every step follows numpy's
 * order of operations, so that the bytes equal a numpy run on the same clips.
 */
import {pcmWavHeader} from './wav.js'

/**
 * numpy's pairwise_sum (float64) of `(samples[i] − mean)²` over [start, start + count): 8 running sums for blocks up to
 * 128, halves (a multiple of 8) above. The squares are made as they are summed, not stored.
 */
function pairwiseSquares(samples: Int16Array, mean: number, start: number, count: number): number {
  const square = (i: number) => (samples[i]! - mean) * (samples[i]! - mean)
  if (count < 8) {
    let sum = 0
    for (let i = start; i < start + count; i++) sum += square(i)
    return sum
  }
  if (count <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => square(start + j))
    const whole = count - (count % 8)
    let i = 8
    for (; i < whole; i += 8) for (let j = 0; j < 8; j++) r[j]! += square(start + i + j)
    let sum = (r[0]! + r[1]! + (r[2]! + r[3]!)) + (r[4]! + r[5]! + (r[6]! + r[7]!))
    for (; i < count; i++) sum += square(start + i)
    return sum
  }
  let half = Math.floor(count / 2)
  half -= half % 8
  return pairwiseSquares(samples, mean, start, half) + pairwiseSquares(samples, mean, start + half, count - half)
}

/**
 * `np.std(samples)` of int16 samples: the population standard deviation in float64, the mean first (an int16 sum is
 * exact in float64), then the pairwise sum of the squared deviations over the whole array.
 */
export function numpyStd(samples: Int16Array): number {
  let total = 0
  for (const sample of samples) total += sample
  return Math.sqrt(pairwiseSquares(samples, total / samples.length, 0, samples.length) / samples.length)
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
 * `((long / max|long|) * 32768).astype(np.int16)` of one sample: float32 division and product, truncation toward zero,
 * and the 16-bit wrap of the C cast (the peak's +32768 becomes −32768). `peak` must be positive.
 */
function int16Of(value: number, peak: number): number {
  return (Math.trunc(Math.fround(Math.fround(value / peak) * 32768)) << 16) >> 16
}


/**
 * The board's WAV of the normalised mix, in pieces (the header, then `framesPerChunk` frames at a time): both channels
 * the same int16 sample. Made piece by piece, a 1200-s WAV is never held whole beside its float32 mix.
 */
export function* stereoWavChunks(long: Float32Array, peak: number, sampleRate: number, framesPerChunk = 1 << 16): Generator<Uint8Array> {
  yield pcmWavHeader(long.length, sampleRate, 2)
  for (let start = 0; start < long.length; start += framesPerChunk) {
    const end = Math.min(start + framesPerChunk, long.length)
    const chunk = new Uint8Array((end - start) * 4)
    const view = new DataView(chunk.buffer)
    for (let i = start; i < end; i++) {
      const sample = int16Of(long[i]!, peak)
      view.setInt16(4 * (i - start), sample, true)
      view.setInt16(4 * (i - start) + 2, sample, true)
    }
    yield chunk
  }
}
