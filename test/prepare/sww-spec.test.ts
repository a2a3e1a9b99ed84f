/**
 * prepare sww's refusals, each one line naming the spec entry (missing member, past the end, overlapping wakewords,
 * a source rate other than 16 kHz, …), the official specs as pinned, and the output format (header, int16 wrap).
 */
import {mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {sww01} from '../../datasets/sww01.js'
import {stereoWavChunks, trimWakeword} from '../../src/audio/sww-mix.js'
import {encodeWav, pcmWavHeader} from '../../src/audio/wav.js'
import {UserError} from '../../src/errors.js'
import {packageFile} from '../../src/package-files.js'
import {prepareSww} from '../../src/prepare/sww.js'
import {parseSwwSpec} from '../../src/prepare/sww-spec.js'
import {buildTar, REPO_ROOT} from '../helpers/archives.js'

const tone = (length: number, level = 5000) => Int16Array.from({length}, (_, i) => Math.round(level * Math.sin(i / 7) * Math.sin((Math.PI * i) / length)))

describe('the official specs, as pinned', () => {
  it('short: 1 background and 3 wakewords over 10 s; long: 19 and 50 over 1200 s', async () => {
    const parse = async (name: 'short' | 'long') => {
      const file = packageFile(sww01.build.official[name].spec)
      return parseSwwSpec(await readFile(file, 'utf8'), file, sww01.build)
    }
    const [short, long] = await Promise.all([parse('short'), parse('long')])
    expect([short.lengthSec, short.backgrounds.length, short.wakewords.length]).toEqual([10, 1, 3])
    expect(short.backgrounds[0]).toMatchObject({source: 'musan', member: 'music/hd-classical/music-hd-0002.wav', startSec: 5, stopSec: 10, rms: 0.05})
    expect(short.wakewords.map((wakeword) => [wakeword.member, wakeword.insertSec, wakeword.amplitude])).toEqual([
      ['marvin/aef8dcf5_nohash_0.wav', 1, 0.7], ['marvin/24ad3ebe_nohash_1.wav', 4, 0.8], ['marvin/5c8af87a_nohash_0.wav', 7, 0.9],
    ])
    expect([long.lengthSec, long.backgrounds.length, long.wakewords.length]).toEqual([1200, 19, 50])
    // The runner's truth file (bundled verbatim) starts its 50 windows at the spec's insertion times (stimuli.md §5.2 step 6).
    const truth = JSON.parse(await readFile(join(REPO_ROOT, 'manifests/sww01/truth/sww_long_test.json'), 'utf8'))
    expect(long.wakewords.map((wakeword) => wakeword.insertSec)).toEqual(truth[0].detection_windows.map((window: number[]) => window[0]))
  })
})

describe('the output format', () => {
  it('the stereo WAV has the canonical 44-byte header of short_wav_easy10s.wav', () => {
    const header = Buffer.from(pcmWavHeader(160_000, 16_000, 2)).toString('hex')
    expect(header).toBe('52494646' + '24c40900' + '57415645' + '666d7420' + '10000000' + '0100' + '0200' + '803e0000' + '00fa0000' + '0400' + '1000' + '64617461' + '00c40900')
  })

  it('int16 truncates toward zero, the positive peak wraps to −32768, both channels alike, in pieces of any size', () => {
    const mix = Float32Array.of(2, -1.99999, 0.5, -0.00002, -2)
    const samples = (framesPerChunk: number) => {
      const wav = Buffer.concat([...stereoWavChunks(mix, 2, 16_000, framesPerChunk)])
      expect(wav.subarray(0, 44)).toEqual(Buffer.from(pcmWavHeader(5, 16_000, 2)))
      return Array.from(new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length)))
    }
    const expected = [-32768, -32767, 8192, 0, -32768].flatMap((sample) => [sample, sample])
    expect(samples(2)).toEqual(expected)
    expect(samples(1 << 16)).toEqual(expected)
  })

  it('the trim keeps the first to (excluding) the last sample above the signed max · 0.05', () => {
    // max 1000, threshold 50: a larger negative excursion does not count.
    expect(Array.from(trimWakeword(Int16Array.of(0, -3000, 50, 51, 1000, 7, 60, 3), 0.05))).toEqual([51, 1000, 7])
    expect(trimWakeword(Int16Array.of(0, 0, 0), 0.05).length).toBe(0)
  })
})

