/** `tinydata score` on a folder above result folders: a system, a submitter, a division, a whole tree. */

import {cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, describe, expect, it, vi} from 'vitest'

import {findResultFolders} from '../../src/scoring/result-tree.js'
import {REPO_ROOT, SHARED, skipMessage} from '../helpers/archives.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'
import {runScore} from './helpers.js'

// Entries listed in reverse, as a file system that does not sort them might: the order must be the walk's own.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  const readdir = async (...args: Parameters<typeof actual.readdir>) => (await actual.readdir(...args)).slice().reverse()
  return {...actual, readdir}
})

const FIXTURES = join(REPO_ROOT, 'test/fixtures/logs')
const ER_ACCURACY = join(FIXTURES, 'er-vww-tiny/accuracy')
const PY_PERFORMANCE = join(FIXTURES, 'py-kws-tiny/performance')
const ST_SYSTEM = join(SHARED, 'fixtures/logs/tiny_results_v1.3/closed/STMicroelectronics/results/NUCLEO_U385RG_Q')
const HAS_ST_SYSTEM = existsSync(ST_SYSTEM)
if (!HAS_ST_SYSTEM) console.log(skipMessage('score on the published NUCLEO_U385RG_Q system folder'))
const ER_SYSTEM = join(SHARED, 'fixtures/logs/tiny_results_v0.5/closed/reference/results/Nucleo-L4R5ZI')
const HAS_ER_SYSTEM = existsSync(ER_SYSTEM)
if (!HAS_ER_SYSTEM) console.log(skipMessage('score on the published v0.5 reference Nucleo-L4R5ZI system folder'))

