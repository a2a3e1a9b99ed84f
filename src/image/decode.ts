/**
 * Image decoding with sharp (libvips, libjpeg-turbo-based mozjpeg), set up to give the pixels that scikit-image's
 * `io.imread` (PIL, libjpeg-turbo) gave the official vww01 script (vww-parity.md §4.1): the embedded ICC profile
 * ignored, no EXIF rotation, no resize (which would shrink on load), greyscale copied to three channels.
 *
 * sharp is an optional dependency: only `prepare vww` needs it, so it is loaded on first use.
 */
import type {Metadata, Sharp, SharpOptions} from 'sharp'

import {fileError, UserError} from '../errors.js'
import {CHANNELS} from './gaussian.js'

type SharpFactory = (input: Uint8Array, options?: SharpOptions) => Sharp

export interface DecodedImage {
  /** height × width × 3 bytes, RGB, row-major. */
  pixels: Uint8Array
  height: number
  width: number
}

const GREY_CHANNELS = 1
/** Colour spaces (libvips interpretation) whose 8-bit pixels are the RGB or grey values themselves. */
const ACCEPTED_SPACES: readonly string[] = ['srgb', 'b-w']

let loading: Promise<SharpFactory> | undefined

/**
 * sharp, imported once; where it is missing, a UserError saying that `purpose` needs it and how to install it
 * (`purpose`: "prepare vww needs it to decode images", say).
 */
export function loadSharp(purpose = 'prepare vww needs it to decode images'): Promise<SharpFactory> {
  loading ??= import('sharp').then((module) => {
    // Each image is decoded once: libvips' operation cache (50 MB by default) would only hold memory. One libvips
    // thread per image: images are decoded many at a time, and more threads only add memory.
    module.default.cache(false)
    module.default.concurrency(1)
    return module.default as SharpFactory
  })
  return loading.catch((error: unknown) => {
    const cause = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new UserError(`the optional package sharp is missing, and ${purpose} (npm install sharp): ${cause}`)
  })
}

/** Decodes one image to RGB bytes; anything but an 8-bit RGB or greyscale image is a UserError naming `name`. */
export async function decodeRgb(bytes: Uint8Array, name: string): Promise<DecodedImage> {
  // sharp throws at once, not through the promise below, on empty input.
  if (bytes.length === 0) throw fileError(name, 'is empty (0 bytes), not an image')
  const sharp = await loadSharp()
  const metadata = await sharp(bytes).metadata().catch((error: unknown) => {
    throw unreadable(bytes, name, error)
  })
  checkDecodable(metadata, name)
  // No .rotate()/autoOrient: EXIF orientation is ignored, as PIL's decode ignored it.
  const input = sharp(bytes, {ignoreIcc: true})
  // A greyscale image is decoded as its one channel (sharp would otherwise convert it to sRGB) and copied below.
  const decoding = metadata.channels === GREY_CHANNELS ? input.toColourspace('b-w') : input
  const {data, info} = await decoding
    .raw()
    .toBuffer({resolveWithObject: true})
    .catch((error: unknown) => {
      throw unreadable(bytes, name, error)
    })
  const pixelCount = info.width * info.height
  let pixels: Uint8Array
  if (info.channels === CHANNELS) {
    pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  } else if (info.channels === GREY_CHANNELS) {
    pixels = new Uint8Array(pixelCount * CHANNELS)
    for (let p = 0; p < pixelCount; p++) pixels[3 * p] = pixels[3 * p + 1] = pixels[3 * p + 2] = data[p]!
  } else {
    throw fileError(name, `decodes to ${info.channels} channels; vww01 is made from RGB or greyscale images`)
  }
  return {pixels, height: info.height, width: info.width}
}

function checkDecodable(metadata: Metadata, name: string): void {
  const format = metadata.format ?? 'image'
  if (metadata.depth !== undefined && metadata.depth !== 'uchar') {
    throw fileError(name, `is a ${metadata.depth === 'ushort' ? '16-bit' : metadata.depth} ${format}; vww01 is made from 8-bit RGB or greyscale images`)
  }
  if (metadata.space !== undefined && !ACCEPTED_SPACES.includes(metadata.space)) {
    throw fileError(name, `is a ${metadata.space.toUpperCase()} ${format}; vww01 is made from 8-bit RGB or greyscale images`)
  }
  if (metadata.hasAlpha || (metadata.channels !== CHANNELS && metadata.channels !== GREY_CHANNELS)) {
    throw fileError(name, `is a ${format} with ${metadata.channels} channels${metadata.hasAlpha ? ' (alpha)' : ''}; vww01 is made from RGB or greyscale images`)
  }
}

const JPEG_START = [0xff, 0xd8]
const JPEG_END = [0xff, 0xd9]

/**
 * The error for an image libvips could not decode. libvips' own message is not always the cause: where several
 * images decode at once its error buffer may hold only "Warning treated as error", so a JPEG that stops before its
 * end-of-image marker (a cut-off download, the commonest case) is named as truncated from its bytes.
 */
function unreadable(bytes: Uint8Array, name: string, error: unknown): UserError {
  const truncated = startsWith(bytes, JPEG_START) && !endsWithIgnoringPadding(bytes, JPEG_END)
  return fileError(name, `is not a readable image (${truncated ? 'a truncated JPEG: no end-of-image marker; ' : ''}${describe(error)})`)
}

function startsWith(bytes: Uint8Array, marker: readonly number[]): boolean {
  return marker.every((byte, i) => bytes[i] === byte)
}

/** Whether `marker` ends the bytes, after any zero padding (some encoders pad a JPEG to a block size). */
function endsWithIgnoringPadding(bytes: Uint8Array, marker: readonly number[]): boolean {
  let end = bytes.length
  while (end > 0 && bytes[end - 1] === 0) end--
  return end >= marker.length && marker.every((byte, i) => bytes[end - marker.length + i] === byte)
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim()
}
