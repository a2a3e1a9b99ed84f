/** `tinydata verify --json` against schemas/verify.schema.json, passing and failing, and an error. */
import {mkdir, mkdtemp, rm, truncate, unlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {noiseBytes} from '../helpers/images.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'
import {wavBytes, writeSwwFolder} from '../helpers/sww.js'

if (!HAS_BUILT_CLI) console.log('skipped: the verify schema tests need the built CLI (npm run build)')

async function verifyJson(expectedCode: number, ...args: string[]): Promise<unknown> {
  const run = await tinydata('verify', ...args, '--json')
  expect(run.code, run.stderr).toBe(expectedCode)
  return JSON.parse(run.stdout)
}

describe.skipIf(!HAS_BUILT_CLI)('verify --json matches schemas/verify.schema.json', () => {
  let work: string
  let demo: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-verify-schema-'))
    demo = join(work, 'demo')
    const run = await tinydata('demo', '--out', demo, '--json')
    expect(run.code, run.stderr).toBe(0)
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('a tinydata kws01 folder: variant, manifest and official comparison; one file differs (exit 2), allowed with --allow-diff', async () => {
    const folder = join(demo, 'mfcc/kws01')
    const failed = await verifyJson(2, folder)
    expect(failed).toMatchObject({variant: 'mfcc', ok: false, manifest: {checked: 30}, official: {identical: 29, official_list: 'kws01'}})
    expectMatchesSchema('verify', failed)
    const allowed = await verifyJson(0, folder, '--allow-diff')
    expect(allowed).toMatchObject({allow_diff: true, ok: true})
    expectMatchesSchema('verify', allowed)
  })

  it('a folder with a missing file and a wrong-sized one (so also a manifest mismatch)', async () => {
    const folder = join(demo, 'lfbe/kws01')
    await unlink(join(folder, 'tst_000008_Off_4.bin'))
    await truncate(join(folder, 'tst_000010_Unknown_11.bin'), 400)
    const json = await verifyJson(2, folder)
    expect(json).toMatchObject({missing: ['tst_000008_Off_4.bin'], wrong_size: [{file: 'tst_000010_Unknown_11.bin', bytes: 400}], manifest: {mismatched: [{file: 'tst_000010_Unknown_11.bin', problem: 'sha256 differs from manifest.arrow'}]}})
    expectMatchesSchema('verify', json)
  })

  it('an ic01 folder of names in no official set, without a manifest: no variant, official and manifest null', async () => {
    const folder = join(work, 'mine', 'ic01')
    await mkdir(folder, {recursive: true})
    await writeFile(join(folder, 'y_labels.csv'), 'cat_s_000001.bin,10,3\ndog_s_000002.bin,10,5\n')
    await writeFile(join(folder, 'cat_s_000001.bin'), noiseBytes(3072, 1))
    await writeFile(join(folder, 'dog_s_000002.bin'), noiseBytes(3072, 2))
    const json = await verifyJson(0, folder)
    expect(json).toMatchObject({benchmark: 'ic01', expected_bytes: 3072, manifest: null, official: null, ok: true})
    expect(json).not.toHaveProperty('variant')
    expectMatchesSchema('verify', json)
  })

  it('an ic02 folder (v1.4), checked as ic01 stimuli: benchmark ic02, stimuli ic01', async () => {
    const folder = join(work, 'mine', 'ic02')
    await mkdir(folder, {recursive: true})
    await writeFile(join(folder, 'y_labels.csv'), 'cat_s_000001.bin,10,3\n')
    await writeFile(join(folder, 'cat_s_000001.bin'), noiseBytes(3072, 1))
    const json = await verifyJson(0, folder)
    expect(json).toMatchObject({benchmark: 'ic02', stimuli: 'ic01', expected_bytes: 3072, ok: true})
    expectMatchesSchema('verify', json)
  })

  it('an sww01 folder: passing, then with a WAV the board refuses, a window past the end and a missing WAV', async () => {
    const folder = await writeSwwFolder(join(work, 'sww'), 'sww_mine.json', [{wav_file: 'clip.wav', detection_windows: [[0.25, 0.5]], length_sec: 1, sample_rate: 16000}], {'clip.wav': wavBytes(16_000)})
    const passed = await verifyJson(0, folder)
    expect(passed).toMatchObject({benchmark: 'sww01', ok: true, wavs: [{file: 'clip.wav', seconds: 1, problem: null, official: null}]})
    expectMatchesSchema('verify', passed)
    const entries = [
      {wav_file: 'clip.wav', detection_windows: [[0.25, 2]], length_sec: 1},
      {wav_file: 'short_wav_easy10s.wav', detection_windows: [], length_sec: 10},
    ]
    await writeFile(join(folder, 'sww_mine.json'), JSON.stringify(entries))
    await writeFile(join(folder, 'clip.wav'), wavBytes(100, {extraChunk: 'LIST'}))
    const failed = await verifyJson(2, folder)
    expect(failed).toMatchObject({ok: false, missing: ['short_wav_easy10s.wav'], truth_files: [{problems: [expect.stringContaining('is not inside')]}], wavs: [{seconds: null}]})
    expectMatchesSchema('verify', failed)
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    const json = await verifyJson(2, join(work, 'absent'))
    expect(json).toMatchObject({error: {code: 'user_error'}})
    expectMatchesSchema('error', json)
  })
})
