/**
 * prepare sww against the numpy oracle (sww-oracle.py, stimuli.md §5.2 in numpy): generated clips in the real archive
 * layouts (Speech Commands `./<word>/<clip>.wav` in a tar.gz, MUSAN `musan/<kind>/…/<clip>.wav` in a tar), one spec,
 * and the two WAVs compared byte for byte, with the truth windows.
 */
import {execFileSync} from 'node:child_process'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {sww01} from '../../datasets/sww01.js'
import {numpyStd} from '../../src/audio/sww-mix.js'
import {encodeWav} from '../../src/audio/wav.js'
import {prepareSww, type PrepareSwwResult} from '../../src/prepare/sww.js'
import {clipKey, SwwMixer} from '../../src/prepare/sww-mixer.js'
import {parseSwwSpec} from '../../src/prepare/sww-spec.js'
import {buildTar, buildTarGz, REPO_ROOT} from '../helpers/archives.js'

const ORACLE = join(REPO_ROOT, 'test/prepare/sww-oracle.py')
const HAS_NUMPY = (() => {
  try {
    execFileSync('python3', ['-c', 'import numpy'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
})()
if (!HAS_NUMPY) console.log('skipped: the sww numpy parity tests need python3 with numpy (the oracle is test/prepare/sww-oracle.py)')

/** A deterministic clip: a few tones and noise under an envelope, with silence around it (`lead`, `tail` samples). */
function clip(seed: number, length: number, {lead = 0, tail = 0, level = 6000} = {}): Int16Array {
  let state = seed >>> 0
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5
  const samples = new Int16Array(lead + length + tail)
  for (let i = 0; i < length; i++) {
    const envelope = Math.sin((Math.PI * i) / length)
    const tone = Math.sin((i * (200 + 37 * seed)) / 16000 * 2 * Math.PI) + 0.5 * Math.sin((i * 1234.5) / 16000)
    samples[lead + i] = Math.round(level * envelope * (tone + random()))
  }
  return samples
}

const SPEECH_COMMANDS = [
  {path: './marvin/0a1b2c3d_nohash_0.wav', samples: clip(1, 9000, {lead: 3000, tail: 4000})},
  {path: './marvin/0a1b2c3d_nohash_1.wav', samples: clip(2, 12000, {lead: 1500, tail: 2500, level: 12000})},
  {path: './marvin/ffee0011_nohash_0.wav', samples: clip(3, 6000, {lead: 5000, tail: 5000, level: 3000})},
  {path: './yes/ffee0011_nohash_0.wav', samples: clip(4, 16000)},
  {path: './_background_noise_/white_noise.wav', samples: clip(5, 40000, {level: 2000})},
]
const MUSAN = [
  {path: 'musan/music/hd-classical/music-hd-0002.wav', samples: clip(6, 70000, {level: 9000})},
  {path: 'musan/speech/librivox/speech-librivox-0149.wav', samples: clip(7, 50000)},
  {path: 'musan/noise/free-sound/noise-free-sound-0000.wav', samples: clip(8, 33000, {level: 20000})},
  {path: 'musan/noise/free-sound/noise-free-sound-0001.wav', samples: clip(9, 9000)},
]

/** Overlapping backgrounds (the float32 order matters), one from Speech Commands, and three wakewords to trim. */
const SPEC = {
  configs_background: [
    ['{musan_path}/music/hd-classical/music-hd-0002.wav', 0.0, 4.0, 0.05],
    ['{musan_path}/speech/librivox/speech-librivox-0149.wav', 1.5, 4.5, 0.5],
    ['{musan_path}/noise/free-sound/noise-free-sound-0000.wav', 2.0, 4.0, 0.75],
    ['{speech_commands_path}/_background_noise_/white_noise.wav', 2.25, 4.5, 0.1],
    ['{musan_path}/music/hd-classical/music-hd-0002.wav', 3.5, 4.5, 0.3],
  ],
  configs_wakeword: [
    ['{speech_commands_path}/marvin/0a1b2c3d_nohash_0.wav', 0.3719, 0.7],
    ['{speech_commands_path}/marvin/0a1b2c3d_nohash_1.wav', 1.6, 0.8],
    ['{speech_commands_path}/marvin/ffee0011_nohash_0.wav', 3.4567, 1.9],
  ],
  length_sec: 4.5,
  sample_rate: 16000,
}

describe.skipIf(!HAS_NUMPY)('numpyStd equals np.std', () => {
  it('on int16 clips of every pairwise-sum branch (under 8, up to 128, halved above) and numpy buffer size', () => {
    const lengths = [1, 7, 8, 9, 100, 128, 129, 1000, 8191, 8193, 20000, 100003]
    const clips = lengths.map((length, index) => clip(index + 20, length, {level: 8000 + 1000 * index}))
    const script = 'import sys, numpy as np\nfor line in sys.stdin: print(repr(float(np.std(np.array(line.split(), dtype=np.int16)))))'
    const output = execFileSync('python3', ['-c', script], {input: clips.map((samples) => samples.join(' ')).join('\n') + '\n', encoding: 'utf8'})
    expect(clips.map((samples) => numpyStd(samples))).toEqual(output.trim().split('\n').map(Number))
  })
})

describe.skipIf(!HAS_NUMPY)('prepare sww equals the numpy oracle on generated archives', () => {
  let work: string
  let result: PrepareSwwResult
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-sww-'))
    const entries = (clips: typeof MUSAN) => clips.map(({path, samples}) => ({path, bytes: encodeWav(samples, 16000)}))
    await writeFile(join(work, 'speech_commands_v0.02.tar.gz'), await buildTarGz(entries(SPEECH_COMMANDS)))
    await writeFile(join(work, 'musan.tar'), await buildTar(entries(MUSAN)))
    await writeFile(join(work, 'mixed_spec.json'), JSON.stringify(SPEC))
    execFileSync('python3', [ORACLE, join(work, 'mixed_spec.json'), join(work, 'speech_commands_v0.02.tar.gz'), join(work, 'musan.tar'),
      join(work, 'oracle.wav'), join(work, 'oracle-windows.json'), join(work, 'oracle-mix.f32')])
    result = await prepareSww({
      benchmark: sww01,
      sources: {speechCommands: join(work, 'speech_commands_v0.02.tar.gz'), musan: join(work, 'musan.tar')},
      out: join(work, 'out'),
      build: {spec: join(work, 'mixed_spec.json')},
      verify: false,
    })
  }, 60_000)
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('writes the WAV byte for byte as numpy does', async () => {
    expect(result.wavFile).toBe(join(work, 'out', 'sww01', 'mixed.wav'))
    const [ours, oracle] = await Promise.all([readFile(result.wavFile), readFile(join(work, 'oracle.wav'))])
    expect(ours.length).toBe(44 + 4.5 * 16000 * 4)
    expect(Buffer.compare(ours, oracle)).toBe(0)
    // The peak sample is ±32768 before the cast: −32768 either way, and present.
    const left = new Int16Array(ours.buffer.slice(ours.byteOffset + 44, ours.byteOffset + ours.length)).filter((_, i) => i % 2 === 0)
    expect(left.includes(-32768)).toBe(true)
  })

  it('mixes in float32 bit for bit as numpy does, before the int16 cast hides the last bits', async () => {
    // The clips in an order of their own (the mixer must still sum in list order where segments meet).
    const mixer = new SwwMixer(parseSwwSpec(JSON.stringify(SPEC), 'mixed_spec.json', sww01.build), sww01.build.recipe.relativeThreshold)
    for (const {path, samples} of [...MUSAN].reverse()) mixer.add(clipKey({source: 'musan', member: path.slice('musan/'.length)}), samples)
    for (const {path, samples} of SPEECH_COMMANDS) mixer.add(clipKey({source: 'speechCommands', member: path.slice(2)}), samples)
    const {mix} = mixer.finish()
    const oracle = await readFile(join(work, 'oracle-mix.f32'))
    expect(Buffer.compare(Buffer.from(mix.buffer), oracle)).toBe(0)
  })

  it('writes the truth JSON with the oracle windows, in the runner form', async () => {
    const oracleWindows = JSON.parse(await readFile(join(work, 'oracle-windows.json'), 'utf8')) as number[][]
    const truth = JSON.parse(await readFile(result.truthFile, 'utf8'))
    expect(truth).toEqual([{wav_file: 'mixed.wav', detection_windows: oracleWindows, length_sec: 4.5, sample_rate: 16000}])
    expect(result).toMatchObject({official: null, backgrounds: 5, wakewords: 3, parity: null, warnings: []})
    expect(result.sources.speechCommands).toMatchObject({kind: 'tar.gz', checksum: 'not verified (--no-verify)', clipsRead: 4})
    expect(result.sources.musan).toMatchObject({kind: 'tar', clipsRead: 3})
  })
})
