/**
 * What a device does between the stimulus bytes the runner sends and the model's int8 input tensor, and between the
 * int8 output tensor and the `m-results` it prints. These follow the MLPerf Tiny reference firmware
 * (`benchmark/reference_submissions/<benchmark>/submitter_implemented.cpp`); `infer` and `prepare --format model`
 * both use them, so the tensors written for simulators are the ones the golden run fed the model.
 */

import type {BenchmarkId} from '../benchmark-ids.js'

import {UserError} from '../errors.js'
import {KWS_VARIANT_BYTES, STIMULUS_BYTES} from '../stimulus-sizes.js'

/** Quantisation of one tensor: real = (q − zeroPoint) · scale, scale a float32. */
export interface Quantization {
  scale: number
  zeroPoint: number
}

/** ad01 streams each 200 × 128 float32 spectrogram as windows of 5 frames (y_labels columns 4-5: 2560, 512 bytes). */
export const AD_WINDOW_VALUES = 640
export const AD_STRIDE_VALUES = 128
const AD_STIMULUS_VALUES = STIMULUS_BYTES.ad01 / Float32Array.BYTES_PER_ELEMENT
export const AD_WINDOWS = (AD_STIMULUS_VALUES - AD_WINDOW_VALUES) / AD_STRIDE_VALUES + 1

/** Stimulus bytes per benchmark in the runner format (kws01: the int8 MFCC stimuli the reference model takes). */
export const RUNNER_STIMULUS_BYTES: Record<BenchmarkId, number> = {kws01: KWS_VARIANT_BYTES.mfcc, ...STIMULUS_BYTES}

const f32 = Math.fround

/**
 * `QuantizeFloatToInt8` of the reference firmware: `round(value / scale) + zero_point`, clamped to int8. The division
 * is float32 (both operands are float), and C's round() takes halves away from zero.
 */
export function quantizeFloatToInt8(value: number, quantization: Quantization): number {
  const scaled = f32(f32(value) / f32(quantization.scale))
  // floor(|x| + 0.5) is exact for float32 values and a third of the time of sign · round(|x|), which ad01 pays 25,600
  // times per stimulus (issue 17). NaN is neither ≥ 0 nor < 0: it gives 0.
  const rounded = scaled >= 0 ? Math.floor(scaled + 0.5) : scaled < 0 ? -Math.floor(0.5 - scaled) : 0
  return Math.min(127, Math.max(-128, rounded + quantization.zeroPoint))
}

/** `DequantizeInt8ToFloat`: `(value − zero_point) · scale` in float32. */
export function dequantizeInt8(value: number, quantization: Quantization): number {
  return f32(f32(value - quantization.zeroPoint) * f32(quantization.scale))
}

/** The ad01 stimulus as the float32 values the device receives (little-endian on every supported host). */
export function adStimulusValues(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes) // aligned copy: a Buffer slice may start at any byte offset
  return new Float32Array(copy.buffer, 0, AD_STIMULUS_VALUES)
}

/**
 * The int8 input tensors a device feeds its model for one runner stimulus: one tensor for kws01 (the bytes as int8),
 * vww01 and ic01 (uint8 − 128), and AD_WINDOWS tensors of AD_WINDOW_VALUES for ad01 (each float quantised with the
 * model's input scale and zero point). Returned as one array: the windows one after another.
 */
export function modelInputTensors(benchmark: BenchmarkId, bytes: Uint8Array, input: Quantization | null): Int8Array {
  const expected = RUNNER_STIMULUS_BYTES[benchmark]
  if (bytes.byteLength !== expected) {
    throw new UserError(`${benchmark} stimuli are ${expected} bytes, not ${bytes.byteLength}`)
  }
  switch (benchmark) {
    case 'kws01': {
      return new Int8Array(bytes)
    }
    case 'vww01':
    case 'ic01': {
      // uint8 − 128 as int8 is the byte with its top bit flipped: copied, then flipped four bytes at a time.
      const tensor = new Int8Array(bytes.byteLength)
      tensor.set(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
      const words = new Uint32Array(tensor.buffer, 0, tensor.length >>> 2)
      for (let i = 0; i < words.length; i++) words[i] ^= 0x80808080
      for (let i = words.length * 4; i < tensor.length; i++) tensor[i] ^= 0x80
      return tensor
    }
    case 'ad01': {
      if (input === null) throw new UserError('ad01 needs the model\'s input quantisation to make its int8 windows')
      return adWindowTensors(adStimulusValues(bytes), input)
    }
  }
}

/** ad01's AD_WINDOWS int8 windows, one after another, from a stimulus's float32 values (adStimulusValues). */
export function adWindowTensors(values: Float32Array, input: Quantization): Int8Array {
  // Each value is quantised once, though the overlapping windows hold it up to five times.
  const quantized = new Int8Array(values.length)
  for (let i = 0; i < values.length; i++) quantized[i] = quantizeFloatToInt8(values[i]!, input)
  const tensor = new Int8Array(AD_WINDOWS * AD_WINDOW_VALUES)
  for (let window = 0; window < AD_WINDOWS; window++) {
    const start = window * AD_STRIDE_VALUES
    tensor.set(quantized.subarray(start, start + AD_WINDOW_VALUES), window * AD_WINDOW_VALUES)
  }
  return tensor
}

/** Input tensors per stimulus: 196 windows for ad01, one otherwise. */
export function tensorsPerStimulus(benchmark: BenchmarkId): number {
  return benchmark === 'ad01' ? AD_WINDOWS : 1
}

/**
 * The ad01 reference's anomaly score of one window: the mean squared difference between the dequantised output and
 * the float input, summed in float32 in index order as `calculate_result()` does.
 */
export function adWindowScore(output: Int8Array, window: Float32Array, quantization: Quantization): number {
  let sum = 0
  for (let i = 0; i < window.length; i++) {
    const difference = f32(dequantizeInt8(output[i], quantization) - window[i])
    sum = f32(sum + f32(difference * difference))
  }
  return f32(sum / window.length)
}
