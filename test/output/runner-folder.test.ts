import {existsSync} from 'node:fs'
import * as fs from 'node:fs/promises'
import {mkdir, mkdtemp, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'

import {UserError} from '../../src/errors.js'
import type {ManifestRow} from '../../src/manifest/schema.js'
import {RunnerFolderWriter} from '../../src/output/runner-folder.js'

/** Lets a test act at the moment the writer renames a folder: what another run could do at that moment. */
const beforeRename = vi.hoisted(() => ({hook: undefined as ((from: string, to: string) => Promise<void>) | undefined}))
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>()
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      await beforeRename.hook?.(from, to)
      return actual.rename(from, to)
    },
  }
})

const META = {benchmark: 'kws01', recipe: {}, tinydataVersion: 'test'}

function row(file: string): ManifestRow {
  const zeros = '0'.repeat(64)
  return {file, label: 0, className: 'down', sourceMember: `down/${file}`, sourceSha256: zeros, stimulusSha256: zeros, dtype: 'int8', shape: [2], scale: 1, zeroPoint: 0, subset: 'test'}
}

/** One writer's run: stimuli `files` (2 bytes each) committed into `<out>/kws01/`. */
async function prepare(out: string, files: readonly string[], force = false): Promise<string> {
  const writer = new RunnerFolderWriter(out, 'kws01', force)
  try {
    for (const file of files) await writer.add(file, Uint8Array.of(1, 2))
    return await writer.commit(files.map((file) => ({file, staged: file})), files.map(row), files.map((file) => `${file},2,0`).join('\n'), META)
  } catch (error) {
    await writer.discard()
    throw error
  }
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tinydata-runner-folder-'))
})
afterEach(async () => {
  beforeRename.hook = undefined
  await rm(dir, {recursive: true, force: true})
})

