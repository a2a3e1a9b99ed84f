import {existsSync} from 'node:fs'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadSharp} from '../src/image/decode.js'
import {
  benchmarkOfStimulusSize, COLOUR_MAP, contactSheetPng, HIGHEST_COLOUR, labelText, LOWEST_COLOUR, renderContactSheet,
  renderStimulusPreview, stimulusPreviewPng, type Rgb,
} from '../src/preview/index.js'
import {SHARED, skipMessage} from './helpers/archives.js'
import {noiseBytes} from './helpers/images.js'

const FIXTURES = join(SHARED, 'fixtures')
const HAS_SHARED = existsSync(FIXTURES)
if (!HAS_SHARED) console.log(skipMessage('the previews of official stimuli'))

interface DecodedPng {
  width: number
  height: number
  pixel(x: number, y: number): Rgb
}

async function decodePng(png: Buffer): Promise<DecodedPng> {
  const sharp = await loadSharp()
  const {data, info} = await sharp(png).raw().toBuffer({resolveWithObject: true})
  expect(info.channels).toBe(3)
  return {
    width: info.width,
    height: info.height,
    pixel: (x, y) => {
      const at = (y * info.width + x) * info.channels
      return [data[at]!, data[at + 1]!, data[at + 2]!]
    },
  }
}

/** Every pixel of the rectangle, as one list, to compare with one colour. */
function block(image: DecodedPng, left: number, top: number, width: number, height: number): Rgb[] {
  const pixels: Rgb[] = []
  for (let y = top; y < top + height; y++) for (let x = left; x < left + width; x++) pixels.push(image.pixel(x, y))
  return pixels
}

function rgbAt(stimulus: Uint8Array, width: number, x: number, y: number): Rgb {
  const at = (y * width + x) * 3
  return [stimulus[at]!, stimulus[at + 1]!, stimulus[at + 2]!]
}

/** A kws01 MFCC stimulus of small values with its maximum and minimum in one cell each. */
function kwsMatrix(max: {frame: number; coefficient: number}, min: {frame: number; coefficient: number}): Uint8Array {
  const values = new Int8Array(490).map((_, index) => (index % 7) - 3)
  values[max.frame * 10 + max.coefficient] = 100
  values[min.frame * 10 + min.coefficient] = -100
  return new Uint8Array(values.buffer)
}

function adStimulus(values: (index: number) => number): Uint8Array {
  const bytes = new Uint8Array(102400)
  const view = new DataView(bytes.buffer)
  for (let index = 0; index < 200 * 128; index++) view.setFloat32(4 * index, values(index), true)
  return bytes
}

describe('image previews', () => {
  it('magnify an ic01 stimulus 8 times with nearest neighbour: its (0, 0) is an 8 × 8 block of that exact colour', async () => {
    const stimulus = noiseBytes(3072, 7)
    stimulus.set([10, 200, 30], 0)
    const image = await decodePng(await stimulusPreviewPng('ic01', stimulus))
    expect([image.width, image.height]).toEqual([256, 256])
    expect(new Set(block(image, 0, 0, 8, 8).map(String))).toEqual(new Set(['10,200,30']))
    expect(image.pixel(8, 0)).toEqual(rgbAt(stimulus, 32, 1, 0))
    expect(image.pixel(255, 255)).toEqual(rgbAt(stimulus, 32, 31, 31))
    expect(image.pixel(8 * 17 + 3, 8 * 5 + 7)).toEqual(rgbAt(stimulus, 32, 17, 5))
  })

  it('magnify vww01 4 times by default, and as asked with scale', async () => {
    const stimulus = noiseBytes(27648, 3)
    const preview = await renderStimulusPreview('vww01', stimulus)
    expect([preview.width, preview.height, preview.scale]).toEqual([384, 384, 4])
    const image = await decodePng(preview.png)
    expect(image.pixel(4 * 95 + 3, 4 * 40)).toEqual(rgbAt(stimulus, 96, 95, 40))
    const thumbnail = await decodePng(await stimulusPreviewPng('vww01', stimulus, {scale: 1}))
    expect([thumbnail.width, thumbnail.height]).toEqual([96, 96])
    expect(thumbnail.pixel(50, 60)).toEqual(rgbAt(stimulus, 96, 50, 60))
  })
})

