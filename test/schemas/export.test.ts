/** `tinydata export --json` against schemas/export.schema.json, for both runners, and an error. */
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {HAS_BUILT_CLI, tinydata, tinydataWithEnv} from '../helpers/cli.js'
import {noiseBytes} from '../helpers/images.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'
import {wavBytes, writeSwwFolder} from '../helpers/sww.js'

if (!HAS_BUILT_CLI) console.log('skipped: the export schema tests need the built CLI (npm run build)')

describe.skipIf(!HAS_BUILT_CLI)('export --json matches schemas/export.schema.json', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-export-schema-'))
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('mlcommons: a kws01 lfbe folder, with its variant', async () => {
    const demo = join(work, 'demo')
    expect((await tinydata('demo', '--out', demo, '--json')).code).toBe(0)
    const run = await tinydata('export', join(demo, 'lfbe/kws01'), '--runner', 'mlcommons', '--to', join(work, 'mlcommons'), '--json')
    expect(run.code, run.stderr).toBe(0)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({runner: 'mlcommons', benchmark: 'kws01', variant: 'lfbe', files: 31, written: 31})
    expectMatchesSchema('export', json)
  })

  it('eembc: an ic01 folder (no variant), exported again (nothing written)', async () => {
    const folder = join(work, 'ic01')
    await mkdir(folder)
    await writeFile(join(folder, 'y_labels.csv'), 'cat_s_000001.bin,10,3\n')
    await writeFile(join(folder, 'cat_s_000001.bin'), noiseBytes(3072, 1))
    const home = join(work, 'home')
    for (const written of [2, 0]) {
      const run = await tinydataWithEnv({HOME: home}, 'export', folder, '--runner', 'eembc', '--json')
      expect(run.code, run.stderr).toBe(0)
      const json = JSON.parse(run.stdout)
      expect(json).toMatchObject({runner: 'eembc', benchmark: 'ic01', files: 2, written, unchanged: 2 - written, linked: false})
      expect(json).not.toHaveProperty('variant')
      expectMatchesSchema('export', json)
    }
  })

  it('ic02 (v1.4) for both runners: eembc writes ic02/, mlcommons ic01/ (ic02 runs ic01\'s stimuli)', async () => {
    const folder = join(work, 'prepared', 'ic01')
    await mkdir(folder, {recursive: true})
    await writeFile(join(folder, 'y_labels.csv'), 'cat_s_000001.bin,10,3\n')
    await writeFile(join(folder, 'cat_s_000001.bin'), noiseBytes(3072, 1))
    const eembc = await tinydataWithEnv({HOME: join(work, 'home-ic02')}, 'export', folder, '--runner', 'eembc', '--benchmark', 'ic02', '--json')
    const mlcommons = await tinydata('export', folder, '--runner', 'mlcommons', '--to', join(work, 'py'), '--benchmark', 'ic02', '--json')
    for (const [run, model] of [[eembc, 'ic02'], [mlcommons, 'ic01']] as const) {
      expect(run.code, run.stderr).toBe(0)
      const json = JSON.parse(run.stdout)
      expect(json).toMatchObject({benchmark: 'ic02', stimuli: 'ic01', target: expect.stringMatching(new RegExp(`/${model}$`)), files: 2})
      expectMatchesSchema('export', json)
    }
  })

  it('sww01: mlcommons (truth JSON and WAV) and sd-card (the WAV)', async () => {
    const folder = await writeSwwFolder(join(work, 'sww'), 'sww_mine.json', [{wav_file: 'clip.wav', detection_windows: [], length_sec: 1}], {'clip.wav': wavBytes(16_000)})
    for (const [runner, files] of [['mlcommons', 2], ['sd-card', 1]] as const) {
      const run = await tinydata('export', folder, '--runner', runner, '--to', join(work, runner), '--json')
      expect(run.code, run.stderr).toBe(0)
      const json = JSON.parse(run.stdout)
      expect(json).toMatchObject({runner, benchmark: 'sww01', files, written: files})
      expectMatchesSchema('export', json)
    }
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    const run = await tinydata('export', join(work, 'ic01'), '--runner', 'mlcommons', '--json')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error', message: expect.stringContaining('--to is required')}})
    expectMatchesSchema('error', json)
  })
})
