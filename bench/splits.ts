/**
 * `prepare kws --split train` against `prepare kws --subset test` on archives of the same clips (the full archive's
 * layout with its lists and background clips, and the test-set archive's), both through the built CLI in a child
 * process: examples per second, and the split's peak resident memory against its 500 MB target. The split is run on
 * two archives: lists before the clips (one pass) and after them (the lists are read first: two passes).
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {encodeWav} from '../dist/src/audio/wav.js'
import {buildTarGz} from '../test/helpers/archives.js'
import {runCliWithPeakRss} from './child-rss.js'

const CLIPS = 4890
const WORDS = ['down', 'go', 'left', 'no', 'off', 'on', 'right', 'stop', 'up', 'yes', 'marvin', 'sheila']
/** Two one-minute background clips: 119 silence windows each (one is running_tap, of the validation split). */
const BACKGROUND = ['running_tap.wav', 'white_noise.wav']

export interface SplitRun {
  name: string
  examples: number
  seconds: number
  peakRssBytes: number
}

export interface SplitBench {
  clips: number
  testSeconds: number
  train: SplitRun[]
  targetRssBytes: number
}

function noise(seed: number, length: number): Int16Array {
  let state = seed * 7919 + 1
  return Int16Array.from({length}, () => (((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) >>> 16) - 32768) >> 2)
}

async function cli(dir: string, ...args: string[]): Promise<{seconds: number; peakRssBytes: number; json: Record<string, unknown>}> {
  const {stdout, seconds, peakRssBytes} = await runCliWithPeakRss(dir, [...args, '--json'])
  return {seconds, peakRssBytes, json: JSON.parse(stdout) as Record<string, unknown>}
}

export async function benchSplits(): Promise<SplitBench> {
  const dir = await mkdtemp(join(tmpdir(), 'tinydata-bench-splits-'))
  try {
    const clips = Array.from({length: CLIPS}, (_, i) => ({
      path: `${WORDS[i % WORDS.length]}/clip${String(i).padStart(5, '0')}_nohash_0.wav`,
      bytes: encodeWav(noise(i, i % 4 === 0 ? 12000 : 16000), 16000),
    }))
    const test = join(dir, 'speech_commands_test_like.tar.gz')
    await writeFile(test, await buildTarGz(clips.map((clip) => ({...clip, path: clip.path.replace(/^(marvin|sheila)\//, '_unknown_/')}))))
    // A tenth of the clips in each list, as in the real archive (9,981 and 11,005 of 105,829).
    const listed = (offset: number) => clips.filter((_, i) => i % 10 === offset).map((clip) => clip.path).join('\n')
    const lists = [
      {path: 'validation_list.txt', bytes: new TextEncoder().encode(listed(1))},
      {path: 'testing_list.txt', bytes: new TextEncoder().encode(listed(2))},
    ]
    const background = BACKGROUND.map((name, i) => ({path: `_background_noise_/${name}`, bytes: encodeWav(noise(CLIPS + i, 60 * 16000), 16000)}))
    const testRun = await cli(dir, 'prepare', 'kws', '--subset', 'test', '--source', test, '--out', join(dir, 'test'), '--no-verify')
    const train: SplitRun[] = []
    for (const [name, members] of [['lists first', [...lists, ...clips, ...background]], ['lists last', [...clips, ...background, ...lists]]] as const) {
      const full = join(dir, 'speech_commands_full_like.tar.gz')
      await writeFile(full, await buildTarGz(members))
      const run = await cli(dir, 'prepare', 'kws', '--split', 'train', '--source', full, '--out', join(dir, 'train'), '--no-verify')
      train.push({name, examples: run.json.rows as number, seconds: run.seconds, peakRssBytes: run.peakRssBytes})
    }
    return {clips: CLIPS, testSeconds: testRun.seconds, train, targetRssBytes: 500e6}
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
