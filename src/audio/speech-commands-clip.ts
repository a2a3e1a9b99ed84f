/** Speech Commands clips as the kws01 recipes take them, for prepare and the training splits alike. */
import {fileError} from '../errors.js'
import {CLIP_SAMPLES, SAMPLE_RATE} from './kws-features.js'
import {decodeWav} from './wav.js'

/** A Speech Commands WAV's samples (a copy of their own); anything but 16 kHz mono 16-bit PCM is an error naming it. */
export function decodeSpeechCommandsWav(bytes: Uint8Array, name: string): Int16Array {
  const audio = decodeWav(bytes, name)
  if (audio.sampleRate !== SAMPLE_RATE || audio.channels !== 1) {
    throw fileError(name, `is ${audio.sampleRate} Hz with ${audio.channels} channels; Speech Commands clips are 16 kHz mono 16-bit PCM`)
  }
  return audio.samples
}

/**
 * A clip of at most one second, zero-padded at the end to CLIP_SAMPLES (stimuli.md §1.3 step 3); most clips are one
 * second already and are returned as they are. A longer one is an error naming it.
 */
export function oneSecondClip(samples: Int16Array, name: string): Int16Array {
  if (samples.length > CLIP_SAMPLES) throw fileError(name, `has ${samples.length} samples, more than the ${CLIP_SAMPLES} of a one-second clip`)
  if (samples.length === CLIP_SAMPLES) return samples
  const padded = new Int16Array(CLIP_SAMPLES)
  padded.set(samples)
  return padded
}
