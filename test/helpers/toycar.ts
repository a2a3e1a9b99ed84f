import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {encodeWav} from '../../src/audio/wav.js'
import {SHARED, type ArchiveEntry} from './archives.js'

/** Real ToyCar clips and the reference pipeline's output, beside the repository; never committed (CC BY-NC-SA). */
export const AD_FIXTURES = join(SHARED, 'fixtures/ad01')
export const AD_REFERENCE_CLIP = join(AD_FIXTURES, 'toycar_wav/normal_id_01_00000000.wav')
export const AD_REFERENCE_BIN = join(AD_FIXTURES, 'reference_pipeline/normal_id_01_00000000_hist_librosa.bin')
export const AD_OFFICIAL_BINS = join(AD_FIXTURES, 'official')
export const HAS_AD_FIXTURES = existsSync(AD_REFERENCE_CLIP) && existsSync(AD_REFERENCE_BIN)
export const HAS_AD_OFFICIAL_BINS = existsSync(AD_OFFICIAL_BINS)

/** A 10-second DCASE clip: 160,000 samples at 16 kHz. */
export const TEN_SECONDS = 160_000

/**
 * A deterministic machine-like test clip: a hum with harmonics, a slow amplitude wobble, noise, and (for odd seeds)
 * stretches of digital silence so that some mel bands are exactly 0 before the log.
 */
export function syntheticToyCarClip(seed: number, length = TEN_SECONDS): Int16Array {
  let state = (seed * 2654435761) >>> 0
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const hum = 40 + (seed % 7) * 13
  const loudness = 500 + (seed % 5) * 2500
  const samples = new Int16Array(length)
  for (let i = 0; i < length; i++) {
    if (seed % 2 === 1 && i % 40_000 < 3_000) continue
    const t = i / 16000
    const tone = Math.sin(2 * Math.PI * hum * t) + 0.5 * Math.sin(2 * Math.PI * 3 * hum * t) + 0.2 * Math.sin(2 * Math.PI * 1234 * t)
    const wobble = 1 + 0.3 * Math.sin(2 * Math.PI * 0.7 * t)
    const value = loudness * wobble * tone + (random() - 0.5) * loudness * 0.4
    samples[i] = Math.max(-32768, Math.min(32767, Math.round(value)))
  }
  return samples
}

/** `dev_data/<machine>/<folder>/<file>` as in dev_data_ToyCar.zip. */
export function toyCarEntry(file: string, samples: Int16Array, options: {folder?: string; machine?: string} = {}): ArchiveEntry {
  return {path: `dev_data/${options.machine ?? 'ToyCar'}/${options.folder ?? 'test'}/${file}`, bytes: encodeWav(samples, 16000)}
}

/** A PCM WAV with any format fields, for bad-input tests (encodeWav only writes mono 16-bit). */
export function pcmWav(options: {sampleRate: number; channels: number; bitsPerSample: number; frames: number}): Uint8Array {
  const {sampleRate, channels, bitsPerSample, frames} = options
  const blockAlign = (channels * bitsPerSample) / 8
  const dataBytes = frames * blockAlign
  const bytes = new Uint8Array(44 + dataBytes)
  const view = new DataView(bytes.buffer)
  const ascii = (offset: number, text: string) => [...text].forEach((c, i) => (bytes[offset + i] = c.charCodeAt(0)))
  ascii(0, 'RIFF')
  view.setUint32(4, 36 + dataBytes, true)
  ascii(8, 'WAVE')
  ascii(12, 'fmt ')
  view.setUint32(16, 16, true)
  view.setUint16(20, 1, true) // PCM
  view.setUint16(22, channels, true)
  view.setUint32(24, sampleRate, true)
  view.setUint32(28, sampleRate * blockAlign, true)
  view.setUint16(32, blockAlign, true)
  view.setUint16(34, bitsPerSample, true)
  ascii(36, 'data')
  view.setUint32(40, dataBytes, true)
  return bytes
}

/** Float32 values of a little-endian .bin file. */
export function float32Values(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return Float32Array.from({length: bytes.byteLength / 4}, (_, i) => view.getFloat32(4 * i, true))
}
