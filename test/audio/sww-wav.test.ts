import {readFile} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {sww01} from '../../datasets/sww01.js'
import {checkBoardWav} from '../../src/audio/sww-wav.js'
import {SHARED, skipMessage} from '../helpers/archives.js'
import {wavBytes} from '../helpers/sww.js'

const check = (bytes: Buffer) => checkBoardWav(bytes, sww01.boardWav)
const refusal = (bytes: Buffer) => {
  const result = check(bytes)
  return result.ok ? undefined : result.problem
}

describe('the interface board\'s WAV form', () => {
  it('accepts the canonical 44-byte header, 16-bit PCM, two identical channels, 16 kHz, and gives its length', () => {
    expect(check(wavBytes(8000))).toEqual({ok: true, frames: 8000, seconds: 0.5})
  })

  it('refuses anything else, saying what is wrong', () => {
    expect(refusal(wavBytes(100, {extraChunk: 'LIST'}))).toBe('has chunk "LIST" at byte 36 where the board\'s parser needs "data" (only the canonical 44-byte header is read: remove the chunks between fmt and data)')
    expect(refusal(wavBytes(100, {channels: 1}))).toBe('has 1 channel(s); the board needs 2 identical channels')
    expect(refusal(wavBytes(100, {sampleRate: 44_100}))).toBe('is sampled at 44100 Hz, not 16000 Hz')
    expect(refusal(wavBytes(100, {bitsPerSample: 8}))).toBe('has 8-bit samples, not 16-bit')
    expect(refusal(wavBytes(16_000, {differAtFrame: 8000}))).toBe('has channels that differ, first at frame 8000 (0.500 s); the board needs identical channels')
    expect(refusal(wavBytes(100).subarray(0, 30))).toBe('is 30 bytes, shorter than the canonical 44-byte WAV header')
    expect(refusal(Buffer.concat([wavBytes(100), Buffer.alloc(2)]))).toBe('declares 400 data bytes, but 402 follow the header')
    const float = wavBytes(100)
    float.writeUInt16LE(3, 20)
    expect(refusal(float)).toBe('has format tag 3, not PCM (1)')
    const riff = wavBytes(100)
    riff.write('RIFX', 0)
    expect(refusal(riff)).toBe('is not a RIFF/WAVE file')
  })

  it.skipIf(!existsSync(join(SHARED, 'fixtures/sww01/runner')))('accepts the published short_wav_easy10s.wav: 10 s', async () => {
    expect(check(await readFile(join(SHARED, 'fixtures/sww01/runner/short_wav_easy10s.wav')))).toEqual({ok: true, frames: 160_000, seconds: 10})
  })
})
if (!existsSync(join(SHARED, 'fixtures/sww01/runner'))) console.log(skipMessage('the published sww01 WAV check'))
