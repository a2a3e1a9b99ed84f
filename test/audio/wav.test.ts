import {describe, expect, it} from 'vitest'

import {decodeWav, encodeWav} from '../../src/audio/wav.js'
import {UserError} from '../../src/errors.js'

/** A WAV file assembled chunk by chunk, so tests control every header field. */
function wavBytes(options: {format?: number; channels?: number; rate?: number; bits?: number; data?: number[]; extraChunk?: string; dataSize?: number}): Uint8Array {
  const {format = 1, channels = 1, rate = 16000, bits = 16, data = [1, -2, 32767, -32768], extraChunk, dataSize} = options
  const chunks: Buffer[] = []
  const chunk = (id: string, body: Buffer, declared = body.length) => {
    const header = Buffer.alloc(8)
    header.write(id, 0, 'ascii')
    header.writeUInt32LE(declared, 4)
    chunks.push(header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0))
  }
  const fmt = Buffer.alloc(16)
  fmt.writeUInt16LE(format, 0)
  fmt.writeUInt16LE(channels, 2)
  fmt.writeUInt32LE(rate, 4)
  fmt.writeUInt32LE((rate * channels * bits) / 8, 8)
  fmt.writeUInt16LE((channels * bits) / 8, 12)
  fmt.writeUInt16LE(bits, 14)
  chunk('fmt ', fmt)
  if (extraChunk !== undefined) chunk('LIST', Buffer.from(extraChunk, 'ascii'))
  const samples = Buffer.alloc(data.length * 2)
  data.forEach((v, i) => samples.writeInt16LE(v, 2 * i))
  chunk('data', samples, dataSize)
  const body = Buffer.concat(chunks)
  const riff = Buffer.alloc(12)
  riff.write('RIFF', 0, 'ascii')
  riff.writeUInt32LE(4 + body.length, 4)
  riff.write('WAVE', 8, 'ascii')
  return Buffer.concat([riff, body])
}

describe('decodeWav', () => {
  it('reads 16-bit PCM samples little-endian', () => {
    const audio = decodeWav(wavBytes({}), 'a.wav')
    expect(audio).toMatchObject({sampleRate: 16000, channels: 1, bitsPerSample: 16})
    expect([...audio.samples]).toEqual([1, -2, 32767, -32768])
  })

  it('skips LIST chunks, including odd-sized ones with their pad byte', () => {
    expect([...decodeWav(wavBytes({extraChunk: 'INFOabc'}), 'a.wav').samples]).toEqual([1, -2, 32767, -32768])
  })

  it('round-trips what encodeWav writes', () => {
    const samples = Int16Array.from([0, 5, -5, 1234, -32768, 32767])
    const bytes = encodeWav(samples, 16000)
    expect(bytes.length).toBe(44 + 12)
    expect(decodeWav(bytes, 'x.wav').samples).toEqual(samples)
  })

  it.each([
    [Buffer.from('not a wav file at all'), /^yes\/a\.wav: not a WAV file/],
    [wavBytes({format: 3, bits: 32}), /^yes\/a\.wav: WAV is not 16-bit integer PCM \(format 3, 32-bit\)/],
    [wavBytes({bits: 8, data: []}), /^yes\/a\.wav: WAV is not 16-bit integer PCM/],
    [wavBytes({dataSize: 1000}), /^yes\/a\.wav: WAV data chunk is truncated \(8 of 1000 bytes\)/],
    [wavBytes({}).subarray(0, 36), /^yes\/a\.wav: WAV has no data chunk/],
  ])('rejects bad input with one line naming the member (%#)', (bytes, message) => {
    expect(() => decodeWav(bytes, 'yes/a.wav')).toThrow(UserError)
    expect(() => decodeWav(bytes, 'yes/a.wav')).toThrow(message)
  })

  it('reports the sample rate and channel count so callers can reject other formats', () => {
    expect(decodeWav(wavBytes({channels: 2, rate: 44100, data: [1, 2]}), 'b.wav')).toMatchObject({sampleRate: 44100, channels: 2})
  })
})