describe('spectrogram previews', () => {
  it('draw kws01 as a heatmap, time left to right and coefficient 0 at the bottom, max in the top colour and min in the bottom one', async () => {
    const stimulus = kwsMatrix({frame: 20, coefficient: 7}, {frame: 3, coefficient: 0})
    const preview = await renderStimulusPreview('kws01', stimulus, {title: 'tst_000000_Stop_7.bin'})
    // 49 frames × 8 px, 10 coefficients × 16 px, with axes and a colour bar around them.
    expect(preview.picture).toMatchObject({width: 392, height: 160})
    expect(preview.width).toBeGreaterThan(392)
    expect(preview.height).toBeGreaterThan(160)
    const image = await decodePng(preview.png)
    expect([image.width, image.height]).toEqual([preview.width, preview.height])
    const cell = (frame: number, coefficient: number): Rgb[] =>
      block(image, preview.picture.left + 8 * frame, preview.picture.top + 16 * (9 - coefficient), 8, 16)
    expect(new Set(cell(20, 7).map(String))).toEqual(new Set([HIGHEST_COLOUR.join()]))
    expect(new Set(cell(3, 0).map(String))).toEqual(new Set([LOWEST_COLOUR.join()]))
    // Every other cell is one of the colours between, even along the plot's edges beside the axes.
    for (const [frame, coefficient] of [[0, 0], [48, 9], [0, 9], [48, 0], [20, 6]] as const) {
      const colours = new Set(cell(frame, coefficient).map(String))
      expect(colours.size).toBe(1)
      expect(colours).not.toContain(HIGHEST_COLOUR.join())
      expect(colours).not.toContain(LOWEST_COLOUR.join())
      expect(COLOUR_MAP.map(String)).toContain([...colours][0])
    }
  })

  it('give the bare heatmap without axes', async () => {
    const stimulus = kwsMatrix({frame: 0, coefficient: 9}, {frame: 48, coefficient: 0})
    const preview = await renderStimulusPreview('kws01', stimulus, {axes: false, scale: 1})
    expect(preview).toMatchObject({width: 49, height: 20, picture: {left: 0, top: 0, width: 49, height: 20}})
    const image = await decodePng(preview.png)
    expect(image.pixel(0, 0)).toEqual(HIGHEST_COLOUR)
    expect(image.pixel(0, 1)).toEqual(HIGHEST_COLOUR)
    expect(image.pixel(48, 19)).toEqual(LOWEST_COLOUR)
  })

  it('read 490 bytes as uint8 LFBE when asked: 255 is then the maximum, not −1', async () => {
    const stimulus = new Uint8Array(490).fill(100)
    stimulus[0] = 255
    stimulus[1] = 0
    const options = {axes: false, scale: 1} as const
    const lfbe = await decodePng(await stimulusPreviewPng('kws01', stimulus, {...options, kwsFeatures: 'lfbe'}))
    const mfcc = await decodePng(await stimulusPreviewPng('kws01', stimulus, options))
    // Frame 0: coefficient 0 at the bottom (rows 18-19), coefficient 1 above it (rows 16-17).
    expect([lfbe.pixel(0, 19), lfbe.pixel(0, 17)]).toEqual([HIGHEST_COLOUR, LOWEST_COLOUR])
    expect(mfcc.pixel(0, 19)).not.toEqual(HIGHEST_COLOUR)
    expect(mfcc.pixel(5, 0)).toEqual(HIGHEST_COLOUR) // 100 is the int8 maximum
  })

  it('draw ad01 with cells of 2 × 2 pixels, NaN and ±Infinity clamped instead of failing', async () => {
    const at = (frame: number, band: number): number => frame * 128 + band
    const special = new Map([
      [at(10, 100), 25], [at(150, 3), -90], [at(0, 0), Number.NaN], [at(199, 127), Infinity], [at(199, 0), -Infinity],
    ])
    const stimulus = adStimulus((index) => special.get(index) ?? -40 + (index % 11))
    const preview = await renderStimulusPreview('ad01', stimulus)
    expect(preview.picture).toMatchObject({width: 400, height: 256})
    const image = await decodePng(preview.png)
    const pixel = (frame: number, band: number): Rgb =>
      image.pixel(preview.picture.left + 2 * frame + 1, preview.picture.top + 2 * (127 - band) + 1)
    expect(pixel(10, 100)).toEqual(HIGHEST_COLOUR)
    expect(pixel(150, 3)).toEqual(LOWEST_COLOUR)
    expect(pixel(199, 127)).toEqual(HIGHEST_COLOUR)
    expect(pixel(199, 0)).toEqual(LOWEST_COLOUR)
    expect(pixel(0, 0)).toEqual(LOWEST_COLOUR)
  })
})

