import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadSharp} from '../src/image/decode.js'
import {labelText, renderContactSheet} from '../src/preview/index.js'
import type {SnakeCased} from '../src/formats/json-case.js'
import type {ShowResult} from '../src/preview/show.js'
import {REPO_ROOT, SHARED, skipMessage} from './helpers/archives.js'
import {BIN, type CliRun, expectOneLineError, HAS_BUILT_CLI, tinydata, tinydataWithEnv} from './helpers/cli.js'
import {noiseBytes} from './helpers/images.js'

const FIXTURES = join(SHARED, 'fixtures')
const HAS_SHARED = existsSync(FIXTURES)
if (!HAS_SHARED) console.log(skipMessage('show on the official stimuli'))
if (!HAS_BUILT_CLI) console.log('skipped: the show CLI tests need the built CLI (npm run build)')

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tinydata-show-'))
})
afterAll(async () => {
  await rm(work, {recursive: true, force: true})
})

/** The built CLI run from `cwd` (tinydata() runs from the repository, where a default output would land). */
async function tinydataIn(cwd: string, ...args: string[]): Promise<CliRun> {
  const env = {...process.env, NO_COLOR: '1', NODE_ENV: 'production'}
  try {
    const {stdout, stderr} = await promisify(execFile)('node', [BIN, ...args], {cwd, env})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const e = error as {code: number; stdout: string; stderr: string}
    return {code: e.code, stdout: e.stdout, stderr: e.stderr}
  }
}

async function showJson(...args: string[]): Promise<SnakeCased<ShowResult>> {
  const run = await tinydata('show', ...args, '--json')
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as SnakeCased<ShowResult>
}

async function pngPixels(file: string): Promise<{width: number; height: number; pixel: (x: number, y: number) => number[]}> {
  const sharp = await loadSharp()
  const {data, info} = await sharp(await readFile(file)).raw().toBuffer({resolveWithObject: true})
  return {width: info.width, height: info.height, pixel: (x, y) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)]}
}

interface FolderFile {
  name: string
  label: number
  bytes: Uint8Array
}

/** A runner folder: y_labels.csv (file, classes, label) and the files. */
async function runnerFolder(path: string, classes: number, files: readonly FolderFile[]): Promise<string> {
  await mkdir(path, {recursive: true})
  await writeFile(join(path, 'y_labels.csv'), files.map((file) => `${file.name},${classes},${file.label}\n`).join(''))
  for (const file of files) await writeFile(join(path, file.name), file.bytes)
  return path
}

const icFiles: FolderFile[] = Array.from({length: 5}, (_, index) => ({name: `cat_s_00000${index}.bin`, label: index + 1, bytes: noiseBytes(3072, 50 + index)}))

