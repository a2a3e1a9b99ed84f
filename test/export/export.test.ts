import {copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ExportResult} from '../../src/export/export.js'
import type {SnakeCased} from '../../src/formats/json-case.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata, tinydataWithEnv} from '../helpers/cli.js'
import {wavBytes, writeSwwFolder} from '../helpers/sww.js'

if (!HAS_BUILT_CLI) console.log('skipped: the export tests need the built CLI (npm run build)')

/** Reads a runner folder as both runners do: y_labels.csv rows `file,classes,class`, each file beside it. */
async function readAsRunner(folder: string): Promise<Array<{file: string; classes: number; class: number; bytes: Buffer}>> {
  const rows = (await readFile(join(folder, 'y_labels.csv'), 'utf8')).split('\n').filter((line) => line.trim() !== '')
  return Promise.all(rows.map(async (row) => {
    const [file, classes, label] = row.split(',').map((field) => field.trim())
    return {file: file!, classes: Number(classes), class: Number(label), bytes: await readFile(join(folder, file!))}
  }))
}

async function expectSameFiles(source: string, target: string): Promise<number> {
  const rows = await readAsRunner(target)
  for (const row of rows) {
    expect(row.classes).toBe(12)
    expect(row.bytes.equals(await readFile(join(source, row.file))), row.file).toBe(true)
  }
  expect(await readFile(join(target, 'y_labels.csv'))).toEqual(await readFile(join(source, 'y_labels.csv')))
  expect((await readdir(target)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  return rows.length
}

describe.skipIf(!HAS_BUILT_CLI)('export', () => {
  let work: string
  let mfcc: string
  let lfbe: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-export-'))
    const demo = await tinydata('demo', '--out', join(work, 'demo'), '--json')
    expect(demo.code, demo.stderr).toBe(0)
    mfcc = join(work, 'demo/mfcc/kws01')
    lfbe = join(work, 'demo/lfbe/kws01')
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('eembc: copies into ~/eembc/runner/benchmarks/ulp-mlperf/datasets/kws01 and prints the next step', async () => {
    const home = join(work, 'home')
    const run = await tinydataWithEnv({HOME: home}, 'export', lfbe, '--runner', 'eembc')
    expect(run.code, run.stderr).toBe(0)
    const target = join(home, 'eembc/runner/benchmarks/ulp-mlperf/datasets/kws01')
    expect(await expectSameFiles(lfbe, target)).toBe(30)
    expect(run.stdout).toContain(`to ${target}:`)
    expect(run.stdout).toContain('31 of 31 file(s) copied and checked (size and sha256)')
    expect(run.stdout).toContain(`Next: open the EEMBC EnergyRunner, connect a device whose firmware reports m-model-kws01`)
    expect(run.stdout).toContain('kws01-open lfbe stimuli under the name kws01')

    const again = await tinydataWithEnv({HOME: home}, 'export', lfbe, '--runner', 'eembc', '--json')
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({target, files: 31, written: 0, unchanged: 31, replaced: 0})
  })

  it('refuses to overwrite a different file without --force, and replaces it with --force', async () => {
    const home = join(work, 'home-conflict')
    expect((await tinydataWithEnv({HOME: home}, 'export', lfbe, '--runner', 'eembc')).code).toBe(0)
    const target = join(home, 'eembc/runner/benchmarks/ulp-mlperf/datasets/kws01')
    const before = await readFile(join(target, 'tst_000000_Stop_7.bin'))

    const refused = await tinydataWithEnv({HOME: home}, 'export', mfcc, '--runner', 'eembc')
    expect(refused.code).toBe(2)
    expectOneLineError(refused.stderr, 'exists and differs from')
    expect(refused.stderr).toContain('--force replaces them')
    expect(await readFile(join(target, 'tst_000000_Stop_7.bin'))).toEqual(before) // nothing was written

    const forced = await tinydataWithEnv({HOME: home}, 'export', mfcc, '--runner', 'eembc', '--force', '--json')
    expect(forced.code, forced.stderr).toBe(0)
    const result = JSON.parse(forced.stdout) as SnakeCased<ExportResult>
    // y_labels.csv is the same for mfcc and lfbe (same clips); every stimulus differs.
    expect(result).toMatchObject({variant: 'mfcc', written: 30, replaced: 30, unchanged: 1})
    await expectSameFiles(mfcc, target)
  })

  it('mlcommons: needs --to, writes <to>/kws01, --link makes hard links, and prints the main.py command', async () => {
    const noTo = await tinydata('export', mfcc, '--runner', 'mlcommons')
    expect(noTo.code).toBe(2)
    expectOneLineError(noTo.stderr, '--to is required with --runner mlcommons')

    const to = join(work, 'runner datasets')
    const run = await tinydata('export', mfcc, '--runner', 'mlcommons', '--to', to, '--link')
    expect(run.code, run.stderr).toBe(0)
    const target = join(to, 'kws01')
    expect(await expectSameFiles(mfcc, target)).toBe(30)
    for (const name of ['y_labels.csv', 'tst_000619_Unknown_11.bin']) {
      const [source, linked] = await Promise.all([stat(join(mfcc, name)), stat(join(target, name))])
      expect(linked.ino).toBe(source.ino)
    }
    expect(run.stdout).toContain('31 of 31 file(s) hard-linked')
    expect(run.stdout).toContain(`python main.py --dataset_path='${to}'`)
    expect(run.stdout).toContain(`reads ${join(target, 'y_labels.csv')}`)
  })

  it('refuses a broken folder and writes nothing', async () => {
    const broken = join(work, 'broken', 'kws01')
    await mkdir(broken, {recursive: true})
    for (const name of ['y_labels.csv', 'tst_000000_Stop_7.bin']) await copyFile(join(mfcc, name), join(broken, name))
    await writeFile(join(broken, 'tst_000000_Stop_7.bin'), Buffer.alloc(10))
    const to = join(work, 'never')
    const run = await tinydata('export', broken, '--runner', 'mlcommons', '--to', to)
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, `${broken}: 29 listed file(s) missing; 1 file(s) not 490 bytes`)
    await expect(stat(to)).rejects.toThrow()
  })
})

describe.skipIf(!HAS_BUILT_CLI)('export of an sww01 folder', () => {
  let work: string
  let sww: string
  const truth = [{wav_file: 'clip.wav', detection_windows: [[0.25, 0.5]], length_sec: 1, sample_rate: 16000}]
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-export-sww-'))
    sww = await writeSwwFolder(join(work, 'prepared'), 'sww_mine.json', truth, {'clip.wav': wavBytes(16_000), 'other.wav': wavBytes(10)})
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('mlcommons: <to>/sww01 holds the truth JSON and the WAVs it names, and the next step names the JSON', async () => {
    const to = join(work, 'datasets')
    const run = await tinydata('export', sww, '--runner', 'mlcommons', '--to', to)
    expect(run.code, run.stderr).toBe(0)
    expect((await readdir(join(to, 'sww01'))).sort()).toEqual(['clip.wav', 'sww_mine.json'])
    for (const name of ['clip.wav', 'sww_mine.json']) expect(await readFile(join(to, 'sww01', name))).toEqual(await readFile(join(sww, name)))
    expect(run.stdout).toContain('2 of 2 file(s) copied and checked (size and sha256)')
    expect(run.stdout).toContain(`reads ${join(to, 'sww01', 'sww_mine.json')} for the sww01 tests`)
  })

  it('sd-card: the WAVs at the card\'s root; the EnergyRunner and a stimulus folder on a card are refused', async () => {
    const card = join(work, 'card')
    const run = await tinydata('export', sww, '--runner', 'sd-card', '--to', card, '--json')
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({runner: 'sd-card', benchmark: 'sww01', target: card, files: 1, written: 1})
    expect(await readdir(card)).toEqual(['clip.wav'])

    const eembc = await tinydataWithEnv({HOME: join(work, 'home')}, 'export', sww, '--runner', 'eembc')
    expect(eembc.code).toBe(2)
    expectOneLineError(eembc.stderr, `${sww}: the EEMBC EnergyRunner does not run sww01`)
    const noTo = await tinydata('export', sww, '--runner', 'sd-card')
    expectOneLineError(noTo.stderr, '--to is required with --runner sd-card')
    const stimuli = join(work, 'stimuli', 'ic01')
    await mkdir(stimuli, {recursive: true})
    const onCard = await tinydata('export', stimuli, '--runner', 'sd-card', '--to', card)
    expectOneLineError(onCard.stderr, `${stimuli}: --runner sd-card is for an sww01 folder`)
  })

  it('a WAV the board refuses is not exported, and nothing is written', async () => {
    const broken = await writeSwwFolder(join(work, 'broken'), 'sww_mine.json', truth, {'clip.wav': wavBytes(16_000, {channels: 1})})
    const card = join(work, 'never')
    const run = await tinydata('export', broken, '--runner', 'sd-card', '--to', card)
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, `${broken}: clip.wav has 1 channel(s); the board needs 2 identical channels; nothing exported`)
    await expect(stat(card)).rejects.toThrow()
  })
})
