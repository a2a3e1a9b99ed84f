import {existsSync} from 'node:fs'
import {copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, truncate, unlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SnakeCased} from '../../src/formats/json-case.js'
import {type StimulusVerifyResult, verifyFolder, type VerifyOptions, type VerifyResult} from '../../src/verify/verify.js'
import {SHARED, skipMessage} from '../helpers/archives.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {noiseBytes} from '../helpers/images.js'
import {wavBytes, writeSwwFolder} from '../helpers/sww.js'

const MFCC_FIXTURES = join(SHARED, 'fixtures/kws01/mfcc')
const HAS_SHARED = existsSync(MFCC_FIXTURES)
if (!HAS_SHARED) console.log(skipMessage('verify on the official kws01 bins'))
if (!HAS_BUILT_CLI) console.log('skipped: the verify CLI tests need the built CLI (npm run build)')

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tinydata-verify-'))
})
afterAll(async () => {
  await rm(work, {recursive: true, force: true})
})

/** verifyFolder on a folder of listed stimuli, never an sww01 folder. */
async function verifyStimuli(folder: string, options?: VerifyOptions): Promise<StimulusVerifyResult> {
  const result = await verifyFolder(folder, options)
  if (result.benchmark === 'sww01') throw new Error(`${folder} was checked as an sww01 folder`)
  return result
}

/** A runner folder `<work>/<name>/kws01` holding the official mfcc fixtures with their rows of the official list. */
async function officialMfccFolder(name: string): Promise<string> {
  const folder = join(work, name, 'kws01')
  await mkdir(folder, {recursive: true})
  const files = (await readdir(MFCC_FIXTURES)).filter((file) => file.endsWith('.bin'))
  for (const file of files) await copyFile(join(MFCC_FIXTURES, file), join(folder, file))
  const officialRows = (await readFile(join(SHARED, 'labels/kws01.csv'), 'utf8')).split('\n')
  await writeFile(join(folder, 'y_labels.csv'), officialRows.filter((row) => files.includes(row.split(',')[0]!)).map((row) => `${row}\n`).join(''))
  return folder
}

describe.skipIf(!HAS_SHARED)('verify on the official kws01 mfcc bins', () => {
  it('finds all 107 identical to the official set', async () => {
    const result = await verifyStimuli(await officialMfccFolder('intact'))
    expect(result).toMatchObject({benchmark: 'kws01', variant: 'mfcc', filesListed: 107, filesPresent: 107, wrongSize: [], missing: [], manifest: null, ok: true})
    expect(result.official).toMatchObject({set: 'kws01', compared: 107, identical: 107, differing: [], officialList: 'kws01'})
    expect(result.official!.notInFolder).toHaveLength(1000 - 107)
  })

  it('tells the variant by the hashes even when the folder name does not say the benchmark', async () => {
    const folder = await officialMfccFolder('renamed')
    const renamed = join(work, 'renamed', 'my-set')
    await rename(folder, renamed)
    expect(await verifyFolder(renamed)).toMatchObject({benchmark: 'kws01', variant: 'mfcc', ok: true})
  })

  it.skipIf(!HAS_BUILT_CLI)('prints "107 of 107 identical" and exits 0', async () => {
    const run = await tinydata('verify', await officialMfccFolder('cli'))
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('107 of 107 identical to the official set kws01')
    expect(run.stdout).toMatch(/OK$/m)
  })

  it.skipIf(!HAS_BUILT_CLI)('reports a flipped byte, exits 2, and passes with --allow-diff', async () => {
    const folder = await officialMfccFolder('flipped')
    const file = join(folder, 'tst_000008_Off_4.bin')
    const bytes = await readFile(file)
    bytes[100] ^= 0xff
    await writeFile(file, bytes)
    const failed = await tinydata('verify', folder)
    expect(failed.code).toBe(2)
    expect(failed.stdout).toContain('106 of 107 identical')
    expect(failed.stdout).toContain('differing: tst_000008_Off_4.bin')
    expectOneLineError(failed.stderr, `${folder}: 1 of 107 file(s) differ from the official set kws01`)

    const allowed = await tinydata('verify', folder, '--allow-diff')
    expect(allowed.code, allowed.stderr).toBe(0)
    expect(allowed.stdout).toContain('allowed by --allow-diff')

    const json = await tinydata('verify', folder, '--json')
    expect(json.code).toBe(2)
    const result = JSON.parse(json.stdout) as SnakeCased<VerifyResult>
    expect(result).toMatchObject({ok: false, official: {compared: 107, identical: 106, differing: ['tst_000008_Off_4.bin']}})
  })

  it.skipIf(!HAS_BUILT_CLI)('reports a deleted file as missing and a truncated one as the wrong size, even with --allow-diff', async () => {
    const folder = await officialMfccFolder('broken')
    await unlink(join(folder, 'tst_000008_Off_4.bin'))
    await truncate(join(folder, 'tst_000010_Unknown_11.bin'), 400)
    const run = await tinydata('verify', folder, '--allow-diff', '--json')
    expect(run.code).toBe(2)
    const result = JSON.parse(run.stdout) as SnakeCased<VerifyResult>
    expect(result).toMatchObject({
      files_listed: 107, files_present: 106, missing: ['tst_000008_Off_4.bin'], ok: false,
      wrong_size: [{file: 'tst_000010_Unknown_11.bin', bytes: 400, expected: 490}],
    })
    const text = await tinydata('verify', folder)
    expect(text.stdout).toContain('missing: tst_000008_Off_4.bin')
    expectOneLineError(text.stderr, `${folder}: 1 listed file(s) missing; 1 file(s) not 490 bytes`)
  })
})