describe('waveform previews', () => {
  it('plot kws01 td_samples (16000 int16) scaled to the clip peak, a column per 40 samples', async () => {
    const bytes = new Uint8Array(32000)
    const view = new DataView(bytes.buffer)
    view.setInt16(2 * 8000, 12000, true) // column 200 of 400
    view.setInt16(2 * 4000, -6000, true)
    const preview = await renderStimulusPreview('kws01', bytes, {axes: false})
    expect([preview.width, preview.height]).toEqual([400, 160])
    const image = await decodePng(preview.png)
    const white: Rgb = [255, 255, 255]
    expect(image.pixel(200, 0)).not.toEqual(white) // the peak reaches the top row
    expect(image.pixel(199, 0)).toEqual(white)
    expect(image.pixel(100, 119)).not.toEqual(white) // −6000 is half way down from the zero line (row 80)
    expect(image.pixel(100, 130)).toEqual(white)
    const withAxes = await renderStimulusPreview('kws01', bytes)
    expect(withAxes.picture).toMatchObject({width: 400, height: 160})
    expect(withAxes.width).toBeGreaterThan(400)
  })
})

describe('stimulus sizes, labels and options', () => {
  it('tell the benchmark by the byte count', () => {
    expect([490, 32000, 3072, 27648, 102400, 1234].map(benchmarkOfStimulusSize)).toEqual(['kws01', 'kws01', 'ic01', 'vww01', 'ad01', null])
  })

  it('refuse bytes of another size and a scale out of range as UserErrors', async () => {
    await expect(stimulusPreviewPng('ic01', new Uint8Array(490))).rejects.toThrow('490 bytes is not a ic01 stimulus (3072 bytes)')
    await expect(stimulusPreviewPng('kws01', new Uint8Array(3072))).rejects.toThrow('3072 bytes is not a kws01 stimulus (490 or 32000 bytes)')
    await expect(stimulusPreviewPng('ic01', new Uint8Array(3072), {scale: 0})).rejects.toMatchObject({name: 'UserError'})
    await expect(stimulusPreviewPng('ic01', new Uint8Array(3072), {scale: 1.5})).rejects.toThrow('expected a whole number from 1 to 32')
  })

  it('name the classes of each benchmark, and leave a list of other classes as numbers', () => {
    expect(labelText('kws01', 7)).toBe('Stop (7)')
    expect(labelText('kws01', 10, 12)).toBe('Silence (10)')
    expect(labelText('ic01', 3)).toBe('cat (3)')
    expect(labelText('vww01', 1)).toBe('person (1)')
    expect(labelText('ad01', 1)).toBe('anomaly (1)')
    expect(labelText('ic01', 3, 100)).toBe('3')
    expect(labelText('ic01', 12)).toBe('12')
  })
})

