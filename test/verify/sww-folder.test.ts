import {copyFile, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SnakeCased} from '../../src/formats/json-case.js'
import type {SwwVerifyResult} from '../../src/verify/sww-folder.js'
import {verifyFolder} from '../../src/verify/verify.js'
import {SHARED, skipMessage} from '../helpers/archives.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {wavBytes, writeSwwFolder} from '../helpers/sww.js'

const RUNNER_FIXTURES = join(SHARED, 'fixtures/sww01/runner')
const HAS_RUNNER_FIXTURES = existsSync(RUNNER_FIXTURES)
if (!HAS_RUNNER_FIXTURES) console.log(skipMessage('verify on the published sww01 runner files'))

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tinydata-verify-sww-'))
})
afterAll(async () => {
  await rm(work, {recursive: true, force: true})
})

const SECOND = 16_000
const entry = (wav: string, seconds: number, windows: number[][]) => ({wav_file: wav, detection_windows: windows, length_sec: seconds, sample_rate: 16000})

async function verifySww(folder: string, allowDiff = false): Promise<SwwVerifyResult> {
  const result = await verifyFolder(folder, {allowDiff})
  if (result.benchmark !== 'sww01') throw new Error(`${folder} was not checked as an sww01 folder`)
  return result
}

describe('verify on a generated sww01 folder', () => {
  it('a truth JSON and the canonical WAVs it names: ok, with their lengths; names no published file has', async () => {
    const folder = await writeSwwFolder(join(work, 'good'), 'my_test.json', [entry('a.wav', 3, [[0.5, 1], [1.5, 2.25]]), entry('b.wav', 2, [])], {
      'a.wav': wavBytes(3 * SECOND), 'b.wav': wavBytes(2 * SECOND), 'unnamed.wav': wavBytes(10, {channels: 1}),
    })
    const result = await verifySww(folder)
    expect(result).toMatchObject({benchmark: 'sww01', missing: [], ok: true, truthFiles: [{file: 'my_test.json', entries: 2, problems: [], official: null}]})
    expect(result.wavs.map(({file, listedIn, seconds, problem, official}) => ({file, listedIn, seconds, problem, official}))).toEqual([
      {file: 'a.wav', listedIn: ['my_test.json'], seconds: 3, problem: null, official: null},
      {file: 'b.wav', listedIn: ['my_test.json'], seconds: 2, problem: null, official: null},
    ])
  })

  it('reports each break of the runner\'s form by entry, each WAV the board refuses, and each one missing', async () => {
    const truth = [
      entry('unsorted.wav', 5, [[2, 3], [1, 1.5]]),
      entry('past_end.wav', 2, [[1.5, 2.5]]),
      {detection_windows: [], length_sec: 1},
      entry('list_chunk.wav', 1, []),
      entry('mono.wav', 1, []),
      entry('short.wav', 4, [[3, 3.5]]),
      entry('absent.wav', 1, []),
    ]
    const folder = await writeSwwFolder(join(work, 'bad'), 'sww_bad.json', truth, {
      'unsorted.wav': wavBytes(5 * SECOND), 'past_end.wav': wavBytes(2 * SECOND), 'list_chunk.wav': wavBytes(SECOND, {extraChunk: 'LIST'}),
      'mono.wav': wavBytes(SECOND, {channels: 1}), 'short.wav': wavBytes(3 * SECOND),
    })
    const result = await verifySww(folder, true)
    expect(result.ok).toBe(false)
    expect(result.truthFiles[0]!.problems).toEqual([
      'entry 1 (unsorted.wav): window 2 starts at 1 s, before the previous window ends (3 s): windows must be sorted and apart',
      'entry 2 (past_end.wav): window 1 [1.5, 2.5] is not inside the WAV\'s 2 s (length_sec)',
      'entry 3: no "wav_file"',
    ])
    expect(result.missing).toEqual(['absent.wav'])
    expect(Object.fromEntries(result.wavs.map((wav) => [wav.file, wav.problem]))).toEqual({
      'unsorted.wav': null,
      'past_end.wav': null,
      'list_chunk.wav': expect.stringContaining('has chunk "LIST" at byte 36'),
      'mono.wav': 'has 1 channel(s); the board needs 2 identical channels',
      'short.wav': 'lasts 3 s, less than the end of its last detection window (3.5 s)',
    })
  })

  it('a truth file that is not JSON, or not a list, is a problem of that file', async () => {
    const notJson = await writeSwwFolder(join(work, 'not-json'), 'sww_x.json', '[{"wav_file": "a.wav",', {})
    expect((await verifySww(notJson)).truthFiles[0]!.problems).toEqual([expect.stringMatching(/^is not JSON \(/)])
    const notList = await writeSwwFolder(join(work, 'not-list'), 'sww_x.json', {wav_file: 'a.wav'}, {})
    expect((await verifySww(notList)).truthFiles[0]!.problems).toEqual(['is not a non-empty JSON list of entries (one per WAV)'])
  })

  it('a WAV named like a published one but with other bytes differs from it: a failure unless --allow-diff', async () => {
    const folder = await writeSwwFolder(join(work, 'own-short'), 'sww_short_test.json', [entry('short_wav_easy10s.wav', 1, [[0.2, 0.5]])], {'short_wav_easy10s.wav': wavBytes(SECOND)})
    const strict = await verifySww(folder)
    expect(strict.ok).toBe(false)
    expect(strict.wavs[0]!.official).toEqual({published: ['sww_data_dir/short_wav_easy10s.wav'], identicalTo: null})
    expect(strict.truthFiles[0]!.official).toEqual({published: ['sww_data_dir/sww_short_test.json'], identicalTo: null})
    expect((await verifySww(folder, true)).ok).toBe(true)
  })

  it('a folder with neither y_labels.csv nor a truth JSON is still a stimulus folder missing its list', async () => {
    const folder = join(work, 'empty', 'sww01')
    await mkdir(folder, {recursive: true})
    await writeFile(join(folder, 'settings.json'), '{"volume": 3}')
    await expect(verifyFolder(folder)).rejects.toThrow(`${join(folder, 'y_labels.csv')}: no such file`)
  })
})

describe.skipIf(!HAS_RUNNER_FIXTURES)('verify on the published sww01 runner files', () => {
  it('sww_short_test.json and short_wav_easy10s.wav: the runner\'s form, the board\'s form, identical to the published files', async () => {
    const folder = join(work, 'published', 'sww01')
    await mkdir(folder, {recursive: true})
    for (const name of ['sww_short_test.json', 'short_wav_easy10s.wav']) await copyFile(join(RUNNER_FIXTURES, name), join(folder, name))
    const result = await verifySww(folder)
    expect(result).toMatchObject({ok: true, missing: [], truthFiles: [{entries: 1, problems: [], official: {identicalTo: 'sww_data_dir/sww_short_test.json'}}]})
    expect(result.wavs).toMatchObject([{file: 'short_wav_easy10s.wav', seconds: 10, problem: null, gitBlob: 'ae40e12b1f6a39da77ecbcf62245b669dd04029b', official: {identicalTo: 'sww_data_dir/short_wav_easy10s.wav'}}])
  })

  it('every published truth JSON has the runner\'s form; without its WAVs they are missing', async () => {
    const folder = join(work, 'truth-only', 'sww01')
    await mkdir(folder, {recursive: true})
    for (const name of ['sww_long_test.json', 'sww_med_test.json', 'sww_short_test.json']) await copyFile(join(RUNNER_FIXTURES, name), join(folder, name))
    const result = await verifySww(folder)
    expect(result.truthFiles.map((truth) => [truth.file, truth.entries, truth.problems, truth.official?.identicalTo])).toEqual([
      ['sww_long_test.json', 1, [], 'sww_data_dir/sww_long_test.json'],
      ['sww_med_test.json', 1, [], 'sww_data_dir/sww_med_test.json'],
      ['sww_short_test.json', 1, [], 'sww_data_dir/sww_short_test.json'],
    ])
    expect(result.missing).toEqual(['long_wav.wav', 'med_wav_2m_8p.wav', 'short_wav_easy10s.wav'])
  })
})

describe.skipIf(!HAS_BUILT_CLI)('tinydata verify on an sww01 folder', () => {
  it('prints the report and exits 0; a WAV with a LIST chunk fails with one line naming it; --json is snake_case', async () => {
    const folder = await writeSwwFolder(join(work, 'cli'), 'sww_mine.json', [entry('clip.wav', 1, [[0.25, 0.5]])], {'clip.wav': wavBytes(SECOND)})
    const good = await tinydata('verify', folder)
    expect(good.code, good.stderr).toBe(0)
    expect(good.stdout).toContain(`${folder} (sww01): 1 truth file(s), 1 of 1 WAV(s) they name present`)
    expect(good.stdout).toContain('clip.wav: 1 s, the board\'s canonical form; no published file of that name')

    await writeFile(join(folder, 'clip.wav'), wavBytes(SECOND, {extraChunk: 'LIST'}))
    const bad = await tinydata('verify', folder)
    expect(bad.code).toBe(2)
    expectOneLineError(bad.stderr, `${folder}: clip.wav has chunk "LIST" at byte 36`)
    const json = await tinydata('verify', folder, '--json')
    expect(json.code).toBe(2)
    const result = JSON.parse(json.stdout) as SnakeCased<SwwVerifyResult>
    expect(result).toMatchObject({benchmark: 'sww01', ok: false, allow_diff: false, truth_files: [{file: 'sww_mine.json', problems: []}], wavs: [{file: 'clip.wav', listed_in: ['sww_mine.json'], seconds: null}]})
  })
})