describe('a spec prepare sww refuses, naming the entry', () => {
  let work: string
  const speechCommands = () => join(work, 'speech_commands')
  const musan = () => join(work, 'musan')
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-sww-spec-'))
    const clips: Array<[string, Uint8Array]> = [
      [join(speechCommands(), 'marvin/a_nohash_0.wav'), encodeWav(tone(8000), 16000)],
      [join(speechCommands(), 'marvin/b_nohash_0.wav'), encodeWav(tone(8000), 16000)],
      [join(speechCommands(), 'marvin/at8k_nohash_0.wav'), encodeWav(tone(8000), 8000)],
      [join(speechCommands(), 'marvin/a69b9b3e_nohash_0.wav'), encodeWav(tone(8000), 16000)],
      [join(musan(), 'musan/noise/free-sound/noise-free-sound-0000.wav'), encodeWav(tone(32000, 900), 16000)],
    ]
    for (const [path, bytes] of clips) {
      await mkdir(dirname(path), {recursive: true})
      await writeFile(path, bytes)
    }
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  const spec = (changes: Record<string, unknown>) => ({
    configs_background: [['{musan_path}/noise/free-sound/noise-free-sound-0000.wav', 0.0, 2.0, 0.1]],
    configs_wakeword: [['{speech_commands_path}/marvin/a_nohash_0.wav', 0.2, 0.5], ['{speech_commands_path}/marvin/b_nohash_0.wav', 1.0, 0.5]],
    length_sec: 2.0,
    sample_rate: 16000,
    ...changes,
  })
  const prepare = async (content: unknown, name = 'test_spec.json') => {
    const file = join(work, name)
    await writeFile(file, JSON.stringify(content))
    return prepareSww({benchmark: sww01, sources: {speechCommands: speechCommands(), musan: musan()}, out: join(work, 'out'), build: {spec: file}, verify: true})
  }
  const refusal = async (content: unknown) => {
    const error = await prepare(content).then(() => undefined, (caught: unknown) => caught)
    expect(error).toBeInstanceOf(UserError)
    const message = (error as Error).message
    expect(message).toContain('test_spec.json')
    expect(message).not.toContain('\n')
    return message
  }

  it("a good spec builds from extracted folders (MUSAN's under its musan/ root) into <out>/sww01/", async () => {
    const result = await prepare(spec({}), 'good_spec.json')
    expect(await readdir(join(work, 'out/sww01'))).toEqual(['good.json', 'good.wav'])
    expect(result.sources.musan).toMatchObject({kind: 'folder', checksum: 'none (a folder)', clipsRead: 1})
    expect(JSON.parse(await readFile(result.truthFile, 'utf8'))[0].detection_windows).toHaveLength(2)
  })

  it('an archive without a pinned checksum is left once its clips are read (the rest of a damaged MUSAN tar is never reached)', async () => {
    const noise = encodeWav(tone(32000, 900), 16000)
    const tar = await buildTar([
      {path: 'musan/noise/free-sound/noise-free-sound-0000.wav', bytes: noise},
      {path: 'musan/noise/free-sound/noise-free-sound-0001.wav', bytes: noise},
    ])
    const damaged = join(work, 'musan-damaged.tar')
    await writeFile(damaged, tar.subarray(0, tar.length - 20_000))
    const file = join(work, 'early_spec.json')
    await writeFile(file, JSON.stringify(spec({})))
    const result = await prepareSww({benchmark: sww01, sources: {speechCommands: speechCommands(), musan: damaged}, out: join(work, 'out'), build: {spec: file}, verify: true})
    expect(result.sources.musan).toMatchObject({kind: 'tar', sha256: null, checksum: 'not verified (no published checksum)', clipsRead: 1})
    // The same archive, read to its damaged end when the clip wanted is the second one.
    await writeFile(file, JSON.stringify(spec({configs_background: [['{musan_path}/noise/free-sound/noise-free-sound-0001.wav', 0.0, 2.0, 0.1]]})))
    await expect(prepareSww({benchmark: sww01, sources: {speechCommands: speechCommands(), musan: damaged}, out: join(work, 'out'), build: {spec: file}, verify: true}))
      .rejects.toThrow(/musan-damaged\.tar: corrupt tar archive/)
  })

  it('a wakeword of bad_marvin_files.txt is warned about, not refused', async () => {
    const bad = ['{speech_commands_path}/marvin/a69b9b3e_nohash_0.wav', 1.0, 0.5]
    const result = await prepare(spec({configs_wakeword: [bad]}), 'bad_spec.json')
    expect(result.warnings).toEqual(['configs_wakeword[0] ({speech_commands_path}/marvin/a69b9b3e_nohash_0.wav): listed in bad_marvin_files.txt (the reference never uses it as a wakeword)'])
  })

  it('a member the source lacks', async () => {
    const missing = ['{speech_commands_path}/marvin/none_nohash_0.wav', 1.0, 0.5]
    expect(await refusal(spec({configs_wakeword: [missing]}))).toMatch(/configs_wakeword\[0\] \(\{speech_commands_path\}\/marvin\/none_nohash_0\.wav\): no such member in .*speech_commands/)
  })

  it('a background segment or a wakeword past the end', async () => {
    expect(await refusal(spec({length_sec: 1.5}))).toMatch(/configs_background\[0\] .*: the segment \[0, 2\] s ends past the end \(length_sec 1\.5\)/)
    const late = ['{speech_commands_path}/marvin/b_nohash_0.wav', 1.9, 0.5]
    expect(await refusal(spec({configs_wakeword: [late]}))).toMatch(/configs_wakeword\[0\] .*: the trimmed clip \(\d+ samples\) at 1\.9 s ends past the end/)
    expect(await refusal(spec({configs_wakeword: [['{speech_commands_path}/marvin/b_nohash_0.wav', 2.0, 0.5]]}))).toMatch(/configs_wakeword\[0\] .*: insertion at 2 s is outside \[0, 2\) s/)
  })

  it('a background clip shorter than its segment', async () => {
    const long = ['{speech_commands_path}/marvin/a_nohash_0.wav', 0.0, 1.0, 0.1]
    expect(await refusal(spec({configs_background: [long]}))).toMatch(/configs_background\[0\] .*: the clip has 8000 samples, the segment needs 16000/)
  })

  it('two wakewords that overlap', async () => {
    const overlapping = [['{speech_commands_path}/marvin/a_nohash_0.wav', 0.2, 0.5], ['{speech_commands_path}/marvin/b_nohash_0.wav', 0.5, 0.5]]
    expect(await refusal(spec({configs_wakeword: overlapping}))).toMatch(/configs_wakeword\[1\] .*: overlaps configs_wakeword\[0\] .*\(window \[0\.2, 0\.\d+\] s\)/)
  })

  it('a clip or a spec at a rate other than 16 kHz', async () => {
    const at8k = ['{speech_commands_path}/marvin/at8k_nohash_0.wav', 1.0, 0.5]
    expect(await refusal(spec({configs_wakeword: [at8k]}))).toMatch(/configs_wakeword\[0\] .*: marvin\/at8k_nohash_0\.wav is sampled at 8000 Hz, not 16000/)
    expect(await refusal(spec({sample_rate: 8000}))).toMatch(/sample_rate is 8000, not 16000/)
  })

  it('a malformed entry or a path outside the two sources', async () => {
    expect(await refusal(spec({configs_wakeword: [['{speech_commands_path}/marvin/a_nohash_0.wav', 0.2]]}))).toMatch(/configs_wakeword\[0\] is not \[path, insertion_s, amplitude\]/)
    expect(await refusal(spec({configs_wakeword: [['/data/marvin/a_nohash_0.wav', 0.2, 0.5]]}))).toMatch(/configs_wakeword\[0\] \(\/data\/marvin\/a_nohash_0\.wav\): the path must start with \{speech_commands_path\} or \{musan_path\}/)
    expect(await refusal('not a spec')).toMatch(/not an sww build spec/)
  })
})
