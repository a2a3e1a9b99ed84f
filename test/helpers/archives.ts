import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {crc32, deflateRawSync, gzipSync} from 'node:zlib'
import * as tar from 'tar-stream'

import {encodeWav} from '../../src/audio/wav.js'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** Real official files, beside the repository (see DEVELOPERS.md); tests skip with a message where it is absent. */
export const SHARED = resolve(REPO_ROOT, '../shared')
export const KWS_FIXTURES = join(SHARED, 'fixtures/kws01')
export const HAS_KWS_FIXTURES = existsSync(join(KWS_FIXTURES, 'td_samples'))

export function skipMessage(what: string): string {
  return `skipped: ${what} needs ${SHARED} (real official files), which is absent on this machine`
}

export interface ArchiveEntry {
  path: string
  bytes: Uint8Array
}

/** A real tar archive (ustar) of the given files, built with tar-stream's packer. */
export async function buildTar(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const done = new Promise<void>((resolveDone, reject) => {
    pack.on('data', (chunk: Buffer) => chunks.push(chunk))
    pack.on('end', () => resolveDone())
    pack.on('error', reject)
  })
  for (const entry of entries) pack.entry({name: entry.path, size: entry.bytes.length, mtime: new Date(0)}, Buffer.from(entry.bytes))
  pack.finalize()
  await done
  return Buffer.concat(chunks)
}

export async function buildTarGz(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  return gzipSync(await buildTar(entries))
}

/** The Speech Commands folder of an official class name: Stop → stop, Silence → _silence_, Unknown → _unknown_. */
export function speechCommandsFolder(className: string): string {
  if (className === 'Silence') return '_silence_'
  if (className === 'Unknown') return '_unknown_'
  return className.toLowerCase()
}

/** An official clip's 16000 samples, from td_samples (the exact int16 PCM of the clip, zero-padded). */
export async function officialSamples(file: string): Promise<Int16Array> {
  const bytes = await readFile(join(KWS_FIXTURES, 'td_samples', file))
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

/**
 * An official clip as a Speech Commands archive member `<folder>/<id>_nohash_0.wav`. With `trimTrailingZeros` the
 * WAV holds only up to the last non-zero sample, like the shorter clips of the real archive.
 */
export async function officialClipEntry(file: string, options: {trimTrailingZeros?: boolean} = {}): Promise<ArchiveEntry> {
  const [, index, className] = /^tst_(\d{6})_([A-Za-z]+)_\d+\.bin$/.exec(file)!
  let samples = await officialSamples(file)
  if (options.trimTrailingZeros) {
    let end = samples.length
    while (end > 0 && samples[end - 1] === 0) end--
    samples = samples.slice(0, end)
  }
  return {path: `${speechCommandsFolder(className!)}/tst${index}_nohash_0.wav`, bytes: encodeWav(samples, 16000)}
}

/** A real zip archive (deflate, with a central directory), as COCO and DCASE publish their data. */
export function buildZip(entries: readonly ArchiveEntry[], options: {stored?: boolean; localExtraBytes?: number} = {}): Buffer {
  const local: Buffer[] = []
  const central: Buffer[] = []
  const method = options.stored ? 0 : 8
  // An extra field in the local headers only (real zips' local and central extra fields often differ in length).
  const extra = Buffer.alloc(options.localExtraBytes ?? 0)
  if (extra.length >= 4) {
    extra.writeUInt16LE(0xcafe, 0)
    extra.writeUInt16LE(extra.length - 4, 2)
  }
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.path, 'utf8')
    const data = options.stored ? Buffer.from(entry.bytes) : deflateRawSync(entry.bytes)
    const crc = crc32(entry.bytes)
    const header = Buffer.alloc(30)
    header.writeUInt32LE(0x04034b50, 0)
    header.writeUInt16LE(20, 4) // version needed
    header.writeUInt16LE(0x0800, 6) // UTF-8 names
    header.writeUInt16LE(method, 8)
    header.writeUInt32LE(crc, 14)
    header.writeUInt32LE(data.length, 18)
    header.writeUInt32LE(entry.bytes.length, 22)
    header.writeUInt16LE(name.length, 26)
    header.writeUInt16LE(extra.length, 28)
    local.push(header, name, extra, data)
    const record = Buffer.alloc(46)
    record.writeUInt32LE(0x02014b50, 0)
    record.writeUInt16LE(20, 4)
    record.writeUInt16LE(20, 6)
    record.writeUInt16LE(0x0800, 8)
    record.writeUInt16LE(method, 10)
    record.writeUInt32LE(crc, 16)
    record.writeUInt32LE(data.length, 20)
    record.writeUInt32LE(entry.bytes.length, 24)
    record.writeUInt16LE(name.length, 28)
    record.writeUInt32LE(offset, 42)
    central.push(record, name)
    offset += header.length + name.length + extra.length + data.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...local, directory, end])
}

/** A deterministic one-second (by default) noise clip, so suites that need clips run without ../shared. */
export function noiseClip(seed: number, length = 16000): Int16Array {
  const samples = new Int16Array(length)
  let state = seed
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    samples[i] = ((state >>> 8) & 0xffff) - 32768
  }
  return samples
}
