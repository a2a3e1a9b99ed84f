import {describe, expect, it} from 'vitest'

import {decodeSpeechCommandsWav, oneSecondClip} from '../../src/audio/speech-commands-clip.js'
import {encodeWav} from '../../src/audio/wav.js'
import {UserError} from '../../src/errors.js'
import {noiseClip} from '../helpers/archives.js'

describe('Speech Commands clips as the kws01 recipes take them', () => {
  it('decodes a 16 kHz mono clip to its samples, and names a clip of another rate', () => {
    const samples = noiseClip(1, 12_000)
    expect([...decodeSpeechCommandsWav(encodeWav(samples, 16_000), 'yes/a.wav')]).toEqual([...samples])
    expect(() => decodeSpeechCommandsWav(encodeWav(samples, 8000), 'yes/a.wav')).toThrow(new UserError('yes/a.wav: is 8000 Hz with 1 channels; Speech Commands clips are 16 kHz mono 16-bit PCM'))
  })

  it('zero-pads a shorter clip at its end to one second, keeps a one-second clip as it is, refuses a longer one', () => {
    const short = noiseClip(2, 12_000)
    const padded = oneSecondClip(short, 'no/b.wav')
    expect(padded.length).toBe(16_000)
    expect([...padded.subarray(0, 12_000)]).toEqual([...short])
    expect(padded.subarray(12_000).every((sample) => sample === 0)).toBe(true)
    const second = noiseClip(3)
    expect(oneSecondClip(second, 'no/c.wav')).toBe(second)
    expect(() => oneSecondClip(noiseClip(4, 16_001), 'no/d.wav')).toThrow(new UserError('no/d.wav: has 16001 samples, more than the 16000 of a one-second clip'))
  })
})
