import {fileError} from '../errors.js'
import {LITTLE_ENDIAN_HOST} from './little-endian.js'

/** What a RIFF/WAVE file holds once decoded: 16-bit PCM samples, channels interleaved. */
export interface PcmAudio {
  sampleRate: number
  channels: number
  bitsPerSample: number
  samples: Int16Array
}

const WAVE_FORMAT_PCM = 1
const WAVE_FORMAT_EXTENSIBLE = 0xfffe

/**
 * Decodes a RIFF/WAVE file of 16-bit integer PCM, walking its chunks (LIST and other chunks are skipped, as pydub
 * does for the reference pipeline). `name` is the member or file the bytes came from; every problem is a
 * UserError naming it.
 */
export function decodeWav(bytes: Uint8Array, name: string): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const fourCC = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4))
  if (bytes.length < 12 || fourCC(0) !== 'RIFF' || fourCC(8) !== 'WAVE') {
    throw fileError(name, 'not a WAV file (no RIFF/WAVE header)')
  }
  let format: {tag: number; channels: number; sampleRate: number; bitsPerSample: number} | undefined
  let offset = 12
  while (offset + 8 <= bytes.length) {
    const id = fourCC(offset)
    const size = view.getUint32(offset + 4, true)
    const body = offset + 8
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw fileError(name, 'WAV fmt chunk is truncated')
      let tag = view.getUint16(body, true)
      // WAVE_FORMAT_EXTENSIBLE keeps the real format tag in the first two bytes of its sub-format GUID.
      if (tag === WAVE_FORMAT_EXTENSIBLE && size >= 26 && body + 26 <= bytes.length) tag = view.getUint16(body + 24, true)
      format = {
        tag,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      }
    } else if (id === 'data') {
      if (!format) throw fileError(name, 'WAV data chunk comes before its fmt chunk')
      if (format.tag !== WAVE_FORMAT_PCM || format.bitsPerSample !== 16) {
        throw fileError(name, `WAV is not 16-bit integer PCM (format ${format.tag}, ${format.bitsPerSample}-bit)`)
      }
      if (body + size > bytes.length) {
        throw fileError(name, `WAV data chunk is truncated (${bytes.length - body} of ${size} bytes)`)
      }
      return {...format, samples: int16FromLittleEndian(bytes.subarray(body, body + size - (size & 1)))}
    }
    offset = body + size + (size & 1) // chunks are padded to an even length
  }
  throw fileError(name, format ? 'WAV has no data chunk' : 'WAV has no fmt chunk')
}

/** A copy of little-endian int16 bytes as samples: one memcpy on a little-endian host, a byte swap elsewhere. */
function int16FromLittleEndian(bytes: Uint8Array): Int16Array {
  // new Uint8Array(…) copies (a Buffer's own slice() would share its pool).
  if (LITTLE_ENDIAN_HOST) return new Int16Array(new Uint8Array(bytes).buffer)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return Int16Array.from({length: bytes.length / 2}, (_, i) => view.getInt16(2 * i, true))
}

const PCM_WAV_HEADER_BYTES = 44

/** The size of a 16-bit PCM WAV file of `frames` frames with the canonical header. */
export function pcmWavSize(frames: number, channels: number): number {
  return PCM_WAV_HEADER_BYTES + frames * channels * 2
}

/**
 * The canonical 44-byte header of a 16-bit PCM WAV of `frames` frames (RIFF, a 16-byte fmt chunk, data at once), as
 * scipy's wavfile.write makes it and the sww01 interface board requires.
 */
export function pcmWavHeader(frames: number, sampleRate: number, channels: number): Uint8Array {
  const dataBytes = pcmWavSize(frames, channels) - PCM_WAV_HEADER_BYTES
  const bytes = new Uint8Array(PCM_WAV_HEADER_BYTES)
  const view = new DataView(bytes.buffer)
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i)
  }
  ascii(0, 'RIFF')
  view.setUint32(4, 36 + dataBytes, true)
  ascii(8, 'WAVE')
  ascii(12, 'fmt ')
  view.setUint32(16, 16, true)
  view.setUint16(20, WAVE_FORMAT_PCM, true)
  view.setUint16(22, channels, true)
  view.setUint32(24, sampleRate, true)
  view.setUint32(28, sampleRate * channels * 2, true)
  view.setUint16(32, channels * 2, true)
  view.setUint16(34, 16, true)
  ascii(36, 'data')
  view.setUint32(40, dataBytes, true)
  return bytes
}

/** Encodes mono 16-bit PCM as the canonical 44-byte-header WAV file (used for samples and test archives). */
export function encodeWav(samples: Int16Array, sampleRate: number): Uint8Array {
  const bytes = new Uint8Array(pcmWavSize(samples.length, 1))
  bytes.set(pcmWavHeader(samples.length, sampleRate, 1))
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < samples.length; i++) view.setInt16(PCM_WAV_HEADER_BYTES + 2 * i, samples[i]!, true)
  return bytes
}
