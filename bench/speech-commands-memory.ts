/**
 * Peak memory (resident set) of `tinydata prepare kws --split train` over a generated archive with the layout and the
 * member count of the Speech Commands main archive (speech_commands_v0.02.tar.gz, 2.4 GB), run in a child process
 * against issue 17's 300 MB target: 105,829 one-second 16 kHz clips in the 35 word folders, validation_list.txt and
 * testing_list.txt naming 9,981 and 11,005 of them (the real lists' lengths), and _background_noise_/ with six long
 * WAVs cut so that the split has the published 85,511 examples. The clips are near silence (a short quiet noise burst
 * each), so the tar.gz is small and quick to write; what prepare holds depends on the members it reads (their count
 * and uncompressed bytes: 3.5 GB of tar, about the real archive's, most of whose clips are one second long), not on
 * how well they compress. The lists come first (the splits bench times them last). The archive is written as a stream
 * and removed afterwards.
 */
import {createWriteStream} from 'node:fs'
import {mkdtemp, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pipeline} from 'node:stream/promises'
import {createGzip} from 'node:zlib'
import * as tar from 'tar-stream'

import {SPEECH_COMMANDS_WORDS} from '../dist/datasets/speech-commands.js'
import {encodeWav} from '../dist/src/audio/wav.js'
import {runCliWithPeakRss} from './child-rss.js'

/** The main archive's clips, and how many of them its validation_list.txt and testing_list.txt name. */
const CLIPS = 105_829
const VALIDATION_CLIPS = 9981
const TESTING_CLIPS = 11_005
/** The 25 auxiliary words of v0.02, besides the ten keywords (35 word folders in all). */
const AUXILIARY_WORDS = [
  'backward', 'bed', 'bird', 'cat', 'dog', 'eight', 'five', 'follow', 'forward', 'four', 'happy', 'house', 'learn',
  'marvin', 'nine', 'one', 'seven', 'sheila', 'six', 'three', 'tree', 'two', 'visual', 'wow', 'zero',
]
const WORDS = [...SPEECH_COMMANDS_WORDS, ...AUXILIARY_WORDS]
/**
 * _background_noise_/'s six recordings, each as many one-second windows (every half second) as it gives: running_tap's
 * 121 make the validation split 9,981 + 121 = 10,102, the others' 668 the train split 84,843 + 668 = 85,511.
 */
const BACKGROUND_WINDOWS: Record<string, number> = {
  'doing_the_dishes.wav': 134, 'dude_miaowing.wav': 134, 'exercise_bike.wav': 134, 'pink_noise.wav': 134,
  'white_noise.wav': 132, 'running_tap.wav': 121,
}
/** Distinct clip bodies, reused round-robin (a prime, so that they do not line up with the word folders). */
const DISTINCT_CLIPS = 251
const RATE = 16_000

export interface SpeechCommandsMemoryBench {
  split: 'train'
  clips: number
  examples: number
  /** The tar's own size (what gunzip yields) and the tar.gz's. */
  tarBytes: number
  archiveBytes: number
  generateSeconds: number
  seconds: number
  peakRssBytes: number
}

/** A second of silence with a short burst of quiet noise somewhere in it (deterministic per seed). */
function quietClip(seed: number, length = RATE): Int16Array {
  const samples = new Int16Array(length)
  let state = seed * 7919 + 1
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const onset = Math.floor(random() * (length - 400))
  for (let i = onset; i < onset + 400; i++) samples[i] = Math.round((random() - 0.5) * 512)
  return samples
}

/** Which list a clip is in: a fixed permutation of the clip indices, its first 9,981 validation, next 11,005 testing. */
function listOf(index: number): 'validation' | 'testing' | undefined {
  const rank = (index * 7919) % CLIPS // 7919 is coprime to 105,829: a permutation
  if (rank < VALIDATION_CLIPS) return 'validation'
  if (rank < VALIDATION_CLIPS + TESTING_CLIPS) return 'testing'
  return undefined
}

/** `<word>/<speaker>_nohash_<n>.wav`, as the real clips are named. */
function clipPath(index: number): string {
  const speaker = (Math.imul(Math.floor(index / (WORDS.length * 3)) + 1, 2_654_435_761) >>> 0).toString(16).padStart(8, '0')
  return `${WORDS[index % WORDS.length]}/${speaker}_nohash_${Math.floor(index / WORDS.length) % 3}.wav`
}

/** Writes the archive member by member through gzip to `file` (each entry awaited: never more than a pipe's worth held). */
async function writeSpeechCommandsMainLike(file: string): Promise<{tarBytes: number; archiveBytes: number}> {
  const pack = tar.pack()
  const written = pipeline(pack, createGzip({level: 1}), createWriteStream(file)) // level 1: the fastest to write
  let tarBytes = 0
  const add = async (path: string, bytes: Uint8Array) => {
    await new Promise<void>((resolve, reject) => {
      pack.entry({name: path, size: bytes.length, mtime: new Date(0)}, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error) => (error ? reject(error) : resolve()))
    })
    tarBytes += 512 + Math.ceil(bytes.length / 512) * 512
  }
  const text = (lines: string[]) => new TextEncoder().encode(lines.join('\n') + '\n')
  const lists = {validation: [] as string[], testing: [] as string[]}
  for (let index = 0; index < CLIPS; index++) {
    const list = listOf(index)
    if (list) lists[list].push(clipPath(index))
  }
  await add('LICENSE', text(['Creative Commons Attribution 4.0 International Public License (bench stand-in)']))
  await add('README.md', text(['# Speech Commands v0.02 (a generated stand-in of the main archive)']))
  await add('validation_list.txt', text(lists.validation))
  await add('testing_list.txt', text(lists.testing))
  await add('_background_noise_/README.md', text(['Long recordings, cut into one-second silence examples.']))
  for (const [[name, windows], seed] of Object.entries(BACKGROUND_WINDOWS).map((entry, i) => [entry, i] as const)) {
    await add(`_background_noise_/${name}`, encodeWav(quietClip(CLIPS + seed, RATE + (windows - 1) * (RATE / 2) + 1), RATE))
  }
  const bodies = Array.from({length: DISTINCT_CLIPS}, (_, seed) => encodeWav(quietClip(seed), RATE))
  for (let index = 0; index < CLIPS; index++) await add(clipPath(index), bodies[index % DISTINCT_CLIPS]!)
  pack.finalize()
  await written
  return {tarBytes: tarBytes + 1024, archiveBytes: (await stat(file)).size}
}

export async function benchSpeechCommandsMemory(): Promise<SpeechCommandsMemoryBench> {
  const dir = await mkdtemp(join(tmpdir(), 'tinydata-bench-speech-commands-'))
  try {
    const archive = join(dir, 'speech_commands_v0.02.tar.gz')
    const start = performance.now()
    const {tarBytes, archiveBytes} = await writeSpeechCommandsMainLike(archive)
    const generateSeconds = (performance.now() - start) / 1000
    const {stdout, seconds, peakRssBytes} = await runCliWithPeakRss(dir, [
      'prepare', 'kws', '--split', 'train', '--source', archive, '--out', join(dir, 'out'), '--no-verify', '--json',
    ])
    const {rows} = JSON.parse(stdout) as {rows: number}
    return {split: 'train', clips: CLIPS, examples: rows, tarBytes, archiveBytes, generateSeconds, seconds, peakRssBytes}
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
