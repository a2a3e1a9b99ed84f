/**
 * Samples and stimulus values as little-endian bytes, the byte order of the official files (numpy's `tofile` on x86)
 * and of what the official hashes cover. On a little-endian host the result is a view of the values' own buffer, no
 * copy: hash or write it before the values move to a worker thread.
 */
import {endianness} from 'node:os'

export const LITTLE_ENDIAN_HOST = endianness() === 'LE'

/** int16 samples: the td_samples stimulus, and the clip hashes. */
export function int16LittleEndianBytes(samples: Int16Array): Uint8Array {
  return littleEndianBytes(samples, (view, i) => view.setInt16(2 * i, samples[i]!, true))
}

/** float32 values: the ad01 .bin (`astype('float32').tofile`, stimuli.md §4.2 step 5). */
export function float32LittleEndianBytes(values: Float32Array): Uint8Array {
  return littleEndianBytes(values, (view, i) => view.setFloat32(4 * i, values[i]!, true))
}

function littleEndianBytes(values: Int16Array | Float32Array, set: (view: DataView, index: number) => void): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
  const bytes = new Uint8Array(values.byteLength)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < values.length; i++) set(view, i)
  return bytes
}
