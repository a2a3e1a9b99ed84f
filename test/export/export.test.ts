import {copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ExportResult} from '../../src/export/export.js'
import type {SnakeCased} from '../../src/formats/json-case.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata, tinydataWithEnv} from '../helpers/cli.js'
import {noiseBytes} from '../helpers/images.js'
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
    // The whole command line, as run in tiny/benchmark/runner: main.py's defaults differ between its versions.
    expect(run.stdout).toContain(`python main.py --dataset_path='${to}' --test_script=tests_accuracy.yaml --mode=a --device_list=devices.yaml`)
    expect(run.stdout).toContain('(performance: --test_script=tests_performance.yaml --mode=p; energy: --test_script=tests_energy.yaml --mode=e)')
    expect(run.stdout).toContain(`reads ${join(target, 'y_labels.csv')} for the tests whose model is kws01 (tests_*.yaml: the kws01 devices)`)
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
    expect(run.stdout).toContain(`python main.py --dataset_path=${to} --test_script=tests_performance.yaml --mode=p --device_list=devices.yaml`)
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

const EEMBC_DATASETS = 'eembc/runner/benchmarks/ulp-mlperf/datasets'

/** A folder `<parent>/<name>` listing two 3072-byte ic01-named images. */
async function icFolder(parent: string, name: string): Promise<string> {
  const folder = join(parent, name)
  await mkdir(folder, {recursive: true})
  const files = ['cat_s_000001.bin', 'emu_s_002009.bin']
  for (const [index, file] of files.entries()) await writeFile(join(folder, file), noiseBytes(3072, index + 1))
  await writeFile(join(folder, 'y_labels.csv'), files.map((file, index) => `${file},10,${index}\n`).join(''))
  return folder
}

describe.skipIf(!HAS_BUILT_CLI)('export for ic02 (MLPerf Tiny v1.4), which runs ic01\'s stimuli', () => {
  let work: string
  let ic02: string
  let ic01: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-export-ic02-'))
    ic02 = await icFolder(join(work, 'prepared'), 'ic02')
    ic01 = await icFolder(join(work, 'prepared'), 'ic01')
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('eembc: a folder named ic02 goes to datasets/ic02, the folder an ic02 device (m-model-ic02) makes the runner read', async () => {
    const home = join(work, 'home')
    const run = await tinydataWithEnv({HOME: home}, 'export', ic02, '--runner', 'eembc')
    expect(run.code, run.stderr).toBe(0)
    const target = join(home, EEMBC_DATASETS, 'ic02')
    expect((await readdir(target)).sort()).toEqual(['cat_s_000001.bin', 'emu_s_002009.bin', 'y_labels.csv'])
    expect(run.stdout).toContain(`Exported ${ic02} (ic02, the ic01 stimuli) for the eembc runner to ${target}:`)
    expect(run.stdout).toContain('connect a device whose firmware reports m-model-ic02')
  })

  it('mlcommons: --benchmark ic02 on an ic01 folder writes <to>/ic01, where tests_*.yaml make ic02 read', async () => {
    const to = join(work, 'runner')
    const run = await tinydata('export', ic01, '--runner', 'mlcommons', '--to', to, '--benchmark', 'ic02', '--json')
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as SnakeCased<ExportResult>
    expect(result).toMatchObject({benchmark: 'ic02', stimuli: 'ic01', target: join(to, 'ic01'), files: 3, written: 3})
    expect(result.next).toContain(`python main.py --dataset_path=${to} --test_script=tests_accuracy.yaml --mode=a --device_list=devices.yaml`)
    expect(result.next).toContain(`reads ${join(to, 'ic01', 'y_labels.csv')} for the tests whose model is ic01 (tests_*.yaml: the ic01 and ic02 devices)`)
    expect(await readdir(to)).toEqual(['ic01'])
  })

  it('--benchmark of the other folder kind is one line naming the folder, and nothing is written', async () => {
    const to = join(work, 'never')
    const run = await tinydata('export', ic01, '--runner', 'mlcommons', '--to', to, '--benchmark', 'sww01')
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, `${ic01}: holds stimuli listed in y_labels.csv, not sww01's truth JSON and WAVs`)
    const sww = await writeSwwFolder(join(work, 'prepared'), 'sww_mine.json', [{wav_file: 'clip.wav', detection_windows: [], length_sec: 1}], {'clip.wav': wavBytes(16_000)})
    const swwAsIc02 = await tinydata('export', sww, '--runner', 'mlcommons', '--to', to, '--benchmark', 'ic02')
    expectOneLineError(swwAsIc02.stderr, `${sww}: holds sww01's truth JSON and WAVs, not ic02's stimuli listed in y_labels.csv`)
    await expect(stat(to)).rejects.toThrow()
  })
})