describe('contact sheets', () => {
  it('put the stimuli in a grid of equal tiles, ⌈√n⌉ columns, each picture at the same place in its tile', async () => {
    const stimuli = Array.from({length: 5}, (_, index) => noiseBytes(3072, 100 + index))
    const entries = stimuli.map((bytes, index) => ({name: `s_${index}.bin`, label: labelText('ic01', index), bytes}))
    const sheet = await renderContactSheet(entries, 'ic01')
    expect(sheet).toMatchObject({columns: 3, rows: 2, scale: 4})
    expect(sheet.picture).toMatchObject({width: 128, height: 128})
    expect([sheet.width, sheet.height]).toEqual([3 * sheet.tileWidth, 2 * sheet.tileHeight])
    expect(sheet.tileHeight).toBeGreaterThan(128) // room for the captions
    const image = await decodePng(sheet.png)
    expect([image.width, image.height]).toEqual([sheet.width, sheet.height])
    for (const [index, stimulus] of stimuli.entries()) {
      const left = (index % 3) * sheet.tileWidth + sheet.picture.left
      const top = Math.floor(index / 3) * sheet.tileHeight + sheet.picture.top
      expect(new Set(block(image, left, top, 4, 4).map(String))).toEqual(new Set([rgbAt(stimulus, 32, 0, 0).join()]))
      expect(image.pixel(left + 127, top + 127)).toEqual(rgbAt(stimulus, 32, 31, 31))
    }
    // The sixth tile is empty: background only.
    expect(image.pixel(2 * sheet.tileWidth + sheet.picture.left + 64, sheet.tileHeight + sheet.picture.top + 64)).toEqual([255, 255, 255])
  })

  it('follow the columns and scale asked for, and draw spectrogram tiles bare', async () => {
    const stimulus = kwsMatrix({frame: 0, coefficient: 9}, {frame: 1, coefficient: 9})
    const entries = Array.from({length: 4}, (_, index) => ({name: `tst_00000${index}_Stop_7.bin`, bytes: stimulus}))
    const sheet = await renderContactSheet(entries, 'kws01', {columns: 4, scale: 2})
    expect(sheet).toMatchObject({columns: 4, rows: 1, picture: {width: 98, height: 40}})
    expect([sheet.width, sheet.height]).toEqual([4 * sheet.tileWidth, sheet.tileHeight])
    const image = await decodePng(await contactSheetPng(entries, 'kws01', {columns: 4, scale: 2}))
    const tile = 3 * sheet.tileWidth
    expect(image.pixel(tile + sheet.picture.left, sheet.picture.top)).toEqual(HIGHEST_COLOUR)
    expect(image.pixel(tile + sheet.picture.left + 2, sheet.picture.top)).toEqual(LOWEST_COLOUR)
  })
})

describe.skipIf(!HAS_SHARED)('previews of official stimuli', () => {
  const firstBin = async (folder: string): Promise<Uint8Array> => {
    const name = (await readdir(join(FIXTURES, folder))).filter((file) => file.endsWith('.bin')).sort()[0]!
    return readFile(join(FIXTURES, folder, name))
  }

  it('show an official ic01 and vww01 image pixel for pixel', async () => {
    for (const [benchmark, folder, side, scale] of [['ic01', 'ic01_v0.5/official', 32, 8], ['vww01', 'vww01/official', 96, 4]] as const) {
      const stimulus = await firstBin(folder)
      const image = await decodePng(await stimulusPreviewPng(benchmark, stimulus))
      expect([image.width, image.height]).toEqual([side * scale, side * scale])
      for (const [x, y] of [[0, 0], [side - 1, side - 1], [side >> 1, side >> 2]] as const) {
        expect(image.pixel(x * scale + scale - 1, y * scale)).toEqual(rgbAt(stimulus, side, x, y))
      }
    }
  })

  it('put the maximum of an official kws01 MFCC and ad01 log-mel in the top colour', async () => {
    const mfccBytes = await firstBin('kws01/mfcc')
    const mfcc = new Int8Array(mfccBytes.buffer, mfccBytes.byteOffset, mfccBytes.byteLength)
    const maxIndex = mfcc.indexOf(Math.max(...mfcc))
    const kws = await renderStimulusPreview('kws01', mfccBytes)
    const kwsImage = await decodePng(kws.png)
    const [frame, coefficient] = [Math.floor(maxIndex / 10), maxIndex % 10]
    expect(kwsImage.pixel(kws.picture.left + 8 * frame + 4, kws.picture.top + 16 * (9 - coefficient) + 8)).toEqual(HIGHEST_COLOUR)

    const adBytes = await firstBin('ad01/official')
    const adValues = new Float32Array(adBytes.buffer.slice(adBytes.byteOffset, adBytes.byteOffset + adBytes.byteLength))
    const adMax = adValues.indexOf(Math.max(...adValues))
    const ad = await renderStimulusPreview('ad01', adBytes)
    const adImage = await decodePng(ad.png)
    const [adFrame, band] = [Math.floor(adMax / 128), adMax % 128]
    expect(adImage.pixel(ad.picture.left + 2 * adFrame, ad.picture.top + 2 * (127 - band))).toEqual(HIGHEST_COLOUR)
  })
})
