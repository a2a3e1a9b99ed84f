import {describe, expect, it} from 'vitest'

import {parseSwwTruth} from '../../src/formats/sww-truth.js'

describe('parseSwwTruth', () => {
  it('reports a file that is not JSON in one line, though V8 quotes the text around the fault', () => {
    const {entries, problems} = parseSwwTruth('[\n  {\n    "wav_file": "long_wav.wav",\n    oops\n  }\n]')
    expect(entries).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^is not JSON \(/)
    expect(problems[0]).not.toContain('\n')
  })
})
