import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {adStimulusBytes} from '../../src/audio/ad-features.js'
import {buildZip, type ArchiveEntry} from '../helpers/archives.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {pcmWav, syntheticToyCarClip, toyCarEntry} from '../helpers/toycar.js'




const CLIPS = ['normal_id_01_00000000.wav', 'normal_id_01_00000001.wav', 'normal_id_02_00000000.wav', 'anomaly_id_01_00000000.wav', 'anomaly_id_03_00000007.wav']
const samplesOf = (index: number) => syntheticToyCarClip(20 + index)

describe.skipIf(!HAS_BUILT_CLI)('tinydata prepare ad (built CLI)', () => {
  let dir: string
  let entries: ArchiveEntry[]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-ad-cli-'))
    entries = CLIPS.map((file, index) => toyCarEntry(file, samplesOf(index)))
    await writeFile(join(dir, 'dev_data_ToyCar.zip'), buildZip(entries))
    for (const entry of entries) {
      await mkdir(dirname(join(dir, 'extracted', entry.path)), {recursive: true})
      await writeFile(join(dir, 'extracted', entry.path), entry.bytes)
    }
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('--json on a zip: one JSON document; the worker threads make the same bytes as the calling thread', async () => {
    const out = join(dir, 'zip-out')
    const {code, stdout, stderr} = await tinydata('prepare', 'ad', '--source', join(dir, 'dev_data_ToyCar.zip'), '--subset', 'all', '--out', out, '--threads', '2', '--json')
    expect(code, stderr).toBe(0)
    expect(stderr).toBe('')
    const json = JSON.parse(stdout)
    expect(json).toMatchObject({
      benchmark: 'ad01',
      subset: 'all',
      clips_read: 5,
      files_written: 5,
      windowing: {frames: 5, bytes: 2560, stride_bytes: 512, per_stimulus: 196},
      source: {kind: 'zip', checksum: 'not verified (no published checksum)'},
      official: null,
    })
    expect(json.warnings[0]).toContain('no checksum of dev_data_ToyCar.zip is published')
    for (const [index, file] of CLIPS.entries()) {
      const written = await readFile(join(out, 'ad01', file.replace('.wav', '_hist_librosa.bin')))
      expect(written.equals(Buffer.from(adStimulusBytes(samplesOf(index)))), file).toBe(true)
    }
    expect((await readFile(join(out, 'ad01/y_labels.csv'), 'utf8')).split('\n')[0]).toBe('normal_id_01_00000000_hist_librosa.bin,2,0,2560,512')
  })

  it('prints a short summary for a folder', async () => {
    const out = join(dir, 'folder-out')
    const {code, stdout} = await tinydata('prepare', 'ad', '--source', join(dir, 'extracted'), '--subset', 'all', '--out', out)
    expect(code).toBe(0)
    expect(stdout).toContain(`Wrote 5 ad01 stimuli (all subset; float32 log-mel, 200 frames x 128 bands) to ${out}/ad01/`)
    expect(stdout).toContain('checksum none (a folder)), 5 ToyCar test clips read')
    expect(stdout).toContain('196 per stimulus: 5 frames (2560 bytes) every 512 bytes')
  })

  it('the official subset of a source without those clips is a one-line error, exit code 2', async () => {
    const {code, stderr} = await tinydata('prepare', 'ad', '--source', join(dir, 'dev_data_ToyCar.zip'), '--out', join(dir, 'none'))
    expect(code).toBe(2)
    expectOneLineError(stderr, 'holds none of the 248 official ad01 clips')
  })

  it('without --source takes the archive from the download cache, and offline says it is not there', async () => {
    const {code, stderr} = await tinydata('prepare', 'ad', '--offline')
    expect(code).toBe(2)
    expectOneLineError(stderr, 'dev_data_ToyCar.zip: is not in the cache')
  })

  it('a stereo clip in --json mode is a JSON error naming the archive and member', async () => {
    const source = join(dir, 'stereo.zip')
    await writeFile(source, buildZip([{path: 'dev_data/ToyCar/test/normal_id_01_00000003.wav', bytes: pcmWav({sampleRate: 16000, channels: 2, bitsPerSample: 16, frames: 1000})}]))
    const {code, stdout} = await tinydata('prepare', 'ad', '--source', source, '--out', join(dir, 'stereo-out'), '--json')
    expect(code).toBe(2)
    expect(JSON.parse(stdout)).toEqual({
      error: {code: 'user_error', message: `${source}: dev_data/ToyCar/test/normal_id_01_00000003.wav: is 16000 Hz with 2 channels; DCASE ToyCar clips are 16 kHz mono 16-bit PCM`},
    })
  })

  it('refuses a clip larger than any ToyCar clip before inflating it (a 9-hour WAV), naming archive, member and limit', async () => {
    const source = join(dir, 'long.zip')
    const member = 'dev_data/ToyCar/test/normal_id_01_00000004.wav'
    // 30 minutes of silence: 57.6 MB that deflate to a few kB
    await writeFile(source, buildZip([{path: member, bytes: pcmWav({sampleRate: 16000, channels: 1, bitsPerSample: 16, frames: 16000 * 1800})}]))
    const {code, stderr} = await tinydata('prepare', 'ad', '--source', source, '--subset', 'all', '--out', join(dir, 'long-out'))
    expect(code).toBe(2)
    expectOneLineError(stderr, `${source}: ${member} is 57600044 bytes, more than the 1048576 bytes of the largest member this source may hold`)
  })

  it('rejects an unknown subset', async () => {
    const {code, stderr} = await tinydata('prepare', 'ad', '--subset', 'eval')
    expect(code).not.toBe(0)
    expect(stderr).toContain('Expected --subset=eval to be one of: official, alt, all')
  })
})
