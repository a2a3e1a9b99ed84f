/** `tinydata score` through the oclif command class, as a user runs it. */

import {tableFromIPC} from 'apache-arrow'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'

import {runScore} from './helpers.js'


const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/logs')
const ER_FOLDER = path.join(FIXTURES, 'er-vww-tiny/accuracy')
const ER_LABELS = path.join(FIXTURES, 'er-vww-tiny/y_labels.csv')
const PY_FOLDER = path.join(FIXTURES, 'py-kws-tiny/performance')
const REAL_FOLDER = path.resolve(REPO_ROOT, '../shared/fixtures/logs/tiny_results_v0.5/closed/reference/results/Nucleo-L4R5ZI/kws/accuracy')
const HAS_REAL_FOLDER = existsSync(REAL_FOLDER)
if (!HAS_REAL_FOLDER) console.warn(`score CLI test on a published folder skipped: ${REAL_FOLDER} is absent`)


afterEach(() => {
  process.exitCode = undefined
})

describe('tinydata score', () => {
  it.skipIf(!HAS_REAL_FOLDER)('--json on the v0.5 reference kws accuracy folder gives the published 90.1 % / 0.99', async () => {
    const {stdout, error} = await runScore([REAL_FOLDER, '--json'])
    expect(error).toBeNull()
    const json = JSON.parse(stdout)
    expect(json).toMatchObject({
      benchmark: 'kws01', runner: 'ER', mode: 'accuracy', convention: 'er', labels: 'kws01',
      files_scored: 1000, files_expected: 1000, coverage_complete: true,
      median_ips: null, median_uj_per_inference: null,
      printed: {top1: '90.1', auc: '0.99'}, published: {top1: '90.1', auc: '0.99'}, warnings: [],
    })
    expect(json.top1).toBeCloseTo(90.1, 10)
    expect(json.auc_exact).toBeGreaterThan(0.99)
    expect(json.per_class).toHaveLength(12)
    expect(json.confusion.flat().reduce((sum: number, cell: number) => sum + cell, 0)).toBe(1000)
  })

  it('prints a readable table, with the published figures beside the recomputed ones', async () => {
    const {stdout, stderr, error} = await runScore([ER_FOLDER, '--labels', ER_LABELS])
    expect(error).toBeNull()
    expect(stdout).toContain(ER_FOLDER)
    expect(stdout).toMatch(/Top-1 %\s+66\.7\s+66\.7/)
    expect(stdout).toMatch(/AUC \(ER\)\s+0\.78\s+0\.78/)
    expect(stdout).toMatch(/coverage\s+6 of 6 stimuli/)
    expect(stdout).toContain('confusion (rows: true class, columns: predicted class)')
    expect(stderr).not.toContain(ER_FOLDER)
  })

  it('gives an array for several paths, and flags incomplete coverage loudly', async () => {
    const {stdout, error} = await runScore([ER_FOLDER, PY_FOLDER, '--json'])
    expect(error).toBeNull()
    const [er, py] = JSON.parse(stdout)
    expect(er).toMatchObject({runner: 'ER', benchmark: 'vww01', labels: 'vww01', files_scored: 6, files_expected: 1000})
    expect(er.coverage_complete).toBe(false)
    expect(er.warnings[0]).toMatch(/^COVERAGE INCOMPLETE: 6 of 1000 stimuli of vww01/)
    expect(py).toMatchObject({runner: 'PY', mode: 'performance', printed: {median_ips: '23.032'}, top1: null})
    const table = await runScore([ER_FOLDER])
    expect(table.stdout).toMatch(/6 of 1000 stimuli\s+INCOMPLETE/)
    // One line, not wrapped at the terminal width (a path stays whole)
    expect(table.stderr).toMatch(new RegExp(`^Warning: ${ER_FOLDER}: COVERAGE INCOMPLETE: 6 of 1000 stimuli of vww01 were scored [^\\n]*\\n$`))
  })

  it('writes --predictions and scores in the other convention with --convention', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tinydata-cli-')), 'predictions.arrow')
    const {stdout, error} = await runScore([ER_FOLDER, '--labels', ER_LABELS, '--convention', 'py', '--predictions', file, '--json'])
    expect(error).toBeNull()
    expect(JSON.parse(stdout).convention).toBe('py')
    expect(tableFromIPC(readFileSync(file)).numRows).toBe(6)
  })

  it('says what --predictions and --report wrote (on stderr; nothing in --json mode)', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'tinydata-cli-'))
    const [predictions, report] = [path.join(folder, 'p.csv'), path.join(folder, 'r.html')]
    const text = await runScore([ER_FOLDER, '--labels', ER_LABELS, '--predictions', predictions, '--report', report])
    expect(text.error).toBeNull()
    expect(text.stderr).toContain(`wrote ${predictions}: 6 scored stimuli\n`)
    expect(text.stderr).toContain(`wrote ${report}: the HTML report of 1 result(s)\n`)
    const json = await runScore([ER_FOLDER, '--labels', ER_LABELS, '--predictions', predictions, '--json'])
    expect(json.stderr).not.toContain('wrote')
  })

  it('with several paths, scores the good ones and reports each bad one, with exit code 2', async () => {
    const missing = path.join(FIXTURES, 'no-such-folder')
    const text = await runScore([ER_FOLDER, missing, PY_FOLDER])
    expect(text.error).toBeNull()
    expect(text.stdout).toContain(ER_FOLDER)
    expect(text.stdout).toContain(PY_FOLDER)
    expect(text.stderr).toContain(`Error: ${missing}: no such file or folder\n`)
    expect(process.exitCode).toBe(2)
    process.exitCode = undefined
    const json = await runScore([ER_FOLDER, missing, PY_FOLDER, '--json'])
    const [er, failure, py] = JSON.parse(json.stdout)
    expect(er).toMatchObject({runner: 'ER', benchmark: 'vww01'})
    expect(failure).toEqual({path: missing, error: {code: 'user_error', message: `${missing}: no such file or folder`}})
    expect(py).toMatchObject({runner: 'PY', mode: 'performance'})
    expect(process.exitCode).toBe(2)
  })

  it('turns a bad file into a one-line error with exit code 2', async () => {
    const missing = path.join(FIXTURES, 'no-such-folder')
    const {stderr} = await runScore([missing])
    expect(stderr).toContain(`Error: ${missing}: no such file or folder\n`)
    expect(stderr).not.toMatch(/\s+at /)
    expect(process.exitCode).toBe(2)
    const json = await runScore([missing, '--json'])
    expect(JSON.parse(json.stdout)).toEqual({error: {code: 'user_error', message: `${missing}: no such file or folder`}})
  })
})
