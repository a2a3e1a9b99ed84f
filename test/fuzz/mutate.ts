/** fast-check inputs for the parser fuzz tests: real inputs with a few edits, and plain random bytes. */

import fc from 'fast-check'
import {expect} from 'vitest'

import {UserError} from '../../src/errors.js'

type Edit = (bytes: Buffer) => Buffer

/** Where an edit applies, as a fraction of the input's length, so that every edit fits every input. */
const place = fc.double({min: 0, max: 1, maxExcluded: true, noNaN: true})
const at = (fraction: number, length: number): number => Math.floor(fraction * length)

/** What the parsers look for, and what breaks numbers, lists and JSON: edits that reach past the first check. */
const TOKENS = [
  '\n', '\r\n', '\r', ',', '[', ']', '{', '}', '"', ':', ' ', '\t', '\u0000', '\uFFFD', '\x1b[31m', 'nan', 'inf', '-inf',
  '1e309', '-1', '0', '4294967296', '99999999999999999999999', '0.5', 'null', 'true', '[]', '{}', '[[0, 1]]',
  'm-results-[', 'm-lap-us-', 'Command "dut infer 1 0"', 'Command "bload dut "/x/y.bin""', 'm-session-start-id[1]',
  'ulp-mlperf: Loading file a.bin segment 0', 'Running inference with 0/1 (warmup/measured)', 'ulp-mlperf:   m-results    : [',
  'Energy data for trial 0', 'Inferences    : 0', 'Total Energy  : 1 uJ', 'Playing long_wav.wav (length = 0.0s)', 'RIFF',
  'WAVE', 'fmt ', 'data', 'LIST', 'ARROW1', '\xff\xd8', '\xff\xd9', 'PK\u0003\u0004', 'ustar',
].map((token) => Buffer.from(token, 'latin1'))

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.tuple(place, fc.integer({min: 0, max: 255})).map(([where, value]): Edit => (bytes) => {
    const copy = Buffer.from(bytes) // a copy: a Buffer's slice() would share the original
    if (copy.length > 0) copy[at(where, copy.length)] = value
    return copy
  }),
  fc.tuple(place, fc.integer({min: 0, max: 7})).map(([where, bit]): Edit => (bytes) => {
    const copy = Buffer.from(bytes)
    if (copy.length > 0) copy[at(where, copy.length)]! ^= 1 << bit
    return copy
  }),
  fc.tuple(place, fc.integer({min: 1, max: 64})).map(([where, length]): Edit => (bytes) => {
    const start = at(where, bytes.length)
    return Buffer.concat([bytes.subarray(0, start), bytes.subarray(start + length)])
  }),
  fc.tuple(place, fc.oneof(fc.constantFrom(...TOKENS), fc.uint8Array({minLength: 1, maxLength: 16}))).map(([where, insert]): Edit => (bytes) => {
    const start = at(where, bytes.length + 1)
    return Buffer.concat([bytes.subarray(0, start), insert, bytes.subarray(start)])
  }),
  fc.tuple(place, fc.constantFrom(...TOKENS)).map(([where, token]): Edit => (bytes) => {
    const start = at(where, bytes.length)
    return Buffer.concat([bytes.subarray(0, start), token, bytes.subarray(start + token.length)])
  }),
  place.map((where): Edit => (bytes) => bytes.subarray(0, at(where, bytes.length))),
  fc.tuple(place, place).map(([from, to]): Edit => (bytes) => {
    const start = at(Math.min(from, to), bytes.length)
    const end = at(Math.max(from, to), bytes.length)
    return Buffer.concat([bytes.subarray(0, end), bytes.subarray(start, end), bytes.subarray(end)])
  }),
)

/** Mostly the real input with one to six edits, sometimes random bytes. */
export function variantsOf(original: Uint8Array, maxRandomBytes = 4096): fc.Arbitrary<Buffer> {
  const start: Buffer = Buffer.from(original)
  return fc.oneof(
    {weight: 9, arbitrary: fc.array(edit, {minLength: 1, maxLength: 6}).map((edits) => edits.reduce<Buffer>((bytes, apply) => apply(bytes), start))},
    {weight: 1, arbitrary: fc.uint8Array({maxLength: maxRandomBytes}).map((bytes) => Buffer.from(bytes))},
  )
}

/** The same sequence of inputs on every run; a property stops early (and passes) when its time is up. */
export function fuzzOptions(runs: number, milliseconds: number): fc.Parameters<unknown> {
  return {seed: 20_161, numRuns: runs, interruptAfterTimeLimit: milliseconds}
}

/** What a parser may do with any input: give a result, or throw a UserError of one line (no stack, no newline). */
export async function expectResultOrOneLineError<T>(parse: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await parse()
  } catch (error) {
    if (!(error instanceof UserError)) throw new Error(`not a UserError: ${(error as Error)?.stack ?? String(error)}`)
    expect(error.message).not.toContain('\n')
    return undefined
  }
}

/** A problem or warning a parser reports in words must be one line too. */
export function expectOneLine(texts: readonly string[]): void {
  for (const text of texts) expect(text).not.toContain('\n')
}
