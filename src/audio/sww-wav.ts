/**
 * The WAV form the sww01 interface board plays from its SD card. Its parser (interface firmware WaveSource.cpp,
 * stimuli.md §0.3) reads a fixed 44-byte header: `RIFF`, `WAVE`, a 16-byte `fmt ` chunk, then `data` at once; a LIST
 * or any other chunk in between, another sample format or one channel is not played as the benchmark means.
 */

/** The one sample format the board accepts; the values are the benchmark's (datasets/sww01.ts). */
export interface BoardWavFormat {
  sampleRate: number
  channels: number
  bitsPerSample: number
  /** Every channel carries the same samples (the board streams one). */
  identicalChannels: boolean
}

export const CANONICAL_HEADER_BYTES = 44
const PCM_FORMAT_TAG = 1
const FMT_BODY_BYTES = 16

export type BoardWavCheck = {ok: true; frames: number; seconds: number} | {ok: false; problem: string}

/** Whether `bytes` is a WAV the board plays as it is; otherwise the first thing wrong, in words. */
export function checkBoardWav(bytes: Uint8Array, format: BoardWavFormat): BoardWavCheck {
  const refuse = (problem: string): BoardWavCheck => ({ok: false, problem})
  if (bytes.length < CANONICAL_HEADER_BYTES) return refuse(`is ${bytes.length} bytes, shorter than the canonical ${CANONICAL_HEADER_BYTES}-byte WAV header`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4))
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return refuse('is not a RIFF/WAVE file')
  if (tag(12) !== 'fmt ') return refuse(`has chunk "${printable(tag(12))}" at byte 12 where the board's parser needs "fmt "`)
  const fmtBytes = view.getUint32(16, true)
  if (fmtBytes !== FMT_BODY_BYTES) return refuse(`has a ${fmtBytes}-byte fmt chunk; the board reads only the ${FMT_BODY_BYTES}-byte PCM form`)
  const formatTag = view.getUint16(20, true)
  const channels = view.getUint16(22, true)
  const sampleRate = view.getUint32(24, true)
  const byteRate = view.getUint32(28, true)
  const blockAlign = view.getUint16(32, true)
  const bitsPerSample = view.getUint16(34, true)
  if (formatTag !== PCM_FORMAT_TAG) return refuse(`has format tag ${formatTag}, not PCM (${PCM_FORMAT_TAG})`)
  if (bitsPerSample !== format.bitsPerSample) return refuse(`has ${bitsPerSample}-bit samples, not ${format.bitsPerSample}-bit`)
  if (channels !== format.channels) return refuse(`has ${channels} channel(s); the board needs ${format.channels} identical channels`)
  if (sampleRate !== format.sampleRate) return refuse(`is sampled at ${sampleRate} Hz, not ${format.sampleRate} Hz`)
  const frameBytes = (channels * bitsPerSample) / 8
  if (blockAlign !== frameBytes || byteRate !== sampleRate * frameBytes) {
    return refuse(`has block align ${blockAlign} and byte rate ${byteRate}; ${frameBytes} and ${sampleRate * frameBytes} are what its format implies`)
  }
  if (tag(36) !== 'data') {
    return refuse(`has chunk "${printable(tag(36))}" at byte 36 where the board's parser needs "data" (only the canonical 44-byte header is read: remove the chunks between fmt and data)`)
  }
  const dataBytes = view.getUint32(40, true)
  const after = bytes.length - CANONICAL_HEADER_BYTES
  if (dataBytes !== after) return refuse(`declares ${dataBytes} data bytes, but ${after} follow the header`)
  if (view.getUint32(4, true) !== bytes.length - 8) return refuse(`declares a RIFF size of ${view.getUint32(4, true)}, not the ${bytes.length - 8} its length implies`)
  if (dataBytes % frameBytes !== 0) return refuse(`has ${dataBytes} data bytes, not a whole number of ${frameBytes}-byte frames`)
  const frames = dataBytes / frameBytes
  if (format.identicalChannels) {
    const differing = firstFrameWithDifferentChannels(view, frames, channels, bitsPerSample / 8)
    if (differing !== undefined) return refuse(`has channels that differ, first at frame ${differing} (${(differing / sampleRate).toFixed(3)} s); the board needs identical channels`)
  }
  return {ok: true, frames, seconds: frames / sampleRate}
}

function firstFrameWithDifferentChannels(view: DataView, frames: number, channels: number, sampleBytes: number): number | undefined {
  const frameBytes = channels * sampleBytes
  for (let frame = 0; frame < frames; frame++) {
    const start = CANONICAL_HEADER_BYTES + frame * frameBytes
    for (let byte = sampleBytes; byte < frameBytes; byte++) {
      if (view.getUint8(start + byte) !== view.getUint8(start + (byte % sampleBytes))) return frame
    }
  }
  return undefined
}

function printable(tag: string): string {
  return tag.replace(/[^\x20-\x7e]/g, '?')
}
