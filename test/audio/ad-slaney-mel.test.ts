import {describe, expect, it} from 'vitest'

import {hzToMelSlaney, linspace64, melToHzSlaney, slaneyMelBasis} from '../../src/audio/slaney-mel.js'

/** Equal to within `ulps`-ish relative error: V8's Math.log/exp and numpy's may differ in the last bit. */
function expectClose(actual: number, expected: number, relative = 1e-12) {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(Math.abs(expected) * relative + 1e-18)
}

describe('Slaney mel scale (librosa 0.6.0 hz_to_mel / mel_to_hz, htk=False)', () => {
  it('is linear below 1 kHz (200/3 Hz per mel) and logarithmic above', () => {
    expectClose(hzToMelSlaney(500), 7.499999999999999)
    expectClose(hzToMelSlaney(1000), 14.999999999999998) // 1000 / (200/3) in float64, as numpy computes it
    expectClose(hzToMelSlaney(8000), 45.245640471924965) // 15 + 27·ln(8)/ln(6.4)
    expectClose(melToHzSlaney(30), 2804.6441307389214)
    // A factor 6.4 every 27 mels above the break.
    expectClose(melToHzSlaney(15 + 27) / melToHzSlaney(15), 6.4)
  })

  it('round-trips Hz → mel → Hz', () => {
    for (const hz of [0, 10, 333.3, 999.9, 1000, 1000.1, 4000, 7999, 8000]) expectClose(melToHzSlaney(hzToMelSlaney(hz)), hz)
  })

  it('linspace64 follows numpy: start + i·step, the last point exactly stop', () => {
    expect(Array.from(linspace64(0, 8000, 513).subarray(0, 3))).toEqual([0, 15.625, 31.25])
    const points = linspace64(0, hzToMelSlaney(8000), 130)
    expect(points[129]).toBe(hzToMelSlaney(8000))
    expect(points[1]).toBe(0.3507413990071703) // numpy linspace(0, 45.245640471924965, 130)[1]
  })
})

describe('slaneyMelBasis against published librosa values', () => {
  // librosa.filters.mel(22050, 2048) (librosa docs: melfb[0][1] ≈ 0.016; the float64 rows as the mel_filter crate
  // pins them from librosa, and as our numpy oracle gives them).
  const basis = slaneyMelBasis({sampleRate: 22050, fftSize: 2048, bands: 128, lowHz: 0, highHz: 11025})

  it('has 128 rows of 1025 bins', () => {
    expect(basis.bins).toBe(1025)
    expect(basis.weights).toHaveLength(128 * 1025)
  })

  it('reproduces the first two rows', () => {
    const row = (band: number, count: number) => Array.from(basis.weights.subarray(band * 1025, band * 1025 + count))
    const first = [0, 0.016182853208219942, 0.032365706416439884, 0.028990088037379964, 0.012807234829160026, 0]
    const second = [0, 0, 0, 0.009779235793639925, 0.025962089001859864, 0.035393705451959974, 0.01921085224374004, 0.003027999035520103, 0]
    row(0, 6).forEach((w, k) => expectClose(w, first[k]!))
    row(1, 9).forEach((w, k) => expectClose(w, second[k]!))
    expect(row(0, 2)[1]!.toFixed(3)).toBe('0.016')
  })
})

describe('the ad01 mel basis: 128 Slaney bands, 0-8000 Hz, n_fft 1024, area-normalised (stimuli.md §4.2)', () => {
  const basis = slaneyMelBasis({sampleRate: 16000, fftSize: 1024, bands: 128, lowHz: 0, highHz: 8000})
  const weight = (band: number, bin: number) => basis.weights[band * basis.bins + bin]!

  it('has the band edges of librosa mel_frequencies(130, 0, 8000)', () => {
    expect(basis.edgesHz).toHaveLength(130)
    expect(basis.edgesHz[0]).toBe(0)
    expectClose(basis.edgesHz[1]!, 23.382759933811354)
    expectClose(basis.edgesHz[2]!, 46.76551986762271)
    expectClose(basis.edgesHz[42]!, 982.0759172200768) // the last edge of the linear part
    expectClose(basis.edgesHz[43]!, 1005.6452812331256) // the first of the log part
    expectClose(basis.edgesHz[127]!, 7623.330536481877)
    expectClose(basis.edgesHz[128]!, 7809.394617501089)
    expectClose(basis.edgesHz[129]!, 7999.999999999998) // mel_to_hz(hz_to_mel(8000)), one ulp short of 8000
  })

  it('spaces the edges evenly in mels', () => {
    const step = hzToMelSlaney(8000) / 129
    for (let i = 1; i < 130; i++) expectClose(hzToMelSlaney(basis.edgesHz[i]!) - hzToMelSlaney(basis.edgesHz[i - 1]!), step, 1e-9)
  })

  it('weights each band over the bins of its triangle, and each inner bin by one or two bands', () => {
    const range = (band: number) => [basis.firstBin[band], basis.endBin[band]! - 1]
    expect(range(0)).toEqual([1, 2])
    expect(range(1)).toEqual([2, 4])
    expect(range(40)).toEqual([60, 62])
    expect(range(64)).toEqual([107, 112])
    expect(range(127)).toEqual([488, 511])
    expect(basis.weights.every((w) => w >= 0)).toBe(true)
    const bandsPerBin = Array.from({length: basis.bins}, (_, bin) => Array.from({length: 128}, (_, band) => weight(band, bin)).filter((w) => w > 0).length)
    // DC gets no weight, nor does Nyquist: 8000 Hz lies on the last edge.
    expect([bandsPerBin[0], bandsPerBin[512]]).toEqual([0, 0])
    expect(bandsPerBin.slice(1, 512).every((bands) => bands === 1 || bands === 2)).toBe(true)
  })

  it('pins float64 weights of the numpy oracle', () => {
    expectClose(weight(0, 1), 0.028577779716932577)
    expectClose(weight(0, 2), 0.028377542974119204)
    const band64 = [0.0019104076728546058, 0.01121670581095207, 0.020523003949049535, 0.018818283166961453, 0.00973371384339655, 0.0006491445198316474]
    band64.forEach((w, i) => expectClose(weight(64, 107 + i), w))
    expectClose(weight(127, 500), 0.005223188431655863)
    expectClose(weight(127, 488), 4.76413405109918e-5, 1e-10) // near a triangle foot: cancellation in f − edge
    expect(weight(127, 512)).toBe(0)
  })

  it('area-normalises: each triangle peaks at 2/(f[m+2] − f[m]), so its area is 1', () => {
    for (const band of [0, 10, 64, 100, 127]) {
      const [low, centre, high] = [basis.edgesHz[band]!, basis.edgesHz[band + 1]!, basis.edgesHz[band + 2]!]
      const peak = 2 / (high - low)
      const binHz = 8000 / 512
      for (let bin = basis.firstBin[band]!; bin < basis.endBin[band]!; bin++) {
        const hz = bin * binHz
        const triangle = Math.min((hz - low) / (centre - low), (high - hz) / (high - centre))
        expectClose(weight(band, bin), peak * triangle, 1e-9)
      }
    }
    // Summed over the bins (a Riemann sum of the area), wide bands come close to 1.
    for (const band of [80, 100, 127]) {
      let area = 0
      for (let bin = 0; bin < basis.bins; bin++) area += weight(band, bin) * (8000 / 512)
      expect(Math.abs(area - 1)).toBeLessThan(0.01)
    }
  })
})
