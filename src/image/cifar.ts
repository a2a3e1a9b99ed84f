/**
 * The CIFAR-10 binary batch format (the readme of cifar-10-binary.tar.gz; stimuli.md §3): records of one label byte
 * followed by the 32 × 32 image as three planes, 1024 red, 1024 green and 1024 blue bytes, each plane row-major.
 * ic01 stimuli are the same pixels interleaved (HWC), as `np.rollaxis(data.reshape(3, 32, 32), 0, 3)` writes them.
 */
import {fileError} from '../errors.js'

export const CIFAR_SIDE = 32
export const CIFAR_CHANNELS = 3
const PLANE_BYTES = CIFAR_SIDE * CIFAR_SIDE
export const CIFAR_IMAGE_BYTES = PLANE_BYTES * CIFAR_CHANNELS
const LABEL_BYTES = 1
export const CIFAR_RECORD_BYTES = LABEL_BYTES + CIFAR_IMAGE_BYTES
export const CIFAR_CLASSES = 10

/** A batch file checked for its size: `count` records. */
export interface CifarBatch {
  count: number
  label(index: number): number
  /** The record's 3072 planar bytes (a view, not a copy). */
  planar(index: number): Uint8Array
}

/** Reads a batch of `expectedRecords` records; another size is a UserError naming `name`. */
export function readCifarBatch(bytes: Uint8Array, expectedRecords: number, name: string): CifarBatch {
  const expectedBytes = expectedRecords * CIFAR_RECORD_BYTES
  if (bytes.length !== expectedBytes) {
    throw fileError(name, `is ${bytes.length.toLocaleString('en-US')} bytes; a CIFAR-10 test batch is ${expectedRecords.toLocaleString('en-US')} records of ${CIFAR_RECORD_BYTES} bytes (${expectedBytes.toLocaleString('en-US')} bytes)`)
  }
  return {
    count: expectedRecords,
    label: (index) => bytes[index * CIFAR_RECORD_BYTES]!,
    planar: (index) => bytes.subarray(index * CIFAR_RECORD_BYTES + LABEL_BYTES, (index + 1) * CIFAR_RECORD_BYTES),
  }
}

/** Planar (C, H, W) to interleaved (H, W, C): `out[(y·32 + x)·3 + c] = planar[c·1024 + y·32 + x]`. */
export function planarToHwc(planar: Uint8Array): Uint8Array {
  const out = new Uint8Array(CIFAR_IMAGE_BYTES)
  for (let pixel = 0; pixel < PLANE_BYTES; pixel++) {
    for (let c = 0; c < CIFAR_CHANNELS; c++) out[pixel * CIFAR_CHANNELS + c] = planar[c * PLANE_BYTES + pixel]!
  }
  return out
}
