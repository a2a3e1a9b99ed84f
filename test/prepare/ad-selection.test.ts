import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ad01} from '../../datasets/ad01.js'
import {adStimulusBytes} from '../../src/audio/ad-features.js'
import {encodeWav} from '../../src/audio/wav.js'
import {UserError} from '../../src/errors.js'
import {readManifest} from '../../src/manifest/reader.js'
import {prepareAd, type PrepareAdOptions} from '../../src/prepare/ad.js'
import type {AdBenchmark} from '../../datasets/types.js'
import {buildTar, buildTarGz, buildZip, REPO_ROOT, type ArchiveEntry} from '../helpers/archives.js'
import {pcmWav, syntheticToyCarClip, toyCarEntry} from '../helpers/toycar.js'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
/** The shortest clip ad01 accepts (250 frames), to keep this suite quick; one clip is a full 10 seconds. */
const SHORT = 127_488

/** The test clips of the synthetic source, by file name. */
const CLIPS: Record<string, Int16Array> = {
  'normal_id_01_00000000.wav': syntheticToyCarClip(10, SHORT),
  'normal_id_01_00000003.wav': syntheticToyCarClip(11),
  'normal_id_02_00000003.wav': syntheticToyCarClip(12, SHORT),
  'anomaly_id_01_00000003.wav': syntheticToyCarClip(13, SHORT),
  'anomaly_id_01_00000013.wav': syntheticToyCarClip(14, SHORT),
}
const stimulusOf = (clip: string) => clip.replace('.wav', '_hist_librosa.bin')

function expectUserError(error: unknown, ...texts: string[]) {
  expect(error).toBeInstanceOf(UserError)
  const message = (error as Error).message
  expect(message.split('\n')).toHaveLength(1)
  for (const text of texts) expect(message).toContain(text)
}