describe.skipIf(!HAS_BUILT_CLI)('export --runner eembc honours the EnergyRunner\'s ~/.eembc.ini root=', () => {
  let work: string
  let ic01: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-export-ini-'))
    ic01 = await icFolder(work, 'ic01')
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  /** A home folder holding `.eembc.ini` with these bytes. */
  async function homeWithIni(name: string, ini: string | Buffer): Promise<string> {
    const home = join(work, name)
    await mkdir(home, {recursive: true})
    await writeFile(join(home, '.eembc.ini'), ini)
    return home
  }

  it('root= moves the datasets folder to <root>/eembc/runner/benchmarks/ulp-mlperf/datasets', async () => {
    const root = join(work, 'runner root')
    // As the runner writes it, here with CRLF line ends and a comment.
    const home = await homeWithIni('home-root', `; EEMBC runner settings\r\nroot=${root}\r\ndut-baud=115200\r\nuse-crlf=false\r\n`)
    const run = await tinydataWithEnv({HOME: home}, 'export', ic01, '--runner', 'eembc', '--json')
    expect(run.code, run.stderr).toBe(0)
    const target = join(root, EEMBC_DATASETS, 'ic01')
    const result = JSON.parse(run.stdout) as SnakeCased<ExportResult>
    expect(result).toMatchObject({target, written: 3})
    expect(result.next).toContain(`it reads ${join(target, 'y_labels.csv')} (under the root= of ${join(home, '.eembc.ini')})`)
    expect((await readdir(target)).sort()).toEqual(['cat_s_000001.bin', 'emu_s_002009.bin', 'y_labels.csv'])
    await expect(stat(join(home, 'eembc'))).rejects.toThrow()
  })

  it('an ini without root= (or no ini) leaves the datasets under the home folder', async () => {
    const home = await homeWithIni('home-no-root', 'dut-baud=115200\ndut-boot-mv=3000\n')
    const run = await tinydataWithEnv({HOME: home}, 'export', ic01, '--runner', 'eembc', '--json')
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as SnakeCased<ExportResult>
    expect(result.target).toBe(join(home, EEMBC_DATASETS, 'ic01'))
    expect(result.next).not.toContain('.eembc.ini')
  })

  it('a malformed ini is one line naming it, and nothing is written', async () => {
    const cases: Array<[string, string | Buffer, string]> = [
      ['not-key-value', 'root=/tmp/x\n[settings]\n', 'malformed: line 2 is not key=value ("[settings]")'],
      ['relative-root', 'dut-baud=115200\nroot=~/eembc-root\n', 'line 2: root=~/eembc-root is not an absolute path'],
      ['empty-root', 'root=\n', 'line 1: root= is not an absolute path'],
      ['not-utf8', Buffer.from([0x72, 0x6f, 0x6f, 0x74, 0x3d, 0xff, 0xfe, 0x0a]), 'malformed: not UTF-8 text'],
    ]
    for (const [name, ini, problem] of cases) {
      const home = await homeWithIni(name, ini)
      const run = await tinydataWithEnv({HOME: home}, 'export', ic01, '--runner', 'eembc')
      expect(run.code, name).toBe(2)
      expectOneLineError(run.stderr, `${join(home, '.eembc.ini')}: ${problem}`)
      expect(await readdir(home), name).toEqual(['.eembc.ini'])
    }
  })

  it('with --to the ini is not read, and the note says where the runner would look', async () => {
    const home = await homeWithIni('home-to', 'root\n')
    const to = join(work, 'elsewhere')
    const run = await tinydataWithEnv({HOME: home}, 'export', ic01, '--runner', 'eembc', '--to', to)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(`Note: the EnergyRunner reads ${join('<root>', EEMBC_DATASETS, 'ic01')}, where <root> is the root= of ~/.eembc.ini (your home folder by default); --to put the files in ${join(to, 'ic01')} instead.`)
  })
})
