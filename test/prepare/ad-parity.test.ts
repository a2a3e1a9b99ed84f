import {createHash} from 'node:crypto'
import {readdir, readFile, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ad01} from '../../datasets/ad01.js'
import {loadAdList} from '../../src/prepare/ad-lists.js'
import {officialStimulusHashes} from '../../src/formats/pinned-tables.js'
import {prepareAd, type PrepareAdResult} from '../../src/prepare/ad.js'
import {buildZip, SHARED, skipMessage} from '../helpers/archives.js'
import {AD_FIXTURES, AD_OFFICIAL_BINS, AD_REFERENCE_BIN, float32Values, HAS_AD_FIXTURES, HAS_AD_OFFICIAL_BINS} from '../helpers/toycar.js'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const FRAMES = 200
const BANDS = 128
/** Official bins span −80.59 … 12.06 dB (stimuli.md §4.2 step 6); a clip of digital silence would reach −156.5. */
const OFFICIAL_RANGE_DB = [-81, 13]

/**
 * How much closer values one frame apart (128 values) are than values half a frame apart (64), on average. In a
 * time-major file the first pair is the same band in consecutive frames and the second two bands 64 apart, so the
 * ratio is small (at most 0.26 over the 248 official bins); stored band-major, both pairs would be the same band at
 * two time offsets, and the ratio near 1 (at least 0.96 over the same bins).
 */
function frameStrideRatio(values: Float32Array): number {
  const meanDistance = (lag: number) => {
    let sum = 0
    for (let i = lag; i < values.length; i++) sum += Math.abs(values[i]! - values[i - lag]!)
    return sum / (values.length - lag)
  }
  return meanDistance(BANDS) / meanDistance(BANDS / 2)
}
/** Well between the two regimes of frameStrideRatio. */
const TIME_MAJOR_RATIO = 0.5

describe('the embedded ad01 lists (manifests/labels/) and hashes (manifests/official_stimulus_sha256.tsv)', () => {
  it('holds the 248 official stimuli (140 normal, 108 anomaly, every 10th clip from index 3) and the 72 alt ones', () => {
    const official = loadAdList(ad01.lists.official, 2, 2560, 512)
    expect(official).toHaveLength(248)
    expect(official.filter((entry) => entry.label === 0)).toHaveLength(140)
    expect(official.filter((entry) => entry.label === 1)).toHaveLength(108)
    for (const {file, label} of official) {
      const [, kind, number] = /^(normal|anomaly)_id_0[1-4]_(\d{8})_hist_librosa\.bin$/.exec(file)!
      expect(ad01.classNames[label]).toBe(kind)
      expect(Number(number) % 10).toBe(3)
    }
    expect(official[0]!.file).toBe('normal_id_01_00000003_hist_librosa.bin')
    expect(loadAdList(ad01.lists.alt, 2, 2560, 512)).toHaveLength(72)
  })

  it('pins a sha256 for every official stimulus', () => {
    const pinned = officialStimulusHashes(ad01.officialStimuli)
    expect([...pinned.keys()].sort()).toEqual(loadAdList(ad01.lists.official, 2, 2560, 512).map((entry) => entry.file).sort())
  })
})

if (!HAS_AD_FIXTURES) console.warn(skipMessage('the ad01 parity tests on real ToyCar clips'))

describe.skipIf(!HAS_AD_FIXTURES)('prepare ad on the real ToyCar clips of ../shared/fixtures/ad01', () => {
  let dir: string
  let result: PrepareAdResult
  let clips: string[]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-ad-parity-'))
    clips = (await readdir(join(AD_FIXTURES, 'toycar_wav'))).filter((file) => file.endsWith('.wav')).sort()
    const entries = await Promise.all(clips.map(async (file) => ({path: `dev_data/ToyCar/test/${file}`, bytes: await readFile(join(AD_FIXTURES, 'toycar_wav', file))})))
    const source = join(dir, 'dev_data_ToyCar.zip')
    await writeFile(source, buildZip(entries))
    result = await prepareAd({benchmark: ad01, source, out: dir, subset: 'all', verify: false})
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('reproduces the reference pipeline output of normal_id_01_00000000 byte for byte', async () => {
    const ours = float32Values(await readFile(join(result.outputDir, 'normal_id_01_00000000_hist_librosa.bin')))
    const reference = float32Values(await readFile(AD_REFERENCE_BIN))
    const identical = reference.filter((value, i) => Object.is(value, ours[i])).length
    console.log(`ad01 parity through prepare ad (zip, --subset all): ${identical} of ${reference.length} float32 values bit-identical (${((100 * identical) / reference.length).toFixed(3)} %)`)
    expect(identical).toBe(FRAMES * BANDS)
  })

  it('writes every real clip as 200 × 128 float32 values, time-major, within the official value range', async () => {
    expect(result.filesWritten).toBe(clips.length)
    for (const clip of clips) {
      const bytes = await readFile(join(result.outputDir, clip.replace('.wav', '_hist_librosa.bin')))
      expect(bytes.length).toBe(FRAMES * BANDS * 4)
      const values = float32Values(bytes)
      expect(Math.min(...values)).toBeGreaterThanOrEqual(OFFICIAL_RANGE_DB[0]!)
      expect(Math.max(...values)).toBeLessThanOrEqual(OFFICIAL_RANGE_DB[1]!)
      expect(frameStrideRatio(values), clip).toBeLessThan(TIME_MAJOR_RATIO)
    }
  })

  // The official list takes every 10th clip from index 3; the fixture clips are 00000000 and 00000001, so no official
  // bin can be compared with a fixture clip's (ad-parity.md): byte parity rests on the reference-pipeline clip above.
  it('no fixture clip is in the official list, and prepare reports no official bin compared', () => {
    const official = new Set(loadAdList(ad01.lists.official, 2, 2560, 512).map((entry) => entry.file))
    expect(clips.map((clip) => clip.replace('.wav', '_hist_librosa.bin')).filter((file) => official.has(file))).toEqual([])
    expect(result.parity?.compared ?? 0).toBe(0)
  })
})

if (!HAS_AD_OFFICIAL_BINS) console.warn(skipMessage('the ad01 official-bin layout checks'))

describe.skipIf(!HAS_AD_OFFICIAL_BINS)(`the 248 official ad01 bins (${join(SHARED, 'fixtures/ad01/official')})`, () => {
  it('match the pinned sha256 values and have the stimulus layout', async () => {
    const pinned = officialStimulusHashes(ad01.officialStimuli)
    const files = (await readdir(AD_OFFICIAL_BINS)).filter((file) => file.endsWith('.bin')).sort()
    expect(files).toHaveLength(248)
    let low = Infinity
    let high = -Infinity
    for (const file of files) {
      const bytes = await readFile(join(AD_OFFICIAL_BINS, file))
      expect(sha256(bytes), file).toBe(pinned.get(file))
      expect(bytes.length).toBe(FRAMES * BANDS * 4)
      const values = float32Values(bytes)
      expect(values.every(Number.isFinite)).toBe(true)
      low = Math.min(low, ...values)
      high = Math.max(high, ...values)
      expect(frameStrideRatio(values), file).toBeLessThan(TIME_MAJOR_RATIO)
    }
    console.log(`ad01 official bins: 248 files of 102,400 bytes, values ${low.toFixed(2)} … ${high.toFixed(2)} dB`)
    expect(low).toBeGreaterThanOrEqual(OFFICIAL_RANGE_DB[0]!)
    expect(high).toBeLessThanOrEqual(OFFICIAL_RANGE_DB[1]!)
  })
})