describe.skipIf(!HAS_BUILT_CLI)('tinydata show', () => {
  it('draws one ic01 file 8 times magnified, and says where it wrote it', async () => {
    const input = join(work, 'one', 'emu_s_000001.bin')
    await mkdir(join(work, 'one'))
    const stimulus = noiseBytes(3072, 1)
    stimulus.set([250, 5, 128], 0)
    await writeFile(input, stimulus)
    const out = join(work, 'emu.png')
    const result = await showJson(input, '--out', out)
    expect(result).toEqual({out, width: 256, height: 256, benchmark: 'ic01', stimuli: [{file: 'emu_s_000001.bin', label: null, label_text: null}]})
    const image = await pngPixels(out)
    expect([image.width, image.height]).toEqual([256, 256])
    for (const [x, y] of [[0, 0], [7, 7], [3, 5]]) expect(image.pixel(x!, y!)).toEqual([250, 5, 128])
    expect((await readdir(work)).filter((name) => name.endsWith('.tmp'))).toEqual([])

    const run = await tinydata('show', input, '--out', out, '--scale', '2')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout.trim()).toBe(`Wrote ${out} (64 × 64): ic01 stimulus`)
  })

  it('writes to the current folder by default, never into the stimulus folder', async () => {
    const folder = await runnerFolder(join(work, 'default', 'ic01'), 10, icFiles)
    const cwd = join(work, 'default-cwd')
    await mkdir(cwd)
    const file = await tinydataIn(cwd, 'show', join(folder, icFiles[0]!.name))
    expect(file.code, file.stderr).toBe(0)
    expect(file.stdout.trim()).toBe('Wrote cat_s_000000.png (256 × 256): ic01 stimulus')
    const sheet = await tinydataIn(cwd, 'show', folder, '--json')
    expect(sheet.code, sheet.stderr).toBe(0)
    expect(JSON.parse(sheet.stdout)).toMatchObject({out: 'ic01.png', benchmark: 'ic01'})
    expect((await readdir(cwd)).sort()).toEqual(['cat_s_000000.png', 'ic01.png'])
    const inside = await tinydataIn(folder, 'show', '.')
    expect(inside.code).toBe(2)
    expectOneLineError(inside.stderr, 'ic01.png: not written into the current folder: it holds y_labels.csv, so it is a runner folder (give --out)')
    expect((await readdir(folder)).sort()).toEqual([...icFiles.map((f) => f.name), 'y_labels.csv'].sort())
  })

  it('draws a folder as a contact sheet of its listed stimuli, captioned with their labels', async () => {
    const folder = await runnerFolder(join(work, 'sheet', 'ic01'), 10, icFiles)
    const out = join(work, 'sheet.png')
    const result = await showJson(folder, '--out', out)
    expect(result).toMatchObject({out, benchmark: 'ic01', listed: 5})
    expect(result.stimuli).toEqual(icFiles.map((file) => ({file: file.name, label: file.label, label_text: labelText('ic01', file.label)})))
    expect(result.stimuli[2]!.label_text).toBe('cat (3)')
    const expected = await renderContactSheet(icFiles.map((file) => ({name: file.name, label: labelText('ic01', file.label), bytes: file.bytes})), 'ic01')
    expect([result.width, result.height]).toEqual([3 * expected.tileWidth, 2 * expected.tileHeight])
    const image = await pngPixels(out)
    expect([image.width, image.height]).toEqual([result.width, result.height])
    const secondTile = expected.tileWidth + expected.picture.left
    expect(image.pixel(secondTile + 3, expected.picture.top + 3)).toEqual([...icFiles[1]!.bytes.subarray(0, 3)])

    const two = await showJson(folder, '--out', out, '--count', '2')
    expect(two.stimuli.map((stimulus) => stimulus.file)).toEqual(icFiles.slice(0, 2).map((file) => file.name))
    expect(two).toMatchObject({listed: 5, width: 2 * expected.tileWidth, height: expected.tileHeight})
    const run = await tinydata('show', folder, '--out', out, '--count', '2')
    expect(run.stdout.trim()).toBe(`Wrote ${out} (${two.width} × ${two.height}): contact sheet of 2 of 5 ic01 stimuli`)
  })

  it('draws kws01 MFCC, LFBE (--lfbe) and samples, and an ad01 file holding NaN', async () => {
    const folder = join(work, 'kinds')
    await mkdir(folder)
    const ad = new Uint8Array(102400)
    new DataView(ad.buffer).setFloat32(0, Number.NaN, true)
    new DataView(ad.buffer).setFloat32(4, -50, true)
    await writeFile(join(folder, 'ad.bin'), ad)
    await writeFile(join(folder, 'mfcc.bin'), noiseBytes(490, 2))
    await writeFile(join(folder, 'samples.bin'), noiseBytes(32000, 3))
    const results = await Promise.all([
      showJson(join(folder, 'ad.bin'), '--out', join(work, 'ad.png')),
      showJson(join(folder, 'mfcc.bin'), '--out', join(work, 'mfcc.png')),
      showJson(join(folder, 'mfcc.bin'), '--out', join(work, 'lfbe.png'), '--lfbe'),
      showJson(join(folder, 'samples.bin'), '--out', join(work, 'samples.png')),
    ])
    expect(results).toMatchObject([
      {benchmark: 'ad01'}, {benchmark: 'kws01', variant: 'mfcc'}, {benchmark: 'kws01', variant: 'lfbe'}, {benchmark: 'kws01', variant: 'td_samples'},
    ])
  })

  it('refuses what it cannot draw with one line naming the file', async () => {
    const cases: Array<[string[], string]> = []
    cases.push([['show', join(work, 'nothing.bin')], `${join(work, 'nothing.bin')}: no such file or folder`])
    const odd = join(work, 'x.bin')
    await writeFile(odd, new Uint8Array(1234))
    cases.push([['show', odd], `${odd}: 1234 bytes matches no benchmark stimulus (kws01 490 or 32000, ic01 3072, vww01 27648, ad01 102400)`])
    const noLabels = join(work, 'no-labels')
    await mkdir(noLabels)
    cases.push([['show', noLabels], `${join(noLabels, 'y_labels.csv')}: no such file`])
    const missing = await runnerFolder(join(work, 'missing'), 10, icFiles.slice(0, 2))
    await rm(join(missing, icFiles[1]!.name))
    cases.push([['show', missing], `${join(missing, icFiles[1]!.name)}: listed in y_labels.csv but missing`])
    const mixed = await runnerFolder(join(work, 'mixed'), 10, [icFiles[0]!, {name: 'odd.bin', label: 1, bytes: new Uint8Array(490)}])
    cases.push([['show', mixed], `${join(mixed, 'odd.bin')}: 490 bytes, but cat_s_000000.bin has 3072`])
    const good = join(work, 'good.bin')
    await writeFile(good, new Uint8Array(3072))
    cases.push([['show', good, '--out', join(work, 'no', 'such', 'x.png')], `${join(work, 'no', 'such', 'x.png')}: cannot write it: no folder`])
    const runs = await Promise.all(cases.map(([args]) => tinydata(...args)))
    for (const [index, run] of runs.entries()) {
      expect(run.code, run.stdout).toBe(2)
      expectOneLineError(run.stderr, cases[index]![1])
    }
  })

  it('prints a --json error as a JSON document', async () => {
    const run = await tinydata('show', join(work, 'nothing.bin'), '--json')
    expect(run.code).toBe(2)
    expect(JSON.parse(run.stdout)).toEqual({error: {code: 'user_error', message: `${join(work, 'nothing.bin')}: no such file or folder`}})
  })

  it('says how to install sharp where it is missing', async () => {
    // A module hook makes `import('sharp')` fail in the CLI process, as on a machine without the optional package.
    const hook = join(work, 'block-sharp.mjs')
    const resolveHook = 'export async function resolve(specifier, context, next) {'
      + ' if (specifier === "sharp") throw new Error("Cannot find package sharp"); return next(specifier, context) }'
    await writeFile(hook, `import {register} from 'node:module'\nregister('data:text/javascript,' + encodeURIComponent(${JSON.stringify(resolveHook)}))\n`)
    const input = join(work, 'blocked.bin')
    await writeFile(input, new Uint8Array(3072))
    const run = await tinydataWithEnv({NODE_OPTIONS: `--import=${hook}`}, 'show', input, '--out', join(work, 'blocked.png'))
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, 'the optional package sharp is missing, and PNG previews need it (npm install sharp): Cannot find package sharp')
    expect(existsSync(join(work, 'blocked.png'))).toBe(false)
  })
})