describe.skipIf(!HAS_BUILT_CLI)('verify on folders written by tinydata demo', () => {
  let demo: string
  beforeAll(async () => {
    demo = join(work, 'demo')
    const run = await tinydata('demo', '--out', demo, '--json')
    expect(run.code, run.stderr).toBe(0)
  })

  it('mfcc: 29 of 30 identical, lists tst_000619, and needs --allow-diff', async () => {
    const folder = join(demo, 'mfcc/kws01')
    const run = await tinydata('verify', folder, '--json')
    expect(run.code).toBe(2)
    expect(JSON.parse(run.stdout)).toMatchObject({
      variant: 'mfcc', manifest: {checked: 30, mismatched: []},
      official: {set: 'kws01', compared: 30, identical: 29, differing: ['tst_000619_Unknown_11.bin']},
    })
    const allowed = await tinydata('verify', folder, '--allow-diff')
    expect(allowed.code, allowed.stderr).toBe(0)
    expect(allowed.stdout).toContain('29 of 30 identical to the official set kws01')
    expect(allowed.stdout).toContain('differing: tst_000619_Unknown_11.bin')
  })

  it('lfbe: 30 of 30 identical, ok', async () => {
    const run = await tinydata('verify', join(demo, 'lfbe/kws01'))
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('(kws01, lfbe)')
    expect(run.stdout).toContain('30 of 30 identical to the official set kws01-open/lfbe')
    expect(run.stdout).toContain('manifest.arrow: 30 file(s) checked, 0 mismatch(es)')
  })

  it('reports a .bin changed after prepare as a manifest mismatch', async () => {
    const folder = join(work, 'changed', 'kws01')
    await mkdir(folder, {recursive: true})
    const source = join(demo, 'td_samples/kws01')
    for (const file of await readdir(source)) await copyFile(join(source, file), join(folder, file))
    const file = join(folder, 'tst_000000_Stop_7.bin')
    const bytes = await readFile(file)
    bytes[0] ^= 1
    await writeFile(file, bytes)
    const run = await tinydata('verify', folder, '--allow-diff', '--json')
    expect(run.code).toBe(2)
    expect(JSON.parse(run.stdout)).toMatchObject({
      variant: 'td_samples', expected_bytes: 32000,
      manifest: {checked: 30, mismatched: [{file: 'tst_000000_Stop_7.bin', problem: 'sha256 differs from manifest.arrow'}]},
    })
    await unlink(join(folder, 'tst_000008_Off_4.bin'))
    await writeFile(join(folder, 'y_labels.csv'), (await readFile(join(folder, 'y_labels.csv'), 'utf8')).replace(/^tst_000008_Off_4\.bin.*\n/m, ''))
    const result = await verifyStimuli(folder, {allowDiff: true})
    expect(result.manifest!.mismatched).toContainEqual({file: 'tst_000008_Off_4.bin', problem: 'in manifest.arrow but not in y_labels.csv'})
  })
})

