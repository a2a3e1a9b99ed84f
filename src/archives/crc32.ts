import * as zlib from 'node:zlib'

/** CRC-32 (the polynomial of zip and gzip), continuing from `previous` when given, so a stream can be checked in pieces. */
export type Crc32 = (bytes: Uint8Array, previous?: number) => number

const TABLE = Uint32Array.from({length: 256}, (_, byte) => {
  let value = byte
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1
  return value
})

/** The byte-at-a-time table form: for Node before 20.15, which has no zlib.crc32. */
export const tableCrc32: Crc32 = (bytes, previous = 0) => {
  let crc = ~previous
  for (const byte of bytes) crc = TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return ~crc >>> 0
}

/** zlib's own, where Node has it (20.15 and later; several times faster), else the table form. */
export const crc32: Crc32 = (zlib as {crc32?: Crc32}).crc32 ?? tableCrc32
