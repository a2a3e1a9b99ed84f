/** Generated sww01 folders: WAVs in the board's canonical form (or deliberately not) and the runner's truth JSON. */
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

export interface WavShape {
  channels?: number
  sampleRate?: number
  bitsPerSample?: number
  /** A chunk (`LIST`, as many editors add) between fmt and data. */
  extraChunk?: string
  /** Frame at which the second channel stops repeating the first. */
  differAtFrame?: number
}

/** A PCM WAV of `frames` frames of a ramp, canonical 44-byte header unless the shape says otherwise. */
export function wavBytes(frames: number, shape: WavShape = {}): Buffer {
  const {channels = 2, sampleRate = 16_000, bitsPerSample = 16} = shape
  const sampleBytes = bitsPerSample / 8
  const data = Buffer.alloc(frames * channels * sampleBytes)
  for (let frame = 0; frame < frames; frame++) {
    for (let channel = 0; channel < channels; channel++) {
      const value = ((frame * 37) % 2000) - 1000 + (channel > 0 && shape.differAtFrame !== undefined && frame >= shape.differAtFrame ? 1 : 0)
      const at = (frame * channels + channel) * sampleBytes
      if (sampleBytes === 2) data.writeInt16LE(value, at)
      else data.writeUInt8(value & 0xff, at)
    }
  }
  const extra = shape.extraChunk ? chunk(shape.extraChunk, Buffer.from('INFOISFT\x06\x00\x00\x00Lavf\x00\x00')) : Buffer.alloc(0)
  const fmt = Buffer.alloc(16)
  fmt.writeUInt16LE(1, 0)
  fmt.writeUInt16LE(channels, 2)
  fmt.writeUInt32LE(sampleRate, 4)
  fmt.writeUInt32LE(sampleRate * channels * sampleBytes, 8)
  fmt.writeUInt16LE(channels * sampleBytes, 12)
  fmt.writeUInt16LE(bitsPerSample, 14)
  const body = Buffer.concat([Buffer.from('WAVE'), chunk('fmt ', fmt), extra, chunk('data', data)])
  return Buffer.concat([Buffer.from('RIFF'), u32(body.length), body])
}

function chunk(id: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(id), u32(body.length), body])
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32LE(value)
  return bytes
}

/** `<parent>/sww01/` with `truthName` holding `entries` and each named WAV written as given. */
export async function writeSwwFolder(parent: string, truthName: string, entries: unknown, wavs: Record<string, Buffer>): Promise<string> {
  const folder = join(parent, 'sww01')
  await mkdir(folder, {recursive: true})
  await writeFile(join(folder, truthName), typeof entries === 'string' ? entries : JSON.stringify(entries, null, 2))
  for (const [name, bytes] of Object.entries(wavs)) await writeFile(join(folder, name), bytes)
  return folder
}
