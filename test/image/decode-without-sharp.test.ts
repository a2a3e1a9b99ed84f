import {describe, expect, it, vi} from 'vitest'

// sharp is an optional dependency: here it is "not installed".
vi.mock('sharp', () => {
  throw new Error("Cannot find package 'sharp' imported from tinydata")
})

describe('decoding without the optional package sharp', () => {
  it('is a UserError saying how to install it', async () => {
    const {decodeRgb} = await import('../../src/image/decode.js')
    const error = await decodeRgb(new Uint8Array(10), 'x.jpg').then(() => undefined, (e: Error) => e)
    expect(error?.name).toBe('UserError')
    expect(error!.message).toMatch(/^the optional package sharp is missing, and prepare vww needs it to decode images \(npm install sharp\)/)
  })
})
