import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {tableFromIPC} from 'apache-arrow'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ad01} from '../../datasets/ad01.js'
import {AdLogMel} from '../../src/audio/ad-features.js'
import {prepareAdSplit} from '../../src/training/ad.js'
import {buildZip} from '../helpers/archives.js'
import {syntheticToyCarClip, toyCarEntry} from '../helpers/toycar.js'

/** One second: 1 + 16000 / 512 = 32 frames, 28 five-frame vectors. */
const CLIP = 16_000
const VECTORS_PER_CLIP = 28

describe('prepare ad --split on a generated dev_data_ToyCar.zip', () => {
  let dir: string
  let archive: string
  const clips = new Map([
    ['normal_id_01_00000005.wav', syntheticToyCarClip(2, CLIP)],
    ['normal_id_01_00000000.wav', syntheticToyCarClip(1, CLIP)],
    ['normal_id_02_00000003.wav', syntheticToyCarClip(3, CLIP)],
  ])

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-ad-splits-'))
    archive = join(dir, 'dev_data_ToyCar.zip')
    await writeFile(archive, buildZip([
      ...[...clips].map(([file, samples]) => toyCarEntry(file, samples, {folder: 'train'})),
      toyCarEntry('anomaly_id_01_00000000.wav', syntheticToyCarClip(4, CLIP)), // a test clip: never training data
      toyCarEntry('normal_id_01_00000009.wav', syntheticToyCarClip(5, CLIP), {folder: 'train', machine: 'fan'}),
    ]))
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  const run = (split: 'train' | 'validation' | 'calibration', out: string, allowMissing = false) =>
    prepareAdSplit({benchmark: ad01, split, source: archive, out: join(dir, out), verify: false, threads: 1, allowMissing})

  it('train and validation: the sorted clips\' vectors cut as Keras fit(validation_split=0.1) cuts them', async () => {
    const total = 3 * VECTORS_PER_CLIP // 84: int(84 × 0.9) = 75 train, 9 validation
    const train = await run('train', 'train')
    const validation = await run('validation', 'validation')
    expect([train.rows, validation.rows]).toEqual([75, total - 75])
    const trainKeys = tableFromIPC(await readFile(train.output)).getChild('key')!.toArray() as string[]
    const validationKeys = tableFromIPC(await readFile(validation.output)).getChild('key')!.toArray() as string[]
    expect(trainKeys.slice(0, 2)).toEqual(['normal_id_01_00000000.wav:0000', 'normal_id_01_00000000.wav:0001'])
    expect(trainKeys[VECTORS_PER_CLIP]).toBe('normal_id_01_00000005.wav:0000')
    expect(validationKeys[0]).toBe(`normal_id_02_00000003.wav:${String(75 - 2 * VECTORS_PER_CLIP).padStart(4, '0')}`)
    expect(validationKeys.at(-1)).toBe('normal_id_02_00000003.wav:0027')
  })

  it('each vector is frames t…t+4 of the clip\'s exact log-mel, 640 float32 values', async () => {
    const result = await run('validation', 'vectors')
    const table = tableFromIPC(await readFile(result.output))
    expect(table.schema.fields[0]!.type.toString()).toBe('FixedSizeList[640]<Float32>')
    const last = table.getChild('tensor')!.get(table.numRows - 1)!.toArray() as Float32Array
    expect(last).toEqual(new AdLogMel().frames(clips.get('normal_id_02_00000003.wav')!, 27, 5))
    expect(table.getChild('label_name')!.get(0)).toBe('normal')
    expect(table.getChild('source_member')!.get(0)).toBe('dev_data/ToyCar/train/normal_id_02_00000003.wav')
  })

  it('calibration: the listed clips in the list\'s order; a list the source lacks clips of is one line, nothing written', async () => {
    await expect(run('calibration', 'calibration')).rejects.toThrow(
      /dev_data_ToyCar\.zip: holds 2 of the 1400 clips of manifests\/training\/ad_calibration\.txt \(missing normal_id_01_00000010\.wav, normal_id_01_00000015\.wav, normal_id_01_00000020\.wav, …\); --allow-missing writes the ones found/,
    )
    expect(await readdir(join(dir, 'calibration'))).toEqual([])
    const found = await run('calibration', 'calibration', true)
    expect(found.rows).toBe(2 * VECTORS_PER_CLIP)
    const keys = tableFromIPC(await readFile(found.output)).getChild('key')!.toArray() as string[]
    expect([keys[0], keys[VECTORS_PER_CLIP]]).toEqual(['normal_id_01_00000000.wav:0000', 'normal_id_01_00000005.wav:0000'])
  })
})
