import {describe, expect, it} from 'vitest'

import {roundHalfToEven, SPEECH_COMMANDS_TEST_READ, tfdsReadOrder, tfdsShardBoundaries} from '../../src/selection/tfds-read-order.js'

describe('TFDS read order (stimuli.md §1.2)', () => {
  it('cuts the 4890 test clips into the 1222/1223/1223/1222 shards of dataset_info.json', () => {
    expect(tfdsShardBoundaries(4890, 4)).toEqual([0, 1222, 2445, 3668, 4890])
  })

  it("rounds halves to even like Python's round()", () => {
    expect([0.5, 1.5, 2.5, 37.5, 112.5, 1222.5, 3667.5].map(roundHalfToEven)).toEqual([0, 2, 2, 38, 112, 1222, 3668])
  })

  it('orders examples as an independent Python derivation does (md5("test"+key), banker-rounded shards, blocks of 16)', () => {
    const words = ['down', 'go', '_silence_', '_unknown_', 'yes']
    const keys = Array.from({length: 150}, (_, i) => `${words[i % 5]}_${((i * 2654435761) % 2 ** 32).toString(16).padStart(8, '0')}_nohash_${i % 3}.wav`)
    expect(keys[0]).toBe('down_00000000_nohash_0.wav')
    // From a short Python script implementing §1.2 with hashlib and round() (not from this code).
    const expected = [
      62, 112, 128, 114, 85, 52, 74, 6, 29, 144, 50, 104, 138, 24, 133, 120, 122, 117, 125, 131, 22, 63, 16, 14, 111, 119, 95, 40, 34, 67, 83, 123,
      103, 65, 124, 130, 1, 25, 143, 23, 87, 37, 60, 148, 68, 18, 105, 49, 39, 93, 77, 0, 48, 149, 139, 33, 132, 134, 53, 42, 141, 90, 116, 91, 81,
      129, 145, 107, 118, 46, 47, 88, 64, 38, 11, 126, 20, 8, 89, 57, 140, 56, 45, 106, 54, 75, 27, 121, 102, 3, 135, 146, 76, 41, 66, 108, 109,
      58, 115, 32, 43, 7, 142, 12, 147, 98, 79, 13, 69, 97, 94, 61, 30, 10, 99, 35, 36, 73, 101, 96, 15, 2, 9, 71, 136, 51, 78, 82, 5, 86, 92, 113,
      137, 84, 19, 55, 70, 26, 59, 110, 72, 80, 28, 17, 4, 31, 44, 100, 21, 127,
    ]
    const indices = keys.map((_, i) => i)
    expect(tfdsReadOrder(indices, (i) => keys[i]!, SPEECH_COMMANDS_TEST_READ)).toEqual(expected)
  })

  it('keeps every example exactly once', () => {
    const items = Array.from({length: 4890}, (_, i) => i)
    const order = tfdsReadOrder(items, (i) => `yes_${i}.wav`, SPEECH_COMMANDS_TEST_READ)
    expect(order).toHaveLength(4890)
    expect(new Set(order).size).toBe(4890)
  })
})