describe('prepare ad: selection by name, order, output layout, checksum state and bad input', () => {
  let dir: string
  let benchmark: AdBenchmark
  let testEntries: ArchiveEntry[]

  const write = async (name: string, bytes: Uint8Array | string) => {
    const path = join(dir, name)
    await writeFile(path, bytes)
    return path
  }
  const writeFolder = async (name: string, entries: readonly ArchiveEntry[]) => {
    for (const entry of entries) {
      await mkdir(dirname(join(dir, name, entry.path)), {recursive: true})
      await writeFile(join(dir, name, entry.path), entry.bytes)
    }
    return join(dir, name)
  }
  const run = (options: Partial<PrepareAdOptions> & {source: string}) => prepareAd({benchmark, out: join(dir, 'out'), ...options})
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error)

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-ad-select-'))
    // Lists in the format of manifests/labels/ad01*.csv: the official one out of name order, as ad01_alt.csv is.
    const row = (clip: string, label: number) => `${stimulusOf(clip)},2,${label},2560,512\n`
    const official = await write('official.csv', row('normal_id_02_00000003.wav', 0) + row('normal_id_01_00000003.wav', 0) + row('anomaly_id_01_00000003.wav', 1))
    const alt = await write('alt.csv', row('anomaly_id_01_00000013.wav', 1))
    // One pinned hash is the real one of our bytes, one is not: parity must tell them apart.
    const pinned = await write(
      'official_stimulus_sha256.tsv',
      `benchmark\tfile\tsha256\nad01\t${stimulusOf('normal_id_01_00000003.wav')}\t${sha256(adStimulusBytes(CLIPS['normal_id_01_00000003.wav']!))}\nad01\t${stimulusOf('anomaly_id_01_00000003.wav')}\t${'0'.repeat(64)}\n`,
    )
    benchmark = {...ad01, lists: {official, alt}, officialStimuli: {table: pinned, set: 'ad01'}}
    testEntries = Object.entries(CLIPS).map(([file, samples]) => toyCarEntry(file, samples))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  /** The synthetic dev_data_ToyCar layout: test clips, a training clip of the same name, and files that are no clips. */
  const fullLayout = () => [
    {path: 'dev_data/ToyCar/README.txt', bytes: Buffer.from('not a clip')},
    toyCarEntry('normal_id_01_00000003.wav', syntheticToyCarClip(99, 1000), {folder: 'train'}),
    ...testEntries,
    {path: 'dev_data/ToyCar/test/.DS_Store', bytes: Buffer.from([0, 1, 2])},
  ]

  it('official: selects the listed clips by name, writes them in list order with the 5-field y_labels rows', async () => {
    const source = await write('dev_data_ToyCar.zip', buildZip(fullLayout()))
    const result = await run({source})
    expect(result.clipsRead).toBe(5)
    expect(result.filesWritten).toBe(3)
    expect(result.official).toEqual({list: 'official.csv', expected: 3, found: 3, missing: []})
    expect(result.windowing).toEqual({frames: 5, bytes: 2560, strideBytes: 512, perStimulus: 196})
    const folder = join(dir, 'out/ad01')
    expect(await readFile(join(folder, 'y_labels.csv'), 'utf8')).toBe(
      'normal_id_02_00000003_hist_librosa.bin,2,0,2560,512\nnormal_id_01_00000003_hist_librosa.bin,2,0,2560,512\nanomaly_id_01_00000003_hist_librosa.bin,2,1,2560,512\n',
    )
    expect((await readdir(folder)).sort()).toEqual([
      'anomaly_id_01_00000003_hist_librosa.bin', 'manifest.arrow', 'normal_id_01_00000003_hist_librosa.bin', 'normal_id_02_00000003_hist_librosa.bin', 'y_labels.csv',
    ])
    for (const clip of ['normal_id_01_00000003.wav', 'normal_id_02_00000003.wav', 'anomaly_id_01_00000003.wav']) {
      const bytes = await readFile(join(folder, stimulusOf(clip)))
      expect(bytes.length).toBe(102_400)
      expect(bytes.equals(Buffer.from(adStimulusBytes(CLIPS[clip]!)))).toBe(true)
    }
    expect(result.parity).toEqual({compared: 2, identical: 1, differing: ['anomaly_id_01_00000003_hist_librosa.bin']})
  })

  it('records the stimuli, the recipe and the 5-frame window in manifest.arrow', async () => {
    const {records, meta} = await readManifest(join(dir, 'out/ad01/manifest.arrow'))
    expect(records.map((r) => [r.file, r.label, r.className, r.sourceMember, r.dtype, r.shape, r.scale, r.zeroPoint, r.subset])).toEqual([
      ['normal_id_02_00000003_hist_librosa.bin', 0, 'normal', 'dev_data/ToyCar/test/normal_id_02_00000003.wav', 'float32', [200, 128], 1, 0, 'official'],
      ['normal_id_01_00000003_hist_librosa.bin', 0, 'normal', 'dev_data/ToyCar/test/normal_id_01_00000003.wav', 'float32', [200, 128], 1, 0, 'official'],
      ['anomaly_id_01_00000003_hist_librosa.bin', 1, 'anomaly', 'dev_data/ToyCar/test/anomaly_id_01_00000003.wav', 'float32', [200, 128], 1, 0, 'official'],
    ])
    expect(records[1]!.stimulusSha256).toBe(sha256(records[1]!.bytes))
    expect(records[1]!.sourceSha256).toBe(sha256(new Uint8Array(CLIPS['normal_id_01_00000003.wav']!.buffer)))
    expect(meta.benchmark).toBe('ad01')
    expect(meta.window).toEqual({frames: 5, bytes: 2560, stride_bytes: 512, per_stimulus: 196})
    expect(meta.recipe).toMatchObject({
      frames: {first: 50, last: 249, count: 200},
      window: {frames: 5, bytes: 2560, stride_bytes: 512, per_stimulus: 196},
      mel: {scale: 'slaney', bands: 128},
    })
    expect(meta.source).toMatchObject({file: 'dev_data_ToyCar.zip', kind: 'zip'})
  })

  it('states that the archive checksum could not be verified (none is published), and why, without failing', async () => {
    const source = join(dir, 'dev_data_ToyCar.zip')
    const result = await run({source})
    expect(result.source.checksum).toBe('not verified (no published checksum)')
    expect(result.source.sha256).toBe(sha256(await readFile(source)))
    expect(result.warnings).toEqual([`dev_data_ToyCar.zip: not verified, because no checksum of dev_data_ToyCar.zip is published (DCASE gives none); this file's sha256 is ${result.source.sha256}`])
    expect((await run({source, verify: false})).source.checksum).toBe('not verified (--no-verify)')
  })

  it('checks a pinned checksum once one is pinned', async () => {
    const source = join(dir, 'dev_data_ToyCar.zip')
    const withPin = (sha: string): AdBenchmark => ({...benchmark, source: {...benchmark.source, files: [{...benchmark.source.files[0]!, sha256: sha}]}})
    const right = await prepareAd({benchmark: withPin(sha256(await readFile(source))), source, out: join(dir, 'out')})
    expect(right.source.checksum).toBe('verified')
    expect(right.warnings).toEqual([])
    const error = await failure(prepareAd({benchmark: withPin('f'.repeat(64)), source, out: join(dir, 'pinned-wrong')}))
    expectUserError(error, `${source}: sha256 `, `is not the pinned ${'f'.repeat(64)}`, '--no-verify')
    expect(existsSync(join(dir, 'pinned-wrong/ad01'))).toBe(false)
  })

  it('all: every test clip, normal before anomaly, by machine id and number; a zip, a tar.gz and folders agree', async () => {
    const zip = await run({source: join(dir, 'dev_data_ToyCar.zip'), subset: 'all', out: join(dir, 'all-zip')})
    const tarGz = await run({source: await write('dev_data_ToyCar.tar.gz', await buildTarGz([...fullLayout()].reverse())), subset: 'all', out: join(dir, 'all-tar')})
    const folder = await run({source: await writeFolder('extracted', fullLayout()), subset: 'all', out: join(dir, 'all-folder')})
    // A --source that points at test/ itself: the clips sit at the top.
    const testFolder = await run({source: join(dir, 'extracted/dev_data/ToyCar/test'), subset: 'all', out: join(dir, 'all-test')})
    const expected = [
      'normal_id_01_00000000_hist_librosa.bin,2,0,2560,512',
      'normal_id_01_00000003_hist_librosa.bin,2,0,2560,512',
      'normal_id_02_00000003_hist_librosa.bin,2,0,2560,512',
      'anomaly_id_01_00000003_hist_librosa.bin,2,1,2560,512',
      'anomaly_id_01_00000013_hist_librosa.bin,2,1,2560,512',
    ]
    for (const result of [zip, tarGz, folder, testFolder]) {
      expect(result.filesWritten).toBe(5)
      expect(result.official).toBeNull()
      expect((await readFile(join(result.outputDir, 'y_labels.csv'), 'utf8')).trimEnd().split('\n')).toEqual(expected)
      expect(sha256(await readFile(join(result.outputDir, 'anomaly_id_01_00000013_hist_librosa.bin')))).toBe(sha256(adStimulusBytes(CLIPS['anomaly_id_01_00000013.wav']!)))
    }
    expect(folder.source).toMatchObject({kind: 'folder', sha256: null, checksum: 'none (a folder)'})
    expect(folder.warnings).toEqual([])
    expect(zip.parity).toMatchObject({compared: 2, identical: 1})
  })

  it('official with the embedded list: y_labels.csv is byte-identical to the official one, parity is reported', async () => {
    const clip = syntheticToyCarClip(1, SHORT)
    const officialNames = (await readFile(join(REPO_ROOT, 'manifests/labels/ad01.csv'), 'utf8')).trimEnd().split('\n').map((row) => row.split(',')[0]!)
    // Reversed, so that the order must come from the list and not from the archive.
    const entries = officialNames.map((file) => toyCarEntry(file.replace('_hist_librosa.bin', '.wav'), clip)).reverse()
    const source = await write('official-names.tar', await buildTar(entries))
    const result = await prepareAd({benchmark: ad01, source, out: join(dir, 'official-names'), verify: false})
    expect(result.official).toEqual({list: 'ad01.csv', expected: 248, found: 248, missing: []})
    expect((await readFile(join(result.outputDir, 'y_labels.csv'))).equals(await readFile(join(REPO_ROOT, 'manifests/labels/ad01.csv')))).toBe(true)
    // Generated audio cannot give the official bytes; the comparison itself is what is checked here.
    expect(result.parity).toMatchObject({compared: 248, identical: 0})
  })

  it('alt: the alt list', async () => {
    const result = await run({source: join(dir, 'dev_data_ToyCar.zip'), subset: 'alt', out: join(dir, 'alt')})
    expect(result.official).toEqual({list: 'alt.csv', expected: 1, found: 1, missing: []})
    expect(await readFile(join(result.outputDir, 'y_labels.csv'), 'utf8')).toBe('anomaly_id_01_00000013_hist_librosa.bin,2,1,2560,512\n')
    expect(result.parity).toBeNull()
  })

  it('lacking listed clips is an error unless --allow-missing, which writes the ones found', async () => {
    const source = await write('partial.zip', buildZip(testEntries.filter((entry) => !entry.path.endsWith('normal_id_02_00000003.wav'))))
    const error = await failure(run({source, out: join(dir, 'partial')}))
    expectUserError(error, `${source}: holds 2 of the 3 official ad01 clips (missing normal_id_02_00000003_hist_librosa.bin); --allow-missing`)
    expect(existsSync(join(dir, 'partial/ad01'))).toBe(false)
    const result = await run({source, out: join(dir, 'partial'), allowMissing: true})
    expect(result.official).toEqual({list: 'official.csv', expected: 3, found: 2, missing: ['normal_id_02_00000003_hist_librosa.bin']})
    expect(result.filesWritten).toBe(2)
  })

  it('holding none of the listed clips is an error that says how they are selected', async () => {
    const source = await write('others.zip', buildZip([toyCarEntry('normal_id_03_00000001.wav', syntheticToyCarClip(1, SHORT))]))
    expectUserError(await failure(run({source})), `${source}: holds none of the 3 official ad01 clips (selected by name: normal_id_02_00000003_hist_librosa.bin is made from test/normal_id_02_00000003.wav)`)
  })

  it('warns about a second copy of a clip and uses the first', async () => {
    const source = await writeFolder('twice', [...testEntries, {path: `copy/test/normal_id_01_00000003.wav`, bytes: encodeWav(syntheticToyCarClip(5, SHORT), 16000)}])
    const result = await run({source, subset: 'all', out: join(dir, 'twice-out')})
    expect(result.filesWritten).toBe(5)
    expect(result.warnings).toEqual(['dev_data/ToyCar/test/normal_id_01_00000003.wav: a second copy of copy/test/normal_id_01_00000003.wav; the first is used'])
  })

  describe('bad input: one line naming the file and the member, nothing written', () => {
    const member = 'dev_data/ToyCar/test/normal_id_01_00000003.wav'
    const withClip = async (name: string, bytes: Uint8Array) => {
      const source = await write(name, buildZip([...testEntries.filter((entry) => entry.path !== member), {path: member, bytes}]))
      const error = await failure(run({source, out: join(dir, `bad-${name}`)}))
      expect(existsSync(join(dir, `bad-${name}/ad01`))).toBe(false)
      return {source, error}
    }

    it('a stereo WAV', async () => {
      const {source, error} = await withClip('stereo.zip', pcmWav({sampleRate: 16000, channels: 2, bitsPerSample: 16, frames: SHORT}))
      expectUserError(error, `${source}: ${member}: is 16000 Hz with 2 channels; DCASE ToyCar clips are 16 kHz mono 16-bit PCM`)
    })

    it('a 48 kHz WAV', async () => {
      const {source, error} = await withClip('48k.zip', pcmWav({sampleRate: 48000, channels: 1, bitsPerSample: 16, frames: 3 * SHORT}))
      expectUserError(error, `${source}: ${member}: is 48000 Hz with 1 channels`)
    })

    it('an 8-bit WAV', async () => {
      const {source, error} = await withClip('8bit.zip', pcmWav({sampleRate: 16000, channels: 1, bitsPerSample: 8, frames: SHORT}))
      expectUserError(error, `${source}: ${member}: WAV is not 16-bit integer PCM (format 1, 8-bit)`)
    })

    it('a truncated data chunk', async () => {
      const whole = encodeWav(syntheticToyCarClip(11, SHORT), 16000)
      const {source, error} = await withClip('truncated.zip', whole.subarray(0, whole.length - 1000))
      expectUserError(error, `${source}: ${member}: WAV data chunk is truncated`)
    })

    it('a clip shorter than 250 frames', async () => {
      const {source, error} = await withClip('short.zip', encodeWav(syntheticToyCarClip(11, 100_000), 16000))
      expectUserError(error, `${source}: ${member}: has 100000 samples (196 frames); ad01 keeps frames 50-249, so a clip needs at least 127488 samples (250 frames)`)
    })

    it('a WAV that is no WAV', async () => {
      const {source, error} = await withClip('garbage.zip', Buffer.from('this is not audio'))
      expectUserError(error, `${source}: ${member}: not a WAV file`)
    })

    it('a zip without the ToyCar layout', async () => {
      const source = await write('speech.zip', buildZip([{path: 'yes/0a7c2a8d_nohash_0.wav', bytes: encodeWav(new Int16Array(16000), 16000)}]))
      expectUserError(await failure(run({source})), `${source}: holds no DCASE 2020 ToyCar test clips (test/{normal,anomaly}_id_NN_NNNNNNNN.wav under dev_data/ToyCar/); ad01 is made from dev_data_ToyCar.zip`)
    })

    it('a zip of training clips only (eval_data_train_ToyCar.zip)', async () => {
      const source = await write('train.zip', buildZip([toyCarEntry('normal_id_05_00000000.wav', syntheticToyCarClip(1, 1000), {folder: 'train'})]))
      expectUserError(await failure(run({source})), `${source}: holds only training clips (train/); ad01 is made from the ToyCar test clips`)
    })

    it('the data of another machine (dev_data_fan.zip)', async () => {
      const source = await write('fan.zip', buildZip([toyCarEntry('normal_id_00_00000003.wav', syntheticToyCarClip(1, SHORT), {machine: 'fan'})]))
      expectUserError(await failure(run({source})), `${source}: holds fan clips (dev_data/fan/test/normal_id_00_00000003.wav); ad01 is made from the ToyCar clips of dev_data_ToyCar.zip`)
    })

    it('a corrupt zip', async () => {
      const zip = buildZip(testEntries)
      const source = await write('corrupt.zip', zip.subarray(0, zip.length - 30))
      expectUserError(await failure(run({source})), `${source}: corrupt zip`)
    })

    it('a missing source', async () => {
      const source = join(dir, 'nowhere.zip')
      expectUserError(await failure(run({source})), `${source}: does not exist or cannot be read`)
    })
  })
})
