/**
 * `tinydata demo --json` against schemas/demo.schema.json (its results are prepare-kws.schema.json's, its benchmarks
 * hold the prepare ic, vww, ad and sww results), and an error.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

if (!HAS_BUILT_CLI) console.log('skipped: the demo schema tests need the built CLI (npm run build)')

describe.skipIf(!HAS_BUILT_CLI)('demo --json matches schemas/demo.schema.json', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-demo-schema-'))
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('the bundled kws01 sample in each variant, then the generated samples of ic01, vww01, ad01 and sww01', async () => {
    const out = join(work, 'demo')
    const run = await tinydata('demo', '--out', out, '--json')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    const json = JSON.parse(run.stdout)
    expect(json.sample).toMatch(/samples\/kws01-sample\.tar\.gz$/)
    expect(json.results.map((result: {variant: string; files_written: number}) => [result.variant, result.files_written])).toEqual([['mfcc', 30], ['lfbe', 30], ['td_samples', 30]])
    type Generated = {benchmark: string; output_dir: string; files_written: number; y_labels_rows: number | null; structure_verified: boolean}
    expect(json.benchmarks.map((b: Generated) => [b.benchmark, b.output_dir, b.files_written, b.y_labels_rows, b.structure_verified])).toEqual([
      ['ic01', join(out, 'ic01'), 200, 200, true],
      ['vww01', join(out, 'vww01'), 8, 8, true],
      ['ad01', join(out, 'ad01'), 4, 4, true],
      ['sww01', join(out, 'sww01'), 2, null, true],
    ])
    expect(json.next).toBe(`tinydata verify ${join(out, 'lfbe/kws01')}`)
    expectMatchesSchema('demo', json)

    // The folders as the runner reads them: y_labels.csv rows (vww01: person first; ad01: normal first) and the sww01 truth.
    const rows = async (benchmark: string) => (await readFile(join(out, benchmark, 'y_labels.csv'), 'utf8')).trim().split('\n')
    expect(await rows('ic01')).toHaveLength(200)
    expect((await rows('ic01'))[0]).toBe('emu_s_002009.bin,10,2')
    expect((await rows('vww01')).map((row) => row.split(',')[2])).toEqual(['1', '1', '1', '1', '0', '0', '0', '0'])
    expect(await rows('ad01')).toEqual([
      'normal_id_01_00000003_hist_librosa.bin,2,0,2560,512', 'normal_id_01_00000013_hist_librosa.bin,2,0,2560,512',
      'anomaly_id_01_00000003_hist_librosa.bin,2,1,2560,512', 'anomaly_id_01_00000013_hist_librosa.bin,2,1,2560,512',
    ])
    const truth = JSON.parse(await readFile(join(out, 'sww01/sww01-sample.json'), 'utf8'))
    expect(truth).toMatchObject([{wav_file: 'sww01-sample.wav', length_sec: 6, sample_rate: 16000}])
    expect(truth[0].detection_windows).toHaveLength(2)
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    const file = join(work, 'a-file')
    await writeFile(file, '')
    const run = await tinydata('demo', '--out', file, '--json')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error', message: expect.stringContaining(`${file}/mfcc: cannot create the output folder`)}})
    expectMatchesSchema('error', json)
  })
})