describe.skipIf(!HAS_BUILT_CLI)('verify: bad input is one line naming the file', () => {
  it('no folder, no y_labels.csv, an empty one, a malformed row, an unknown benchmark', async () => {
    const missingFolder = join(work, 'absent')
    expectOneLineError((await tinydata('verify', missingFolder)).stderr, `${missingFolder}: no such folder`)

    const empty = join(work, 'bad', 'kws01')
    await mkdir(empty, {recursive: true})
    const noList = await tinydata('verify', empty)
    expect(noList.code).toBe(2)
    expectOneLineError(noList.stderr, `${join(empty, 'y_labels.csv')}: no such file`)

    await writeFile(join(empty, 'y_labels.csv'), '')
    expectOneLineError((await tinydata('verify', empty)).stderr, `${join(empty, 'y_labels.csv')}: no label rows`)

    await writeFile(join(empty, 'y_labels.csv'), 'tst_000000_Stop_7.bin,12,7\ntst_000001_Left_2.bin;12;2\n')
    expectOneLineError((await tinydata('verify', empty)).stderr, `${join(empty, 'y_labels.csv')}: line 2: expected "file,classes,label"`)

    await writeFile(join(empty, 'y_labels.csv'), '../escape.bin,12,7\n')
    expectOneLineError((await tinydata('verify', empty)).stderr, '"../escape.bin" is not a plain file name')

    const unknown = join(work, 'bad', 'mystery')
    await mkdir(unknown, {recursive: true})
    await writeFile(join(unknown, 'y_labels.csv'), 'cat.bin,2,1\ndog.bin,2,0\n')
    const run = await tinydata('verify', unknown, '--json')
    expect(run.code).toBe(2)
    expect(JSON.parse(run.stdout).error.message).toBe(`${unknown}: cannot tell its benchmark: the folder is not named kws01, vww01, ic01, ic02 or ad01, and its file names match none of them`)
  })
})

describe.skipIf(!HAS_SHARED)('verify on the other official sets', () => {
  async function officialFolder(name: string, fixtures: string, list: string): Promise<VerifyResult> {
    const folder = join(work, 'others', name)
    await mkdir(folder, {recursive: true})
    const files = (await readdir(join(SHARED, fixtures))).filter((file) => file.endsWith('.bin'))
    for (const file of files) await copyFile(join(SHARED, fixtures, file), join(folder, file))
    const rows = (await readFile(join(SHARED, 'labels', list), 'utf8')).split('\n').filter((row) => files.includes(row.split(',')[0]!))
    await writeFile(join(folder, 'y_labels.csv'), rows.map((row) => `${row}\n`).join(''))
    return verifyFolder(folder)
  }

  it('vww01, ic01 (v0.5) and ad01 (told by its 5-field rows) are identical to their official sets', async () => {
    expect(await officialFolder('vww01', 'fixtures/vww01/official', 'vww01.csv')).toMatchObject({benchmark: 'vww01', ok: true, official: {set: 'vww01', compared: 43, identical: 43}})
    expect(await officialFolder('ic01', 'fixtures/ic01_v0.5/official', 'ic01_v0.5.csv')).toMatchObject({benchmark: 'ic01', ok: true, official: {set: 'ic01_v0.5', compared: 100, identical: 100}})
    // ic02 (v1.4) runs ic01's stimuli: a folder named for it is compared with ic01's official sets.
    expect(await officialFolder('ic02', 'fixtures/ic01_v0.5/official', 'ic01_v0.5.csv')).toMatchObject({
      benchmark: 'ic02', stimuli: 'ic01', expectedBytes: 3072, ok: true, official: {set: 'ic01_v0.5', compared: 100, identical: 100},
    })
    const ad = await officialFolder('toycar-set', 'fixtures/ad01/official', 'ad01.csv')
    expect(ad).toMatchObject({benchmark: 'ad01', expectedBytes: 102400, ok: true, official: {set: 'ad01', compared: 248, identical: 248, notInFolder: []}})
  })
})

