/**
 * Image test material: paths of the real fixtures in ../shared (never copied into the repository: COCO images are
 * under Flickr licences), synthetic images made with sharp, and a CIFAR-10 binary archive built around given images.
 */
import {existsSync} from 'node:fs'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {CIFAR_IMAGE_BYTES, CIFAR_RECORD_BYTES} from '../../src/image/cifar.js'
import type {HalfKernel} from '../../src/image/gaussian.js'
import type {ResizePlan} from '../../src/image/skimage-resize.js'
import {reflectCoordinate} from '../../src/image/warp.js'
import {buildTarGz, SHARED, type ArchiveEntry} from './archives.js'

export const VWW_FIXTURES = join(SHARED, 'fixtures/vww01')
export const VWW_ORIGINALS = join(VWW_FIXTURES, 'coco_val2017')
export const VWW_OFFICIAL = join(VWW_FIXTURES, 'official')
export const HAS_VWW_FIXTURES = existsSync(VWW_ORIGINALS) && existsSync(VWW_OFFICIAL)

export const IC_V05_OFFICIAL = join(SHARED, 'fixtures/ic01_v0.5/official')
export const HAS_IC_FIXTURES = existsSync(IC_V05_OFFICIAL)

/** Deterministic pseudo-random bytes (a linear congruential generator), so tests need no real data. */
export function noiseBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length)
  let state = seed >>> 0
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    bytes[i] = state >>> 24
  }
  return bytes
}

/** A photo-like RGB image: smooth gradients with some noise and a few flat (saturated and black) patches. */
export function syntheticRgb(width: number, height: number, seed: number): Uint8Array {
  const pixels = new Uint8Array(width * height * 3)
  const noise = noiseBytes(pixels.length, seed)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3
      const flat = x < width / 8 ? 255 : y > (height * 7) / 8 ? 0 : undefined
      pixels[p] = flat ?? (x * 255) / width * 0.7 + (noise[p]! >> 2)
      pixels[p + 1] = flat ?? (y * 255) / height * 0.7 + (noise[p + 1]! >> 2)
      pixels[p + 2] = flat ?? ((x + y + seed * 17) % 256) * 0.5 + (noise[p + 2]! >> 3)
    }
  }
  return pixels
}

/** A JPEG of syntheticRgb (sharp, an optional dependency, is loaded only here). */
export async function syntheticJpeg(width: number, height: number, seed: number, options: {grey?: boolean} = {}): Promise<Buffer> {
  const {default: sharp} = await import('sharp')
  const image = sharp(syntheticRgb(width, height, seed), {raw: {width, height, channels: 3}})
  return (options.grey ? image.toColourspace('b-w') : image).jpeg({quality: 90}).toBuffer()
}

/** The val2017 zip layout for the given `<id>.jpg` files: `val2017/<id>.jpg`. */
export async function fixtureJpegEntries(ids: readonly string[]): Promise<ArchiveEntry[]> {
  return Promise.all(ids.map(async (id) => ({path: `val2017/${id}.jpg`, bytes: await readFile(join(VWW_ORIGINALS, `${id}.jpg`))})))
}

/** The ids (12-digit stems) of the fixture originals. */
export async function fixtureIds(): Promise<string[]> {
  return (await readdir(VWW_ORIGINALS)).filter((file) => file.endsWith('.jpg')).map((file) => file.slice(0, -4)).sort()
}

/** HWC (the stimulus layout) back to CIFAR's planar layout: the inverse of planarToHwc. */
export function hwcToPlanar(hwc: Uint8Array): Uint8Array {
  const planar = new Uint8Array(CIFAR_IMAGE_BYTES)
  const pixels = CIFAR_IMAGE_BYTES / 3
  for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) planar[c * pixels + p] = hwc[p * 3 + c]!
  return planar
}

/**
 * A CIFAR-10 binary test batch of `count` records: the given planar images and labels at their indices, noise with
 * label `index % 10` elsewhere.
 */
export function buildCifarBatch(images: ReadonlyMap<number, {planar: Uint8Array; label: number}>, count = 10_000): Uint8Array {
  const batch = noiseBytes(count * CIFAR_RECORD_BYTES, 7)
  for (let index = 0; index < count; index++) {
    const image = images.get(index)
    batch[index * CIFAR_RECORD_BYTES] = image?.label ?? index % 10
    if (image) batch.set(image.planar, index * CIFAR_RECORD_BYTES + 1)
  }
  return batch
}