/** A runner folder `<work>/official/<name>` of fixture files, with their rows of the official list. */
async function officialFolder(name: string, fixtures: string, list: string): Promise<string> {
  const folder = join(work, 'official', name)
  await mkdir(folder, {recursive: true})
  const files = new Set((await readdir(join(FIXTURES, fixtures))).filter((file) => file.endsWith('.bin')))
  const rows = (await readFile(join(REPO_ROOT, 'manifests/labels', list), 'utf8')).split('\n').filter((row) => files.has(row.split(',')[0]!))
  for (const row of rows) await copyFile(join(FIXTURES, fixtures, row.split(',')[0]!), join(folder, row.split(',')[0]!))
  await writeFile(join(folder, 'y_labels.csv'), rows.map((row) => `${row}\n`).join(''))
  return folder
}

describe.skipIf(!HAS_BUILT_CLI || !HAS_SHARED)('tinydata show on the official stimuli', () => {
  it('makes a 4 × 4 contact sheet of the first 16 ic01 v0.5 images with their CIFAR-10 class names', async () => {
    const folder = await officialFolder('ic01', 'ic01_v0.5/official', 'ic01_v0.5.csv')
    const result = await showJson(folder, '--out', join(work, 'official-ic01.png'))
    expect(result).toMatchObject({benchmark: 'ic01', listed: 100})
    expect(result.stimuli).toHaveLength(16)
    expect(result.stimuli[0]).toEqual({file: 'lippizaner_s_000613.bin', label: 7, label_text: 'horse (7)'})
    const image = await pngPixels(join(work, 'official-ic01.png'))
    expect([image.width, image.height]).toEqual([result.width, result.height])
    expect(result.width % 4).toBe(0)
    expect(result.height % 4).toBe(0)
  })

  it('reads the official kws01 LFBE files as LFBE by their hashes, and MFCC as MFCC', async () => {
    const mfcc = await showJson(await officialFolder('mfcc', 'kws01/mfcc', 'kws01.csv'), '--out', join(work, 'official-mfcc.png'), '--count', '4')
    expect(mfcc).toMatchObject({benchmark: 'kws01', variant: 'mfcc', listed: 107})
    expect(mfcc.stimuli[0]).toEqual({file: 'tst_000000_Stop_7.bin', label: 7, label_text: 'Stop (7)'})
    const lfbe = await showJson(await officialFolder('lfbe', 'kws01/lfbe', 'kws01.csv'), '--out', join(work, 'official-lfbe.png'), '--count', '4')
    expect(lfbe).toMatchObject({benchmark: 'kws01', variant: 'lfbe'})
    expect(await showJson(join(FIXTURES, 'kws01/lfbe/tst_000000_Stop_7.bin'), '--out', join(work, 'one-lfbe.png'))).toMatchObject({variant: 'lfbe'})
  })

  it('draws an official ad01 and vww01 folder', async () => {
    const ad = await showJson(await officialFolder('ad01', 'ad01/official', 'ad01.csv'), '--out', join(work, 'official-ad.png'), '--count', '2')
    expect(ad).toMatchObject({benchmark: 'ad01', listed: 248, stimuli: [{label_text: 'normal (0)'}, {label_text: 'normal (0)'}]})
    const vww = await showJson(await officialFolder('vww01', 'vww01/official', 'vww01.csv'), '--out', join(work, 'official-vww.png'))
    expect(vww).toMatchObject({benchmark: 'vww01', listed: 43})
    expect(vww.stimuli.every((stimulus) => /^(non_person|person) \([01]\)$/.test(stimulus.label_text!))).toBe(true)
  })
})