const work = mkdtempSync(join(tmpdir(), 'tinydata-score-tree-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))
afterEach(() => {
  process.exitCode = undefined
})

/** The result folders of the official layout built by `layout`: relative folder → fixture folder to copy. */
function treeWith(name: string, layout: Record<string, string>): string {
  const root = join(work, name)
  for (const [folder, fixture] of Object.entries(layout)) cpSync(fixture, join(root, folder), {recursive: true})
  // a systems/ folder beside results/, as in a real submission: walked, nothing to score in it
  mkdirSync(join(root, 'closed/Acme/systems'), {recursive: true})
  writeFileSync(join(root, 'closed/Acme/systems/BoardB.json'), '{}')
  return root
}

/** Written out of order on purpose: the walk must sort. */
const GOOD_LAYOUT = {
  'closed/Acme/results/BoardB/vww/accuracy': ER_ACCURACY,
  'closed/Acme/results/BoardB/kws/performance': PY_PERFORMANCE,
  'closed/Acme/results/BoardA/kws/performance': PY_PERFORMANCE,
}
const GOOD_ORDER = [
  'closed/Acme/results/BoardA/kws/performance',
  'closed/Acme/results/BoardB/kws/performance',
  'closed/Acme/results/BoardB/vww/accuracy',
]


/** The summary table at the end of the text output: its rows split into cells. */
function summaryRows(stdout: string): string[][] {
  const lines = stdout.split('\n')
  const start = lines.findIndex((line) => line.startsWith('summary: '))
  expect(start, stdout).toBeGreaterThan(-1)
  return lines.slice(start + 1).map((line) => line.trim().split(/\s{2,}/))
}

describe('score on a folder above result folders', () => {
  it('finds the result folders in a stable order, without descending into one, skipping links that leave the tree', async () => {
    const root = treeWith('walk', GOOD_LAYOUT)
    // a folder inside a result folder is the result folder's business, not another result
    cpSync(PY_PERFORMANCE, join(root, 'closed/Acme/results/BoardA/kws/performance/old-run'), {recursive: true})
    symlinkSync(join(FIXTURES, 'er-vww-tiny'), join(root, 'closed/Acme/results/outside'))
    symlinkSync(join(root, 'closed'), join(root, 'closed/Acme/results/BoardB/loop'))
    const tree = await findResultFolders(root)
    expect(tree.folders).toEqual(GOOD_ORDER.map((folder) => join(root, folder)))
    expect(tree.skipped).toEqual([{
      path: join(root, 'closed/Acme/results/outside'),
      reason: `a symlink to ${join(FIXTURES, 'er-vww-tiny')}, outside ${root}: not followed`,
    }])
  })

  it('scores a whole tree: each folder as if named, then one summary table', async () => {
    const root = treeWith('good', GOOD_LAYOUT)
    const {stdout, error} = await runScore([root])
    expect(error).toBeNull()
    expect(process.exitCode).toBeUndefined()
    const headings = stdout.split('\n').filter((line) => line.startsWith(root))
    expect(headings).toEqual(GOOD_ORDER.map((folder) => join(root, folder)))
    expect(stdout).toMatch(/summary: 3 result folder\(s\)\n/)
    expect(summaryRows(stdout)).toEqual([
      ['folder', 'benchmark', 'mode', 'figure', 'problems'],
      [GOOD_ORDER[0], 'kws01', 'performance', '23.032 inf./s', '-'],
      [GOOD_ORDER[1], 'kws01', 'performance', '23.032 inf./s', '-'],
      // scored against the official vww01 list (no --labels): 6 of its 1000 stimuli, and an AUC unlike results.txt's
      [GOOD_ORDER[2], 'vww01', 'accuracy', 'Top-1 66.7 %', 'AUC (ER): 1.00, results.txt 0.78; 1 warning'],
    ])

    const json = await runScore([join(root, 'closed/Acme'), '--json'])
    const items = JSON.parse(json.stdout)
    expectMatchesSchema('score', items)
    expect(items.map((item: {path: string}) => item.path)).toEqual(GOOD_ORDER.map((folder) => join(root, folder)))
    expect(items[2]).toMatchObject({benchmark: 'vww01', mode: 'accuracy', printed: {top1: '66.7'}})
  })

  it('is an array even when the tree holds one result folder', async () => {
    const root = treeWith('one', {'closed/Acme/results/BoardA/kws/performance': PY_PERFORMANCE})
    const {stdout, error} = await runScore([join(root, 'closed/Acme/results/BoardA'), '--json'])
    expect(error).toBeNull()
    const items = JSON.parse(stdout)
    expectMatchesSchema('score', items)
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({path: join(root, 'closed/Acme/results/BoardA/kws/performance'), printed: {median_ips: '23.032'}})
  })

  it('says in one line that a folder holds no result folder, with exit code 2', async () => {
    const root = treeWith('empty', {})
    const message = `${root}: no result folder under here (a folder holding log.txt or *_log.txt, as in`
      + ' <division>/<submitter>/results/<system>/<benchmark>/<mode>/)'
    const {stdout, stderr} = await runScore([root])
    expect(stdout).toBe('')
    expect(stderr).toBe(`Error: ${message}\n`)
    expect(process.exitCode).toBe(2)
    process.exitCode = undefined
    const json = await runScore([root, '--json'])
    expect(JSON.parse(json.stdout)).toEqual({error: {code: 'user_error', message}})
    expect(process.exitCode).toBe(2)
  })

  it('reports a broken result folder in its place, scores the others, and exits with 2', async () => {
    const root = treeWith('broken', GOOD_LAYOUT)
    const broken = join(root, 'closed/Acme/results/BoardA/vww/accuracy')
    mkdirSync(broken, {recursive: true})
    writeFileSync(join(broken, 'log.txt'), '')
    const failure = `${join(broken, 'log.txt')}: empty log`

    const {stdout, stderr, error} = await runScore([root])
    expect(error).toBeNull()
    expect(process.exitCode).toBe(2)
    expect(stderr).toContain(`Error: ${failure}\n`)
    expect(stdout).toMatch(/summary: 4 result folder\(s\), 1 could not be scored\n/)
    const rows = summaryRows(stdout)
    expect(rows.map((row) => row[0])).toEqual(['folder', GOOD_ORDER[0], 'closed/Acme/results/BoardA/vww/accuracy',
      GOOD_ORDER[1], GOOD_ORDER[2]])
    expect(rows[2]).toEqual(['closed/Acme/results/BoardA/vww/accuracy', '-', '-', '-', failure])
    process.exitCode = undefined

    const json = await runScore([root, '--json'])
    const items = JSON.parse(json.stdout)
    expectMatchesSchema('score', items)
    expect(items).toHaveLength(4)
    expect(items[1]).toEqual({path: broken, error: {code: 'user_error', message: failure}})
    expect(items[2]).toMatchObject({path: join(root, GOOD_ORDER[1]), printed: {median_ips: '23.032'}})
    expect(process.exitCode).toBe(2)
  })

  it('reports an empty tree among several PATHs in its place', async () => {
    const empty = treeWith('empty-among', {})
    const {stdout, error} = await runScore([ER_ACCURACY, empty, PY_PERFORMANCE, '--json'])
    expect(error).toBeNull()
    const items = JSON.parse(stdout)
    expectMatchesSchema('score', items)
    expect(items.map((item: {path: string}) => item.path)).toEqual([ER_ACCURACY, empty, PY_PERFORMANCE])
    expect(items[1].error.message).toBe(`${empty}: no result folder under here (a folder holding log.txt or`
      + ' *_log.txt, as in <division>/<submitter>/results/<system>/<benchmark>/<mode>/)')
    expect(process.exitCode).toBe(2)
  })

  it.skipIf(!HAS_ST_SYSTEM)('scores the published NUCLEO_U385RG_Q system folder: 13 folders, all as published', async () => {
    const {stdout, error} = await runScore([ST_SYSTEM])
    expect(error).toBeNull()
    expect(process.exitCode).toBeUndefined()
    const rows = summaryRows(stdout)
    expect(rows.map((row) => row[0])).toEqual(['folder', 'ad/energy', 'ad/performance', 'ic/accuracy', 'ic/energy',
      'ic/performance', 'kws/accuracy', 'kws/energy', 'kws/performance', 'sww/energy', 'sww/performance',
      'vww/accuracy', 'vww/energy', 'vww/performance'])
    expect(rows.find((row) => row[0] === 'ic/accuracy')).toEqual(['ic/accuracy', 'ic01', 'accuracy', 'Top-1 87.0 %', '-'])
    expect(rows.find((row) => row[0] === 'sww/performance')?.[3]).toBe('TP 44, FN 6, FP 4')
    // every recomputed figure agrees with its results.txt
    expect(stdout).not.toContain('results.txt ')

    const json = await runScore([ST_SYSTEM, '--json'])
    const items = JSON.parse(json.stdout)
    expectMatchesSchema('score', items)
    expect(items).toHaveLength(13)
  })

  it.skipIf(!HAS_ER_SYSTEM)('counts an EnergyRunner energy figure within the trace\'s rounding as agreeing with results.txt', async () => {
    const {stdout, error} = await runScore([ER_SYSTEM])
    expect(error).toBeNull()
    // results.txt says 7373.704: 4e-5 apart, within what the ms-rounded GPIO stamps allow
    expect(summaryRows(stdout).find((row) => row[0] === 'kws/energy')).toEqual(['kws/energy', 'kws01', 'energy', '7373.392 uJ/inf.', '-'])
    expect(stdout).not.toContain('results.txt ')
  })
})