/** cifar-10-binary.tar.gz's layout around a test batch, with small stand-ins for the other members. */
export async function buildCifarArchive(testBatch: Uint8Array): Promise<Buffer> {
  return buildTarGz([
    {path: 'cifar-10-batches-bin/batches.meta.txt', bytes: Buffer.from('airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n')},
    {path: 'cifar-10-batches-bin/data_batch_1.bin', bytes: noiseBytes(CIFAR_RECORD_BYTES * 3, 11)},
    {path: 'cifar-10-batches-bin/test_batch.bin', bytes: testBatch},
    {path: 'cifar-10-batches-bin/readme.html', bytes: Buffer.from('<meta HTTP-EQUIV="REFRESH" content="0; URL=http://www.cs.toronto.edu/~kriz/cifar.html">')},
  ])
}

/**
 * scipy's NI_Correlate1D for one line, written out plainly: out = x[i]·w0, then += (x[i−j] + x[i+j])·w[j] for
 * j = r…1 with the mirror boundary, truncated to uint8.
 */
function naiveLine(line: readonly number[], kernel: HalfKernel | undefined, truncate = true): number[] {
  if (!kernel) return [...line]
  const n = line.length
  const at = (i: number) => line[i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i]!
  return line.map((_, i) => {
    let sum = at(i) * kernel[0]!
    for (let j = kernel.length - 1; j >= 1; j--) sum += (at(i - j) + at(i + j)) * kernel[j]!
    return truncate ? Math.trunc(sum) : sum
  })
}

/**
 * The two passes by naiveLine: every column (axis 0), then every row (axis 1), channel by channel; an axis without a
 * kernel is left as it is. Without `truncateBetween` the first pass stays in floating point, as in skimage ≥ 0.19.
 */
export function naiveFilter(
  image: Uint8Array, height: number, width: number, rowKernel: HalfKernel | undefined, columnKernel: HalfKernel | undefined, truncateBetween = true,
): Uint8Array {
  const afterRows = new Float64Array(image.length)
  for (let x = 0; x < width; x++) {
    for (let c = 0; c < 3; c++) {
      const column = Array.from({length: height}, (_, y) => image[(y * width + x) * 3 + c]!)
      naiveLine(column, rowKernel, truncateBetween).forEach((v, y) => (afterRows[(y * width + x) * 3 + c] = v))
    }
  }
  const out = new Uint8Array(image.length)
  for (let y = 0; y < height; y++) {
    for (let c = 0; c < 3; c++) {
      const row = Array.from({length: width}, (_, x) => afterRows[(y * width + x) * 3 + c]!)
      naiveLine(row, columnKernel).forEach((v, x) => (out[(y * width + x) * 3 + c] = v))
    }
  }
  return out
}

/**
 * vww-parity.md §1.3–1.7 transcribed directly: the whole image filtered plainly (naiveFilter, not src's passes),
 * every output sample from its four neighbours, clipped to the whole image's extremes, truncated. The resize under
 * test only filters what it samples.
 */
export function referenceResize(image: Uint8Array, height: number, width: number, plan: ResizePlan): Uint8Array {
  const filtered = naiveFilter(image, height, width, plan.rowKernel, plan.columnKernel)
  const unit = (byte: number) => byte * (1 / 255)
  const low = unit(filtered.reduce((a, b) => Math.min(a, b), 255))
  const high = unit(filtered.reduce((a, b) => Math.max(a, b), 0))
  const {columnScale, columnOffset, rowScale, rowOffset} = plan.affine
  const size = plan.outputSize
  const out = new Uint8Array(size * size * 3)
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const r = rowScale * i + rowOffset
      const c = columnScale * j + columnOffset
      const [r0, r1, c0, c1] = [Math.floor(r), Math.ceil(r), Math.floor(c), Math.ceil(c)]
      const dr = r - r0
      const dc = c - c0
      const at = (y: number, x: number, ch: number) => unit(filtered[(reflectCoordinate(y, height) * width + reflectCoordinate(x, width)) * 3 + ch]!)
      for (let ch = 0; ch < 3; ch++) {
        const top = (1 - dc) * at(r0, c0, ch) + dc * at(r0, c1, ch)
        const bottom = (1 - dc) * at(r1, c0, ch) + dc * at(r1, c1, ch)
        const v = (1 - dr) * top + dr * bottom
        out[(i * size + j) * 3 + ch] = Math.trunc(255 * Math.min(Math.max(v, low), high))
      }
    }
  }
  return out
}
