import {createHash} from 'node:crypto'
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {tableFromIPC} from 'apache-arrow'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {kws01} from '../../datasets/kws01.js'
import {SPEECH_COMMANDS_SPLITS} from '../../datasets/training.js'
import {encodeWav} from '../../src/audio/wav.js'
import {UserError} from '../../src/errors.js'
import {recipe} from '../../src/prepare/recipes/kws.js'
import {calibrationRows, loadCalibrationIndices, prepareKwsSplit} from '../../src/training/kws.js'
import {
  silenceWindowStarts, speechCommandsKey, speechCommandsLabel, speechCommandsLists, speechCommandsSplitOf,
} from '../../src/training/speech-commands-splits.js'
import {tfdsReadOrder, tfdsShardBoundaries} from '../../src/selection/tfds-read-order.js'
import {type ArchiveEntry, buildTarGz, noiseClip} from '../helpers/archives.js'


const md5 = (text: string) => createHash('md5').update(text).digest('hex')
const wav = (samples: Int16Array): Uint8Array => encodeWav(samples, 16000)

describe('Speech Commands membership rules (TFDS speech_commands)', () => {
  const lists = speechCommandsLists('yes/a_nohash_0.wav\ncat/b_nohash_0.wav\n', 'no/c_nohash_0.wav\n')

  it('puts listed clips in validation or test, running_tap in validation, every other .wav in train', () => {
    expect(speechCommandsSplitOf('yes/a_nohash_0.wav', lists)).toBe('validation')
    expect(speechCommandsSplitOf('no/c_nohash_0.wav', lists)).toBe('test')
    expect(speechCommandsSplitOf('yes/d_nohash_0.wav', lists)).toBe('train')
    expect(speechCommandsSplitOf('_background_noise_/running_tap.wav', lists)).toBe('validation')
    expect(speechCommandsSplitOf('_background_noise_/white_noise.wav', lists)).toBe('train')
    expect(speechCommandsSplitOf('validation_list.txt', lists)).toBeUndefined()
    expect(speechCommandsSplitOf('_background_noise_/README.md', lists)).toBeUndefined()
  })

  it('labels the ten words 0–9, background and _silence_ 10, any other word 11', () => {
    expect(['down', 'go', 'left', 'no', 'off', 'on', 'right', 'stop', 'up', 'yes'].map(speechCommandsLabel)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(speechCommandsLabel('_background_noise_')).toBe(10)
    expect(speechCommandsLabel('_silence_')).toBe(10)
    expect(speechCommandsLabel('marvin')).toBe(11)
    expect(speechCommandsLabel('_unknown_')).toBe(11)
  })

  it('keys clips <folder>_<name> and windows <folder>_<name>_<start>', () => {
    expect(speechCommandsKey('yes/a_nohash_0.wav')).toBe('yes_a_nohash_0.wav')
    expect(speechCommandsKey('_background_noise_/white_noise.wav', 8000)).toBe('_background_noise__white_noise.wav_8000')
  })

  it('cuts background clips into one-second windows every half second, never a partial one', () => {
    expect(silenceWindowStarts(16000)).toEqual([])
    expect(silenceWindowStarts(16001)).toEqual([0])
    expect(silenceWindowStarts(32000)).toEqual([0, 8000])
    expect(silenceWindowStarts(32001)).toEqual([0, 8000, 16000])
    // The published validation count is the list's clips plus running_tap's windows: 10,102 = 9,981 + 121 needs a
    // clip of 976,001…984,000 samples (about 61 s), which is the rule's only freedom.
    expect(silenceWindowStarts(976_000)).toHaveLength(120)
    expect(silenceWindowStarts(976_001)).toHaveLength(121)
    expect(silenceWindowStarts(984_000)).toHaveLength(121)
    expect(silenceWindowStarts(984_001)).toHaveLength(122)
  })

  it('pins the reference calibration list: 120 distinct indices into the validation split', async () => {
    const text = await readFile(join(import.meta.dirname, '../..', SPEECH_COMMANDS_SPLITS.calibrationIndices), 'utf8')
    const indices = text.trim().split('\n').map(Number)
    expect(text.length).toBe(578) // the published quant_cal_idxs.txt, byte for byte
    expect(indices).toHaveLength(120)
    expect(new Set(indices).size).toBe(120)
    expect(Math.max(...indices)).toBeLessThan(SPEECH_COMMANDS_SPLITS.counts.validation)
  })
})

describe('prepare kws --split on a generated full archive', () => {
  let dir: string
  let archive: string
  const clips: Record<string, Int16Array> = {
    'yes/a_nohash_0.wav': noiseClip(1, 15000),
    'cat/b_nohash_0.wav': noiseClip(2),
    'no/c_nohash_0.wav': noiseClip(3),
    'yes/d_nohash_0.wav': noiseClip(4),
    'marvin/e_nohash_0.wav': noiseClip(5, 12000),
    '_background_noise_/running_tap.wav': noiseClip(6, 40000),
    '_background_noise_/white_noise.wav': noiseClip(7, 32001),
  }
  const entry = (path: string, text: string): ArchiveEntry => ({path, bytes: new TextEncoder().encode(text)})
  // The lists come last: membership must not depend on where they sit in the archive.
  const entries: ArchiveEntry[] = [
    entry('LICENSE', 'CC BY 4.0'),
    entry('_background_noise_/README.md', 'noise'),
    ...Object.entries(clips).map(([path, samples]) => ({path, bytes: wav(samples)})),
    entry('validation_list.txt', 'yes/a_nohash_0.wav\ncat/b_nohash_0.wav\n'),
    entry('testing_list.txt', 'no/c_nohash_0.wav\n'),
  ]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-kws-splits-'))
    archive = join(dir, 'speech_commands_v0.02.tar.gz')
    await writeFile(archive, await buildTarGz(entries))
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  const run = (split: 'train' | 'validation' | 'test' | 'calibration', out: string, source = archive, variant: 'mfcc' | 'td_samples' = 'td_samples') =>
    prepareKwsSplit({benchmark: kws01, split, variant, source, out: join(dir, out), verify: false, threads: 1})

  async function readSplit(path: string) {
    const table = tableFromIPC(await readFile(path))
    return {
      table,
      keys: table.getChild('key')!.toArray() as string[],
      rows: table.toArray().map((row) => row.toJSON() as Record<string, unknown>),
    }
  }

  it('train: the unlisted clips and the windows of the other background clips, in TFDS read order', async () => {
    const result = await run('train', 'train')
    expect(result.output).toBe(join(dir, 'train', 'kws01-train.arrow'))
    expect(result.rows).toBe(5)
    expect(result.published).toEqual({count: 85_511, matches: false})
    const {keys, rows} = await readSplit(result.output)
    const expected = ['yes_d_nohash_0.wav', 'marvin_e_nohash_0.wav', ...[0, 8000, 16000].map((start) => `_background_noise__white_noise.wav_${start}`)]
    // 64 shards of 5 examples keep one example each, so the read order is the md5 order of the salted keys.
    expect(keys).toEqual([...expected].sort((a, b) => (md5(`train${a}`) < md5(`train${b}`) ? -1 : 1)))
    const byKey = new Map(rows.map((row) => [row.key, row]))
    expect(byKey.get('yes_d_nohash_0.wav')).toMatchObject({label: 9n, label_name: 'Yes', split: 'train', source_member: 'yes/d_nohash_0.wav'})
    expect(byKey.get('marvin_e_nohash_0.wav')).toMatchObject({label: 11n, label_name: 'Unknown'})
    expect(byKey.get('_background_noise__white_noise.wav_8000')).toMatchObject({label: 10n, label_name: 'Silence', source_member: '_background_noise_/white_noise.wav'})
  })

  it('validation: the listed clips and running_tap\'s windows; tensors are the exact samples (td_samples)', async () => {
    const result = await run('validation', 'validation')
    expect(result.classCounts).toEqual([{label: 9, labelName: 'Yes', rows: 1}, {label: 10, labelName: 'Silence', rows: 3}, {label: 11, labelName: 'Unknown', rows: 1}])
    const {table, keys} = await readSplit(result.output)
    expect(new Set(keys)).toEqual(new Set(['yes_a_nohash_0.wav', 'cat_b_nohash_0.wav', ...[0, 8000, 16000].map((s) => `_background_noise__running_tap.wav_${s}`)]))
    const tensor = table.getChild('tensor')!
    const at = (key: string) => tensor.get(keys.indexOf(key))!.toArray() as Int16Array
    const paddedA = new Int16Array(16000)
    paddedA.set(clips['yes/a_nohash_0.wav']!)
    expect(at('yes_a_nohash_0.wav')).toEqual(paddedA)
    expect(at('_background_noise__running_tap.wav_8000')).toEqual(clips['_background_noise_/running_tap.wav']!.slice(8000, 24000))
    expect(table.schema.fields.map((field) => `${field.name}:${field.type}`)).toEqual([
      'tensor:FixedSizeList[16000]<Int16>', 'label:Int64', 'label_name:Utf8', 'split:Utf8', 'source_member:Utf8', 'key:Utf8',
    ])
    expect(JSON.parse(table.schema.metadata.get('tinydata.tensor')!)).toMatchObject({dtype: 'int16', shape: [16000, 1, 1]})
  })

  it('writes the runner-format MFCC bytes of prepare kws by default', async () => {
    const result = await run('validation', 'mfcc', archive, 'mfcc')
    const {table, keys} = await readSplit(result.output)
    expect(table.schema.fields[0]!.type.toString()).toBe('FixedSizeList[490]<Int8>')
    const paddedB = new Int16Array(16000)
    paddedB.set(clips['cat/b_nohash_0.wav']!)
    const expected = (await recipe.make(paddedB, {variant: 'mfcc', quantization: kws01.variants.mfcc.quantization, precision: 'exact'})).bytes
    const written = table.getChild('tensor')!.get(keys.indexOf('cat_b_nohash_0.wav'))!.toArray() as Int8Array
    expect(new Uint8Array(written.buffer, written.byteOffset, written.byteLength)).toEqual(expected)
  })

  it('a calibration index past the end of the validation split: one line naming the list, nothing written', async () => {
    const error = await run('calibration', 'calibration').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(/kws_quant_cal_idxs\.txt: index 4888 is past the end of the validation split \(5 examples in .*speech_commands_v0\.02\.tar\.gz\)/)
    expect(await readdir(join(dir, 'calibration'))).toEqual([])
  })

  it('an archive without its list files: one line naming the archive and the list, nothing written', async () => {
    const partial = join(dir, 'no-lists.tar.gz')
    await writeFile(partial, await buildTarGz(entries.filter((member) => member.path !== 'testing_list.txt')))
    const error = await run('train', 'no-lists', partial).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(/no-lists\.tar\.gz: holds no testing_list\.txt at its top/)
    expect(await readdir(join(dir, 'no-lists')).catch(() => [])).toEqual([])
  })

  it('test: every clip of the test-set archive, _silence_ labelled 10; the full archive is refused', async () => {
    const testArchive = join(dir, 'speech_commands_test_set_v0.02.tar.gz')
    await writeFile(testArchive, await buildTarGz([
      {path: 'yes/t1_nohash_0.wav', bytes: wav(noiseClip(8))},
      {path: '_silence_/t2_nohash_0.wav', bytes: wav(noiseClip(9))},
      {path: '_unknown_/t3_nohash_0.wav', bytes: wav(noiseClip(10))},
    ]))
    const result = await run('test', 'test', testArchive)
    expect(result.classCounts.map(({labelName, rows}) => `${labelName}:${rows}`)).toEqual(['Yes:1', 'Silence:1', 'Unknown:1'])
    expect(result.source.path).toBe(testArchive)
    const error = await run('test', 'test-full', archive).catch((caught: unknown) => caught)
    expect((error as Error).message).toMatch(/holds _background_noise_\/.*so it is the full Speech Commands archive/)
  })
})

describe('TFDS read order with more shards than the interleave cycle (the train split: 64 shards, cycle 16)', () => {
  it('reads 16 shards a block at a time and opens the next shard in the slot of one that ran out', () => {
    const keys = Array.from({length: 400}, (_, n) => `k${n}`)
    const sorted = [...keys].sort((a, b) => (md5(`train${a}`) < md5(`train${b}`) ? -1 : 1))
    const shard = (s: number) => sorted.slice(s * 20, (s + 1) * 20) // 400 / 20 shards: 20 each
    const order = tfdsReadOrder(keys, (key) => key, {split: 'train', shards: 20, blockLength: 16, cycleLength: 16})
    expect(order.slice(0, 16)).toEqual(shard(0).slice(0, 16))
    expect(order.slice(16, 32)).toEqual(shard(1).slice(0, 16))
    // After 16 blocks, slot 0 goes back to shard 0 (its last 4), not on to shard 16.
    expect(order.slice(256, 260)).toEqual(shard(0).slice(16))
    expect(order.slice(260, 264)).toEqual(shard(1).slice(16))
    // Shard 0 ran out: the next visit of slot 0 opens shard 16.
    expect(order.slice(320, 336)).toEqual(shard(16).slice(0, 16))
    expect(new Set(order).size).toBe(400)
    // With every shard open (the test split's 4 ≤ 16), the cycle changes nothing.
    const open = tfdsReadOrder(keys, (key) => key, {split: 'train', shards: 4, blockLength: 16})
    expect(tfdsReadOrder(keys, (key) => key, {split: 'train', shards: 4, blockLength: 16, cycleLength: 16})).toEqual(open)
  })
})

describe('the kws calibration set resolves quant_cal_idxs.txt in the validation split', () => {
  it('keeps the examples at the sorted indices, in index order (get_dataset.py iterates the split and keeps those)', () => {
    const indices = loadCalibrationIndices()
    expect(indices.slice(0, 3)).toEqual([91, 128, 192])
    expect(indices.at(-1)).toBe(4888)
    const validation = Array.from({length: SPEECH_COMMANDS_SPLITS.counts.validation}, (_, n) => ({key: `example${n}`, label: n % 12, sourceMember: `m${n}`, offset: n}))
    const rows = calibrationRows(validation, indices, 'speech_commands_v0.02.tar.gz')
    expect(rows).toHaveLength(120)
    expect(rows.slice(0, 3).map((row) => row.key)).toEqual(['example91', 'example128', 'example192'])
    expect(rows.at(-1)!.key).toBe('example4888')
  })
})

describe('the pinned TFDS facts reproduce dataset_info.json (speech_commands 0.0.2 and 0.0.3)', () => {
  const lengths = (count: number, shards: number) => {
    const bounds = tfdsShardBoundaries(count, shards)
    return bounds.slice(1).map((end, i) => end - bounds[i]!)
  }

  it('85,511 train examples in 64 shards: 1336 each but 1337 at shards 4, 13, 22, 31, 41, 50, 59', () => {
    const {counts, read} = SPEECH_COMMANDS_SPLITS
    const published = Array.from({length: 64}, (_, i) => ([4, 13, 22, 31, 41, 50, 59].includes(i) ? 1337 : 1336))
    expect(lengths(counts.train, read.train.shards)).toEqual(published)
  })

  it('10,102 validation examples in 8 shards and 4,890 test examples in 4', () => {
    const {counts, read} = SPEECH_COMMANDS_SPLITS
    expect(lengths(counts.validation, read.validation.shards)).toEqual([1263, 1263, 1262, 1263, 1263, 1262, 1263, 1263])
    expect(lengths(counts.test, read.test.shards)).toEqual([1222, 1223, 1223, 1222])
  })
})
