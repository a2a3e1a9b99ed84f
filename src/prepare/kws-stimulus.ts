import {endianness} from 'node:os'

import {quantizeInt8, quantizeUint8} from '../quantization/quantize.js'
import type {KwsVariantDefinition, Precision, Quantization} from './kws-types.js'

const LITTLE_ENDIAN_HOST = endianness() === 'LE'

/**
 * The little-endian bytes of int16 samples: the td_samples stimulus, and what the official clip hashes cover. On a
 * little-endian host a view of the samples' own buffer (no copy per clip): hash it before the samples move to a
 * worker thread.
 */
export function int16LittleEndianBytes(samples: Int16Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)
  const bytes = new Uint8Array(samples.length * 2)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < samples.length; i++) view.setInt16(2 * i, samples[i]!, true)
  return bytes
}

/** One kws stimulus file from a clip's 16000 zero-padded samples. */
export function makeKwsStimulus(
  samples: Int16Array,
  variant: KwsVariantDefinition,
  quantization: Quantization,
  precision: Precision,
): Uint8Array {
  if (!variant.features) return int16LittleEndianBytes(samples)
  const features = variant.features[precision](samples)
  const {scale, zeroPoint} = quantization
  const quantized = quantization.dtype === 'int8' ? quantizeInt8(features, scale, zeroPoint) : quantizeUint8(features, scale, zeroPoint)
  return new Uint8Array(quantized.buffer, quantized.byteOffset, quantized.byteLength)
}
