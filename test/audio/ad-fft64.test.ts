import {describe, expect, it} from 'vitest'

import {createComplexFft64, createRealFft64} from '../../src/audio/ad-fft64.js'

function seededValues(seed: number, length: number): Float64Array {
  let state = seed
  return Float64Array.from({length}, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state / 2 ** 31 - 1
  })
}

/** The DFT by its definition, with the phase reduced exactly (k·n mod N) so that the reference is accurate. */
function directDft(re: Float64Array, im: Float64Array): {re: Float64Array; im: Float64Array} {
  const size = re.length
  const out = {re: new Float64Array(size), im: new Float64Array(size)}
  for (let k = 0; k < size; k++) {
    let sumRe = 0
    let sumIm = 0
    for (let n = 0; n < size; n++) {
      const angle = (-2 * Math.PI * ((k * n) % size)) / size
      sumRe += re[n]! * Math.cos(angle) - im[n]! * Math.sin(angle)
      sumIm += re[n]! * Math.sin(angle) + im[n]! * Math.cos(angle)
    }
    out.re[k] = sumRe
    out.im[k] = sumIm
  }
  return out
}

const norm = (values: Float64Array) => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0))

describe('createComplexFft64', () => {
  it.each([1, 2, 8, 64, 512])('matches the DFT of size %i to float64 accuracy', (size) => {
    const re = seededValues(size, size)
    const im = seededValues(size + 1, size)
    const expected = directDft(re, im)
    createComplexFft64(size).forward(re, im)
    const scale = Math.sqrt(size) * (norm(expected.re) + norm(expected.im) + 1)
    for (let k = 0; k < size; k++) {
      expect(Math.abs(re[k]! - expected.re[k]!)).toBeLessThan(1e-14 * scale)
      expect(Math.abs(im[k]! - expected.im[k]!)).toBeLessThan(1e-14 * scale)
    }
  })

  it('rejects sizes that are not powers of two', () => {
    expect(() => createComplexFft64(12)).toThrow(RangeError)
  })
})

describe('createRealFft64', () => {
  it('matches the DFT of 1024 real values (bins 0..512) to float64 accuracy', () => {
    const input = seededValues(7, 1024)
    const expected = directDft(input, new Float64Array(1024))
    const re = new Float64Array(513)
    const im = new Float64Array(513)
    createRealFft64(1024).forward(input, re, im)
    const scale = norm(input) * 32
    for (let k = 0; k <= 512; k++) {
      expect(Math.abs(re[k]! - expected.re[k]!)).toBeLessThan(1e-14 * scale)
      expect(Math.abs(im[k]! - expected.im[k]!)).toBeLessThan(1e-14 * scale)
    }
    expect([im[0], im[512]]).toEqual([0, 0])
  })

  it('puts a cosine in its bin and an impulse everywhere', () => {
    const fft = createRealFft64(1024)
    const re = new Float64Array(513)
    const im = new Float64Array(513)
    fft.forward(Float64Array.from({length: 1024}, (_, n) => Math.cos((2 * Math.PI * 100 * n) / 1024)), re, im)
    expect(re[100]).toBeCloseTo(512, 10)
    for (let k = 0; k <= 512; k++) if (k !== 100) expect(Math.hypot(re[k]!, im[k]!)).toBeLessThan(1e-11)
    const impulse = new Float64Array(1024)
    impulse[0] = 1
    fft.forward(impulse, re, im)
    expect(re.every((v) => v === 1) && im.every((v) => v === 0)).toBe(true)
  })

  it('rejects wrong sizes', () => {
    expect(() => createRealFft64(1000)).toThrow(RangeError)
    expect(() => createRealFft64(1024).forward(new Float64Array(512), new Float64Array(513), new Float64Array(513))).toThrow(RangeError)
  })
})
