import {createHash} from 'node:crypto'
import {mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {kws01} from '../../datasets/kws01.js'
import {encodeWav} from '../../src/audio/wav.js'
import {UserError} from '../../src/errors.js'
import {prepareKws, type PrepareKwsOptions} from '../../src/prepare/kws.js'
import {int16LittleEndianBytes} from '../../src/audio/little-endian.js'
import type {KwsBenchmark} from '../../datasets/types.js'
import {type ArchiveEntry, buildTarGz, noiseClip} from '../helpers/archives.js'


function padded(samples: Int16Array): Int16Array {
  const out = new Int16Array(16000)
  out.set(samples)
  return out
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

describe('prepare kws: selection by content, naming, atomic output and bad input', () => {
  let dir: string
  let benchmark: KwsBenchmark
  const clipA = noiseClip(1, 15000) // shorter than a second: selected by the hash of its zero-padded samples
  const clipB = noiseClip(2)
  const clipC = noiseClip(3)

  const write = async (name: string, entries: ArchiveEntry[]) => {
    const path = join(dir, name)
    await writeFile(path, await buildTarGz(entries))
    return path
  }
  const run = (options: Partial<PrepareKwsOptions> & {source: string}) =>
    prepareKws({benchmark, out: join(dir, 'out'), verify: false, ...options})

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-kws-select-'))
    // A pinned table in the format of manifests/kws01_official_hashes.tsv: clip A carries two official names,
    // as six real clips do.
    const row = (file: string, label: number, name: string, clip: Int16Array) => `${file}\t${label}\t${name}\t${sha256(int16LittleEndianBytes(padded(clip)))}\t-\t-`
    const table = join(dir, 'hashes.tsv')
    await writeFile(table, ['file\tlabel\tclass\tpcm_sha256\tmfcc_sha256\tlfbe_sha256', row('tst_000000_Yes_9.bin', 9, 'Yes', clipA), row('tst_000001_Down_0.bin', 0, 'Down', clipB), row('tst_000002_Yes_9.bin', 9, 'Yes', clipA), row('tst_000003_Silence_10.bin', 10, 'Silence', clipC)].join('\n') + '\n')
    benchmark = {...kws01, officialHashes: table, officialCount: 4}
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('finds the official clips by content, writes both names of a duplicated clip, and skips the rest', async () => {
    const source = await write('a.tar.gz', [
      {path: 'down/b_nohash_0.wav', bytes: encodeWav(clipB, 16000)},
      {path: 'yes/a_nohash_0.wav', bytes: encodeWav(clipA, 16000)},
      {path: '_unknown_/other_nohash_0.wav', bytes: encodeWav(noiseClip(9), 16000)},
      {path: '_silence_/c_nohash_0.wav', bytes: encodeWav(clipC, 16000)},
      {path: 'README.md', bytes: Buffer.from('top-level files are not clips')},
    ])
    const result = await run({source, variant: 'td_samples'})
    expect(result.official).toEqual({expected: 4, found: 4, missing: []})
    expect(result.clipsRead).toBe(4)
    const labels = await readFile(join(dir, 'out/kws01/y_labels.csv'), 'utf8')
    expect(labels).toBe('tst_000000_Yes_9.bin,12,9\ntst_000001_Down_0.bin,12,0\ntst_000002_Yes_9.bin,12,9\ntst_000003_Silence_10.bin,12,10\n')
    const a0 = await readFile(join(dir, 'out/kws01/tst_000000_Yes_9.bin'))
    expect(a0.equals(await readFile(join(dir, 'out/kws01/tst_000002_Yes_9.bin')))).toBe(true)
    expect(a0.equals(Buffer.from(int16LittleEndianBytes(padded(clipA))))).toBe(true)
    expect((await readdir(join(dir, 'out/kws01'))).sort()).toEqual(['manifest.arrow', 'tst_000000_Yes_9.bin', 'tst_000001_Down_0.bin', 'tst_000002_Yes_9.bin', 'tst_000003_Silence_10.bin', 'y_labels.csv'])
  })

  it('serves the two names of a duplicated clip from its two members when the source has both', async () => {
    const source = await write('dup.tar.gz', [
      {path: 'yes/first_nohash_0.wav', bytes: encodeWav(clipA, 16000)},
      {path: 'yes/second_nohash_0.wav', bytes: encodeWav(clipA, 16000)},
      {path: 'down/b_nohash_0.wav', bytes: encodeWav(clipB, 16000)},
      {path: '_silence_/c_nohash_0.wav', bytes: encodeWav(clipC, 16000)},
    ])
    await run({source})
    const {readManifest} = await import('../../src/manifest/reader.js')
    const {records} = await readManifest(join(dir, 'out/kws01/manifest.arrow'))
    expect(records.map((r) => [r.file, r.sourceMember])).toEqual([
      ['tst_000000_Yes_9.bin', 'yes/first_nohash_0.wav'],
      ['tst_000001_Down_0.bin', 'down/b_nohash_0.wav'],
      ['tst_000002_Yes_9.bin', 'yes/second_nohash_0.wav'],
      ['tst_000003_Silence_10.bin', '_silence_/c_nohash_0.wav'],
    ])
  })

  it('fails when official clips are missing, unless --allow-missing, and then reports them', async () => {
    const source = await write('partial.tar.gz', [{path: 'down/b_nohash_0.wav', bytes: encodeWav(clipB, 16000)}])
    await expect(run({source})).rejects.toThrow(`${source}: holds 1 of the 4 official clips (missing tst_000000_Yes_9.bin, tst_000002_Yes_9.bin, tst_000003_Silence_10.bin); --allow-missing writes the ones found`)
    const result = await run({source, allowMissing: true, out: join(dir, 'partial-out')})
    expect(result.official).toEqual({expected: 4, found: 1, missing: ['tst_000000_Yes_9.bin', 'tst_000002_Yes_9.bin', 'tst_000003_Silence_10.bin']})
  })

  it('checks the archive against the pinned sha256 unless --no-verify', async () => {
    const source = await write('unpinned.tar.gz', [{path: 'down/b_nohash_0.wav', bytes: encodeWav(clipB, 16000)}])
    const error = await prepareKws({benchmark, source, out: join(dir, 'verify-out'), allowMissing: true}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(new RegExp(`^${source}: sha256 [0-9a-f]{64} is not the pinned cc2a00c1.* of speech_commands_test_set_v0\\.02\\.tar\\.gz`))
    await expect(stat(join(dir, 'verify-out/kws01'))).rejects.toThrow()
  })

  it.each([
    ['a non-WAV file in a label folder', [{path: 'yes/notes.txt', bytes: Buffer.from('x')}], 'yes/notes.txt: is not a .wav clip'],
    ['a .wav member that is not a WAV', [{path: 'yes/x.wav', bytes: Buffer.from('<html>')}], 'yes/x.wav: not a WAV file (no RIFF/WAVE header)'],
    ['a 44.1 kHz clip', [{path: 'yes/x.wav', bytes: encodeWav(noiseClip(4, 100), 44100)}], 'yes/x.wav: is 44100 Hz with 1 channels; Speech Commands clips are 16 kHz mono 16-bit PCM'],
    ['a clip longer than a second', [{path: 'yes/x.wav', bytes: encodeWav(noiseClip(5, 16001), 16000)}], 'yes/x.wav: has 16001 samples, more than the 16000 of a one-second clip'],
    ['an archive without clips', [{path: 'LICENSE', bytes: Buffer.from('x')}], 'holds no .wav clips in Speech Commands label folders'],
    ['an archive without official clips, even with --allow-missing', [{path: 'yes/x.wav', bytes: encodeWav(noiseClip(7), 16000)}], 'holds none of the 4 official clips'],
    ['the full archive', [{path: '_background_noise_/white_noise.wav', bytes: encodeWav(noiseClip(6), 16000)}], 'holds _background_noise_/, so it is the full Speech Commands archive'],
  ])('rejects %s with one line naming the archive and member', async (_what, entries, message) => {
    const source = await write('bad.tar.gz', entries)
    const error = await run({source, out: join(dir, 'bad-out'), allowMissing: true}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toContain(`${source}: ${message}`)
    expect((error as Error).message).not.toContain('\n')
  })

  it('keeps the previous output whole when a later run fails, and leaves no partial folder', async () => {
    const out = join(dir, 'keep')
    const good = await write('good.tar.gz', [{path: 'down/b_nohash_0.wav', bytes: encodeWav(clipB, 16000)}])
    await run({source: good, out, allowMissing: true})
    const before = await readFile(join(out, 'kws01/tst_000001_Down_0.bin'))
    const corrupt = join(dir, 'corrupt.tar.gz')
    const bytes = await readFile(good)
    await writeFile(corrupt, bytes.subarray(0, bytes.length - 30))
    await expect(run({source: corrupt, out, allowMissing: true})).rejects.toThrow(`${corrupt}: corrupt gzip data`)
    expect((await readFile(join(out, 'kws01/tst_000001_Down_0.bin'))).equals(before)).toBe(true)
    expect(await readdir(out)).toEqual(['kws01'])
  })

  it('removes the staging folders of killed runs, and only those', async () => {
    const out = join(dir, 'abandoned')
    const dead = '.kws01.partial-2147483646-deadbeef' // no process has that pid
    const live = `.kws01.partial-${process.pid}-0badcafe` // a run still going on
    const liveSetAside = `.kws01.old-${process.pid}-0badcafe` // a run still going on, between its two renames
    const other = '.ic01.partial-2147483646-deadbeef' // another benchmark's, left to its own next run
    for (const name of [dead, live, liveSetAside, other]) {
      await mkdir(join(out, name), {recursive: true})
      await writeFile(join(out, name, 'x.bin'), 'x')
    }
    const source = await write('abandoned.tar.gz', [{path: 'down/b_nohash_0.wav', bytes: encodeWav(clipB, 16000)}])
    await run({source, out, allowMissing: true})
    expect((await readdir(out)).sort()).toEqual([live, liveSetAside, other, 'kws01'].sort())
  })

  it('removes the previous folder a run killed while deleting it left set aside', async () => {
    const out = join(dir, 'killed-in-cleanup')
    const source = await write('cleanup.tar.gz', [{path: 'down/b_nohash_0.wav', bytes: encodeWav(clipB, 16000)}])
    await run({source, out, allowMissing: true})
    const halfDeleted = join(out, '.kws01.old-2147483646-deadbeef')
    await mkdir(halfDeleted)
    await writeFile(join(halfDeleted, 'tst_000003_Silence_10.bin'), 'x')
    await run({source, out, allowMissing: true})
    expect(await readdir(out)).toEqual(['kws01'])
  })

  it('puts back the previous folder a run killed between its two renames set aside, before judging what it holds', async () => {
    const out = join(dir, 'killed-between-renames')
    const source = await write('renames.tar.gz', [{path: 'down/b_nohash_0.wav', bytes: encodeWav(clipB, 16000)}])
    await run({source, out, allowMissing: true})
    await writeFile(join(out, 'kws01/notes.txt'), 'my own notes')
    const setAside = join(out, '.kws01.old-2147483646-deadbeef')
    await rename(join(out, 'kws01'), setAside)
    await expect(run({source, out, allowMissing: true})).rejects.toThrow(`${join(out, 'kws01/notes.txt')}: tinydata did not write it`)
    expect(await readdir(out)).toEqual(['kws01'])
    expect((await readdir(join(out, 'kws01'))).sort()).toEqual(['manifest.arrow', 'notes.txt', 'tst_000001_Down_0.bin', 'y_labels.csv'])
  })

  it('replaces a previous output folder as a whole', async () => {
    const out = join(dir, 'replace')
    const first = await write('first.tar.gz', [{path: 'down/b_nohash_0.wav', bytes: encodeWav(clipB, 16000)}])
    await run({source: first, out, allowMissing: true})
    const second = await write('second.tar.gz', [{path: '_silence_/c_nohash_0.wav', bytes: encodeWav(clipC, 16000)}])
    await run({source: second, out, allowMissing: true})
    expect((await readdir(join(out, 'kws01'))).sort()).toEqual(['manifest.arrow', 'tst_000003_Silence_10.bin', 'y_labels.csv'])
    expect(await readdir(out)).toEqual(['kws01'])
  })

  it('names the output folder when it cannot be written', async () => {
    const source = await write('ok.tar.gz', [{path: 'down/b_nohash_0.wav', bytes: encodeWav(clipB, 16000)}])
    const blocker = join(dir, 'a-file')
    await writeFile(blocker, 'not a folder')
    await expect(run({source, out: join(blocker, 'out'), allowMissing: true})).rejects.toThrow(new RegExp(`^${blocker}/out: cannot create the output folder \\((ENOTDIR|EEXIST)\\)`))
  })

  it('warns when an official clip sits in another label folder, and keeps the official label', async () => {
    const source = await write('moved.tar.gz', [{path: 'go/b_nohash_0.wav', bytes: encodeWav(clipB, 16000)}])
    const result = await run({source, allowMissing: true, out: join(dir, 'moved-out')})
    expect(result.warnings).toEqual(['go/b_nohash_0.wav: is official tst_000001_Down_0.bin but lies in folder go/ (label 1); the official label is kept'])
    expect(await readFile(join(dir, 'moved-out/kws01/y_labels.csv'), 'utf8')).toBe('tst_000001_Down_0.bin,12,0\n')
  })

  it('accepts an extracted folder without an archive checksum', async () => {
    const folder = join(dir, 'folder-source')
    await mkdir(join(folder, 'down'), {recursive: true})
    await writeFile(join(folder, 'down/b_nohash_0.wav'), encodeWav(clipB, 16000))
    const result = await prepareKws({benchmark, source: folder, out: join(dir, 'folder-out'), allowMissing: true})
    expect(result.source.checksum).toBe('none (a folder)')
  })
})