describe('RunnerFolderWriter: replacing a previous folder', () => {
  it('replaces a folder of its own files (those its manifest lists, y_labels.csv and the manifest)', async () => {
    await prepare(dir, ['a.bin', 'b.bin'])
    await prepare(dir, ['c.bin'])
    expect((await readdir(join(dir, 'kws01'))).sort()).toEqual(['c.bin', 'manifest.arrow', 'y_labels.csv'])
  })

  it.each([
    ['a file its manifest does not list', async (target: string) => writeFile(join(target, 'notes.txt'), 'mine'), 'notes.txt'],
    ['a folder', async (target: string) => mkdir(join(target, 'a.bin.d')), 'a.bin.d'],
    ['files once the manifest is gone', async (target: string) => rm(join(target, 'manifest.arrow')), 'a.bin'],
  ])('refuses to replace a folder holding %s, naming the first such entry, and leaves it as it was', async (_what, change, foreign) => {
    const target = join(dir, 'kws01')
    await prepare(dir, ['a.bin', 'b.bin'])
    await change(target)
    const before = (await readdir(target)).sort()
    const error = await prepare(dir, ['c.bin']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(new RegExp(`^${join(target, foreign)}: tinydata did not write it .*--force`))
    expect((error as Error).message).not.toContain('\n')
    expect((await readdir(target)).sort()).toEqual(before)
    expect(await readdir(dir)).toEqual(['kws01'])
    await prepare(dir, ['c.bin'], true)
    expect((await readdir(target)).sort()).toEqual(['c.bin', 'manifest.arrow', 'y_labels.csv'])
  })

  it('refuses a file where its folder goes, unless forced', async () => {
    await writeFile(join(dir, 'kws01'), 'not a folder')
    await expect(prepare(dir, ['a.bin'])).rejects.toThrow(`${join(dir, 'kws01')}: is a file, where prepare writes its folder`)
    await prepare(dir, ['a.bin'], true)
    expect(await readdir(join(dir, 'kws01'))).toContain('a.bin')
  })

  it('refuses a file the user puts there while the run is making its own, at commit', async () => {
    await prepare(dir, ['a.bin'])
    const writer = new RunnerFolderWriter(dir, 'kws01')
    await writer.add('b.bin', Uint8Array.of(1, 2))
    await writeFile(join(dir, 'kws01/late.txt'), 'mine')
    await expect(writer.commit([{file: 'b.bin', staged: 'b.bin'}], [row('b.bin')], 'b.bin,2,0', META)).rejects.toThrow(`${join(dir, 'kws01/late.txt')}: tinydata did not write it`)
    await writer.discard()
    expect((await readdir(join(dir, 'kws01'))).sort()).toEqual(['a.bin', 'late.txt', 'manifest.arrow', 'y_labels.csv'])
  })

  it('a run whose folder another run put in place at the same moment fails with one line naming it', async () => {
    await prepare(dir, ['a.bin'])
    const target = join(dir, 'kws01')
    // Just before this run moves its staged folder in, another one's (not empty) takes the place.
    beforeRename.hook = async (from, to) => {
      if (to !== target || !from.includes('.partial-')) return
      beforeRename.hook = undefined
      await mkdir(target)
      await writeFile(join(target, 'other.bin'), 'x')
    }
    const error = await prepare(dir, ['b.bin']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(new RegExp(`^${target}: another run replaced it at the same time \\((ENOTEMPTY|EEXIST)\\)`))
    expect(await readdir(target)).toEqual(['other.bin'])
  })
})

describe('RunnerFolderWriter: where it may write', () => {
  it.skipIf(!existsSync('/proc/self'))('an output folder the file system refuses to make (under /proc) is a one-line error, not an endless retry', async () => {
    const out = '/proc/tinydata-test/out'
    await expect(prepare(out, ['a.bin'])).rejects.toThrow(`${out}: cannot create the output folder (ENOENT)`)
  }, 10_000)
})

describe('RunnerFolderWriter: giving staged stimuli their final names', () => {
  /** Stages `staged` (name → one byte of content), commits `placements`, returns the folder's files and contents. */
  async function place(staged: Record<string, number>, placements: {file: string; staged: string}[]): Promise<Record<string, readonly number[]>> {
    const writer = new RunnerFolderWriter(dir, 'kws01')
    const staging = await writer.stagingFolder()
    // Written by another thread in the pipeline: here straight into the staging folder, as a worker does.
    for (const [name, byte] of Object.entries(staged)) await writeFile(join(staging, name), Uint8Array.of(byte, byte))
    const rows = placements.map(({file}) => ({...row(file), bytes: undefined}))
    const folder = await writer.commit(placements, rows, placements.map(({file}) => `${file},2,0`).join('\n'), META)
    const files = (await readdir(folder)).filter((name) => name.endsWith('.bin')).sort()
    return Object.fromEntries(await Promise.all(files.map(async (file) => [file, [...await fs.readFile(join(folder, file))]] as const)))
  }

  it('names staged files that are no final name straight away, copies one placed twice, drops one placed nowhere', async () => {
    const staged = {'h1.pcm': 1, 'h2.pcm': 2, 'h3.pcm': 3, 'unused.pcm': 9}
    const placements = [
      {file: 'tst_000000_Yes_2.bin', staged: 'h2.pcm'},
      {file: 'tst_000001_No_3.bin', staged: 'h1.pcm'},
      {file: 'tst_000002_No_3.bin', staged: 'h1.pcm'},
      {file: 'tst_000003_Up_4.bin', staged: 'h3.pcm'},
    ]
    expect(await place(staged, placements)).toEqual({
      'tst_000000_Yes_2.bin': [2, 2], 'tst_000001_No_3.bin': [1, 1], 'tst_000002_No_3.bin': [1, 1], 'tst_000003_Up_4.bin': [3, 3],
    })
  })

  it('moves files whose staged names are other files\' final names without overwriting any (a swap, a rotation, a copy)', async () => {
    const staged = {'a.bin': 1, 'b.bin': 2, 'c.bin': 3, 'd.bin': 4, 'e.bin': 5}
    const placements = [
      {file: 'b.bin', staged: 'a.bin'},
      {file: 'a.bin', staged: 'b.bin'},
      {file: 'd.bin', staged: 'c.bin'},
      {file: 'e.bin', staged: 'd.bin'},
      {file: 'c.bin', staged: 'e.bin'},
      {file: 'f.bin', staged: 'e.bin'},
    ]
    expect(await place(staged, placements)).toEqual({
      'a.bin': [2, 2], 'b.bin': [1, 1], 'c.bin': [5, 5], 'd.bin': [3, 3], 'e.bin': [4, 4], 'f.bin': [5, 5],
    })
  })
})
