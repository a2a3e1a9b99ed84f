/** `infer sww`: the DUT's loop and detection rule (stand-in model), and the reference model on short_wav_easy10s.wav. */
import {existsSync} from 'node:fs'
import {copyFile, mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {encodeWav} from '../../src/audio/wav.js'
import {tfliteRuntimeAvailable} from '../../src/inference/runtime.js'
import {inferSww, runSwwStream} from '../../src/inference/sww-golden.js'
import {SHARED, skipMessage} from '../helpers/archives.js'

const RUNNER_FILES = join(SHARED, 'fixtures/sww01/runner')
const SHORT_WAV = join(RUNNER_FILES, 'short_wav_easy10s.wav')
const HAS_SHORT_WAV = existsSync(SHORT_WAV)
const HAS_RUNTIME = tfliteRuntimeAvailable()
if (!HAS_SHORT_WAV) console.warn(skipMessage('the sww01 golden run on short_wav_easy10s.wav'))
if (!HAS_RUNTIME) console.warn('SKIPPED: infer sww on a real WAV needs the optional package tfjs-tflite-node, which does not load here')

const QUANTIZATION = {scale: 0.003701042616739869, zeroPoint: -128}

describe('runSwwStream: the DUT loop with a stand-in model', () => {
  it('one inference per 512 samples; a pulse on frame 0 and wherever out[0] > 115, stamped at the frame\'s end', () => {
    const scores = new Map([[3, 116], [4, 115], [6, 127]])
    let frame = 0
    const run = runSwwStream(new Int16Array(512 * 8 + 100), () => Int8Array.of(scores.get(frame++) ?? -128, 0, 0), QUANTIZATION)
    expect(run.inferences).toBe(8)
    expect(run.detectionsMs).toEqual([32, 4 * 32, 7 * 32])
  })

  it('the input starts as 30 silent frames (the zero point) and each frame enters at the end, the oldest leaving', () => {
    const inputs: Int8Array[] = []
    const samples = new Int16Array(512 * 3)
    samples.fill(8000, 512) // frames 1 and 2 hear a DC step, so their features differ from silence
    runSwwStream(samples, (input) => {
      inputs.push(input.slice())
      return Int8Array.of(-128, 0, 0)
    }, QUANTIZATION)
    expect(inputs[0]!.subarray(0, 29 * 40).every((value) => value === -128)).toBe(true)
    expect(inputs[1]!.subarray(28 * 40, 29 * 40)).toEqual(inputs[0]!.subarray(29 * 40))
    expect(inputs[2]!.subarray(28 * 40, 29 * 40)).toEqual(inputs[1]!.subarray(29 * 40))
    expect(inputs[1]!.subarray(29 * 40).some((value) => value !== -128)).toBe(true)
  })
})

describe('inferSww: bad input', () => {
  it('a WAV at another rate, and a WAV no truth JSON names: one error naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tinydata-sww-'))
    const wav = join(dir, 'slow.wav')
    await writeFile(wav, encodeWav(new Int16Array(8000), 8000))
    await writeFile(join(dir, 'truth.json'), JSON.stringify([{wav_file: 'slow.wav', detection_windows: [], length_sec: 1}]))
    await expect(inferSww(wav, {log: join(dir, 'log.txt')})).rejects.toThrow(`${wav}: 8000 Hz; sww01 WAVs are 16000 Hz`)
    const orphan = join(dir, 'orphan.wav')
    await writeFile(orphan, encodeWav(new Int16Array(16000), 16000))
    await expect(inferSww(orphan, {log: join(dir, 'log.txt')})).rejects.toThrow(`${orphan}: no truth JSON beside it names this WAV`)
    await expect(inferSww(orphan, {truth: join(dir, 'truth.json')})).rejects.toThrow(`${join(dir, 'truth.json')}: has no entry whose wav_file is orphan.wav`)
    const tiny = join(dir, 'tiny.wav')
    await writeFile(tiny, encodeWav(new Int16Array(511), 16000))
    await expect(inferSww(tiny)).rejects.toThrow(`${tiny}: shorter than one 512-sample stride`)
  })
})

describe.skipIf(!HAS_SHORT_WAV || !HAS_RUNTIME)('inferSww on short_wav_easy10s.wav (the reference model)', () => {
  it('finds the truth beside the WAV, pulses where the model fires, and counts as the runner: 2 TP, 1 FN, 0 FP', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tinydata-sww-'))
    const log = join(dir, 'log.txt')
    const result = await inferSww(SHORT_WAV, {log})
    expect(result.truth).toBe(join(RUNNER_FILES, 'sww_short_test.json'))
    expect(result.inferences).toBe(312) // 160000 samples / 512
    // The 1-s Marvin fires from 1.408 s to 2.144 s, the 4-s one once at 5.024 s; the short 7-s one (0.36 s, in music)
    // peaks at 100 and is missed.
    const firstRun = Array.from({length: 24}, (_, i) => 1408 + 32 * i)
    expect(result.detectionsMs).toEqual([32, ...firstRun, 5024])
    expect(result).toMatchObject({truePositives: 2, falseNegatives: 1, falsePositives: 0, f1: 0.8, lengthSeconds: 10})
    const text = await readFile(log, 'utf8')
    expect(text).toContain(`\n[${result.detectionsMs.join(', ')}]\n`)
    expect(text).toContain('== File short_wav_easy10s.wav (10.0 s) ==\nAccuracy: 2 True positives, 1 False negatives, 0 False positives\n'
      + 'False negatives: [7.0]\nFalse positives: []\n')
  })

  it('a model of another input size: an error naming the model', async () => {
    const model = join('models', 'kws_ref_model.tflite')
    await expect(inferSww(SHORT_WAV, {model})).rejects.toThrow(`${model}: the model takes 490 input values; the sww01 front end gives 1200`)
  })

  it('a stereo WAV and its left channel alone give the same pulses (the DUT reads the left channel)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tinydata-sww-'))
    await copyFile(join(RUNNER_FILES, 'sww_short_test.json'), join(dir, 'sww_short_test.json'))
    const stereo = new Int16Array((await readFile(SHORT_WAV)).buffer.slice(44))
    const left = Int16Array.from({length: stereo.length / 2}, (_, i) => stereo[2 * i]!)
    await writeFile(join(dir, 'short_wav_easy10s.wav'), encodeWav(left, 16000))
    const mono = await inferSww(join(dir, 'short_wav_easy10s.wav'), {log: join(dir, 'log.txt')})
    expect(mono.detectionsMs).toEqual([32, ...Array.from({length: 24}, (_, i) => 1408 + 32 * i), 5024])
  })
})
