/** kws01's recipe: a clip's samples to int8 MFCC, uint8 LFBE or the int16 samples themselves (worker threads import it). */
import {kws01} from '../../../datasets/kws01.js'
import type {KwsVariant, Precision, Quantization} from '../../../datasets/types.js'
import {int16LittleEndianBytes} from '../../audio/little-endian.js'
import {quantizeInt8, quantizeUint8} from '../../quantization/quantize.js'
import type {Recipe} from '../make-stimulus.js'

/** What a worker needs besides the clip: the variant is looked up in the kws01 definition. */
export interface KwsSetup {
  variant: KwsVariant
  quantization: Quantization
  precision: Precision
}

/** One stimulus from a clip's 16000 zero-padded samples (their buffer moves to the worker). */
export const recipe: Recipe<Int16Array, {bytes: Uint8Array}, KwsSetup> = {
  module: new URL(import.meta.url),
  make(samples, {variant, quantization, precision}) {
    const features = kws01.variants[variant].features
    if (!features) return {bytes: int16LittleEndianBytes(samples)}
    const values = features[precision](samples)
    const {scale, zeroPoint} = quantization
    const quantized = quantization.dtype === 'int8' ? quantizeInt8(values, scale, zeroPoint) : quantizeUint8(values, scale, zeroPoint)
    return {bytes: new Uint8Array(quantized.buffer, quantized.byteOffset, quantized.byteLength)}
  },
  transferOfTask: (samples) => [samples.buffer as ArrayBuffer],
}

