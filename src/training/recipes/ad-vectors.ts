/**
 * The ad01 training recipe: every 5-frame log-mel vector of a clip, as the DCASE 2020 baseline's file_to_vector_array
 * makes them (vector t = frames t…t+4, time-major, 640 float32 values), from the same exact log-mel frames as the
 * ad01 stimuli (worker threads import it).
 */
import {AD_MEL_BANDS, AdLogMel, frameCount} from '../../audio/ad-features.js'
import type {Recipe} from '../../prepare/pipeline.js'

export interface AdVectorsSetup {
  frames: number
}

let logMel: AdLogMel | undefined

/** The clip's vectors one after the other: (frames − 4) × 640 float32 values; none for a clip too short for one. */
function adTrainingVectors(samples: Int16Array, windowFrames: number): Float32Array {
  logMel ??= new AdLogMel()
  const frames = frameCount(samples.length)
  const vectors = frames - windowFrames + 1
  if (vectors < 1) return new Float32Array(0)
  const all = logMel.frames(samples, 0, frames)
  const width = windowFrames * AD_MEL_BANDS
  const out = new Float32Array(vectors * width)
  // Frames t…t+4 are contiguous in the time-major frames: each vector is one slice of them.
  for (let t = 0; t < vectors; t++) out.set(all.subarray(t * AD_MEL_BANDS, t * AD_MEL_BANDS + width), t * width)
  return out
}

export const recipe: Recipe<Int16Array, {bytes: Uint8Array}, AdVectorsSetup> = {
  module: new URL(import.meta.url),
  make(samples, {frames}) {
    const vectors = adTrainingVectors(samples, frames)
    return {bytes: new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength)}
  },
  transferOfTask: (samples) => [samples.buffer as ArrayBuffer],
}
