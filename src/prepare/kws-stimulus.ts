import {int16LittleEndianBytes} from '../audio/little-endian.js'
import {quantizeInt8, quantizeUint8} from '../quantization/quantize.js'
import type {KwsVariantDefinition, Precision, Quantization} from './kws-types.js'

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