describe.skipIf(!HAS_BUILT_CLI)('verify ic02 (MLPerf Tiny v1.4), which runs ic01\'s stimuli', () => {
  /** A folder `<work>/ic02-cases/<name>` listing 3072-byte files under the given names. */
  async function stimulusFolder(name: string, files: readonly string[], bytes = 3072): Promise<string> {
    const folder = join(work, 'ic02-cases', name)
    await mkdir(folder, {recursive: true})
    for (const [index, file] of files.entries()) await writeFile(join(folder, file), noiseBytes(bytes, index + 1))
    await writeFile(join(folder, 'y_labels.csv'), files.map((file, index) => `${file},10,${index % 10}\n`).join(''))
    return folder
  }

  it('a folder named ic02 is checked as ic01 stimuli and reported as ic02', async () => {
    const folder = await stimulusFolder('ic02', ['cat_s_000001.bin', 'emu_s_002009.bin'])
    const run = await tinydata('verify', folder)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(`${folder} (ic02, the ic01 stimuli): 2 of 2 files listed in y_labels.csv present, 3072 bytes expected each`)
    const json = await tinydata('verify', folder, '--json')
    expect(JSON.parse(json.stdout)).toMatchObject({benchmark: 'ic02', stimuli: 'ic01', expected_bytes: 3072, ok: true})
  })

  it('--benchmark ic02 tells the benchmark of a folder whose name and file names do not', async () => {
    const folder = await stimulusFolder('my-set', ['a.bin', 'b.bin'])
    expectOneLineError((await tinydata('verify', folder)).stderr, `${folder}: cannot tell its benchmark`)
    const run = await tinydata('verify', folder, '--benchmark', 'ic02', '--json')
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({benchmark: 'ic02', stimuli: 'ic01', files_present: 2, wrong_size: [], ok: true})

    // Named ic02, the folder must hold 3072-byte images: vww01-sized files are the wrong size.
    const vwwSized = await stimulusFolder('vww-sized', ['a.bin'], 27648)
    const wrong = await tinydata('verify', vwwSized, '--benchmark', 'ic02')
    expect(wrong.code).toBe(2)
    expectOneLineError(wrong.stderr, `${vwwSized}: 1 file(s) not 3072 bytes`)
  })

  it('--benchmark of the other folder kind is one line naming the folder', async () => {
    const stimuli = await stimulusFolder('kind', ['cat_s_000001.bin'])
    const notSww = await tinydata('verify', stimuli, '--benchmark', 'sww01')
    expect(notSww.code).toBe(2)
    expectOneLineError(notSww.stderr, `${stimuli}: holds stimuli listed in y_labels.csv, not sww01's truth JSON and WAVs`)

    const sww = await writeSwwFolder(join(work, 'ic02-cases'), 'sww_mine.json', [{wav_file: 'clip.wav', detection_windows: [], length_sec: 1}], {'clip.wav': wavBytes(16_000)})
    const notIc02 = await tinydata('verify', sww, '--benchmark', 'ic02')
    expect(notIc02.code).toBe(2)
    expectOneLineError(notIc02.stderr, `${sww}: holds sww01's truth JSON and WAVs, not ic02's stimuli listed in y_labels.csv`)
  })
})
