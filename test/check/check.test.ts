/** `tinydata check` on small trees in the official layout: a valid one, then each kind of fault, then bad input. */

import {cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {type CheckProblem, checkTree} from '../../src/check/index.js'
import {SHARED, skipMessage} from '../helpers/archives.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'
import {ic02AccuracyLog, kwsAccuracyLog, SYSTEM_JSON, validTree, writeFiles} from './tree.js'

const trees: string[] = []
afterAll(() => {
  for (const tree of trees) rmSync(dirname(tree), {recursive: true, force: true})
})

function tree(name?: string): string {
  const root = validTree(name)
  trees.push(root)
  return root
}

const SYSTEM = 'closed/Acme/results/acme_board'
const KWS = `${SYSTEM}/kws`

/** The problems as `severity rule path`, for exact comparisons. */
const brief = (problems: CheckProblem[]) => problems.map((problem) => `${problem.severity} ${problem.rule} ${problem.path}`)
const errors = (problems: CheckProblem[]) => brief(problems.filter((problem) => problem.severity === 'error'))

describe('check: a valid tree', () => {
  it('passes, with the version named by its path, and one table row with the published and recomputed figures', async () => {
    const root = tree()
    const result = await checkTree(root)
    expect(brief(result.problems)).toEqual([])
    expect(result).toMatchObject({passed: true, version: 'v1.3', versionSource: 'path'})
    expect(result.systems).toEqual([{
      path: SYSTEM, division: 'closed', submitter: 'Acme', system: 'acme_board', models: 1, testFolders: 2, errors: 0, warnings: 0,
    }])
    expect(result.rows).toHaveLength(1)
    expect(result.rows[0]).toMatchObject({
      Organization: 'Acme', Availability: 'available', Division: 'closed', BoardName: 'Acme Board', SystemDesc: 'acme_board',
      Model: 'kws', MlperfModel: 'kws', Result: '23.032', ResultUnit: 'inf./sec.', Accuracy: '95.0', HasPower: false,
      Power: '0', PowerUnit: 'uJ/inf.', HostProcessorModelName: 'Cortex-M33', InferenceFramework: 'TFLite Micro',
      FalsePositives: null, FalseNegatives: null, DutyCycle: null,
      OfficialRow: true, RecomputedResult: '23.032', RecomputedAccuracy: '95.0', RecomputedPower: null, Problems: [],
    })
  })

  it('the CLI exits 0, prints PASSED and, with --json, matches schemas/check.schema.json', async () => {
    if (!HAS_BUILT_CLI) return console.log('skipped: the check CLI test needs the built CLI (npm run build)')
    const root = tree()
    const text = await tinydata('check', root)
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain(`${root}: the rules of v1.3 (named by the path)`)
    expect(text.stdout).toMatch(/^PASSED: 0 errors, 0 warnings in 1 system, 1 result row\(s\)$/m)
    const json = await tinydata('check', root, '--version', 'v1.4', '--json')
    expect(json.code, json.stderr).toBe(0)
    const parsed = JSON.parse(json.stdout)
    expect(parsed).toMatchObject({passed: true, version: 'v1.4', version_source: 'flag', errors: 0})
    expect(parsed.rows[0]).toMatchObject({organization: 'Acme', board_name: 'Acme Board', host_processor_model_name: 'Cortex-M33'})
    expectMatchesSchema('check', parsed)
  })

  it('--csv and --final-report write the table and the workbook, and say so', async () => {
    if (!HAS_BUILT_CLI) return console.log('skipped: the check CLI test needs the built CLI (npm run build)')
    const root = tree()
    const [csv, xlsx] = [join(dirname(root), 'summary.csv'), join(dirname(root), 'results.xlsx')]
    const run = await tinydata('check', root, '--csv', csv, '--final-report', xlsx)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(`wrote ${csv}: 1 row(s), 1 the official checker lists`)
    expect(run.stdout).toContain(`wrote ${xlsx}: 1 row(s) by division`)
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n')
    expect(lines[0]).toBe('Organization,Availability,Division,BoardName,SystemDesc,Model,MlperfModel,Result,ResultUnit,'
      + 'Accuracy,HasPower,Power,PowerUnit,HostProcessorModelName,HostProcessorFrequency,HostProcessorMemory,'
      + 'AcceleratorModelName,AcceleratorFrequency,AcceleratorMemory,HardwareNotes,InferenceFramework,SoftwareLibraries,'
      + 'SoftwareNotes,FalsePositives,FalseNegatives,DutyCycle,OfficialRow,RecomputedResult,RecomputedAccuracy,'
      + 'RecomputedPower,Problems')
    expect(lines[1]).toMatch(/^"Acme","available","closed","Acme Board","acme_board","kws","kws","23.032","inf.\/sec.","95.0","False","0",/)
    expect(lines).toHaveLength(2)
    expect(existsSync(xlsx)).toBe(true)
  })
})

describe('check: each kind of fault is named, and the rest of the tree is still checked', () => {
  it('a missing required file: a file list mismatch for the runner (the row is still listed)', async () => {
    const root = tree()
    rmSync(join(root, KWS, 'performance/results.json'))
    const result = await checkTree(root)
    expect(errors(result.problems)).toEqual([`error file-list ${KWS}/performance`])
    expect(result.problems[0].message).toBe('file list mismatch for the Python runner (missing results.json)')
    expect(result.passed).toBe(false)
    expect(result.rows[0].OfficialRow).toBe(true) // the official checker logs it and lists the row all the same
  })

  it('a missing required test: the row is dropped, as the official checker drops it', async () => {
    const root = tree()
    rmSync(join(root, KWS, 'performance'), {recursive: true})
    const result = await checkTree(root)
    expect(errors(result.problems)).toEqual([`error required-test ${KWS}/performance`])
    expect(result.rows[0]).toMatchObject({OfficialRow: false, Result: null})
  })

  it('an accuracy below its target: an error in the closed division, a warning in the open one', async () => {
    const root = tree()
    writeFiles(root, {
      [`${KWS}/accuracy/log.txt`]: kwsAccuracyLog(880),
      [`${KWS}/accuracy/results.txt`]: '0726.005327 ulp-mlperf: Top 1% = 88.0\n',
    })
    const closed = await checkTree(root)
    expect(errors(closed.problems)).toEqual([`error accuracy-target ${KWS}/accuracy/results.txt`])
    expect(closed.problems[0].message).toBe('Top-1 88.0 is below the target 90')
    cpSync(join(root, 'closed'), join(root, 'open'), {recursive: true})
    rmSync(join(root, 'closed'), {recursive: true})
    const open = await checkTree(root)
    expect(open.passed).toBe(true)
    expect(brief(open.problems)).toEqual([`warning accuracy-target open/Acme/results/acme_board/kws/accuracy/results.txt`])
  })

  it('a results.txt that disagrees with its log: the published and the recomputed figure, at the printed precision', async () => {
    const root = tree()
    writeFiles(root, {[`${KWS}/accuracy/results.txt`]: '0726.005327 ulp-mlperf: Top 1% = 95.1\n'})
    const result = await checkTree(root)
    expect(errors(result.problems)).toEqual([`error figure-disagrees ${KWS}/accuracy/results.txt`])
    expect(result.problems[0]).toMatchObject({message: 'Top-1 % is 95.1, but the log gives 95.0', official: false})
    expect(result.rows[0]).toMatchObject({Accuracy: '95.1', RecomputedAccuracy: '95.0', OfficialRow: true})
  })

  it('a system JSON that does not parse: named, the system dropped, its results still recomputed', async () => {
    const root = tree()
    writeFiles(root, {'closed/Acme/systems/acme_board.json': '{"Status": "available",'})
    const result = await checkTree(root)
    expect(errors(result.problems)).toEqual(['error system-json closed/Acme/systems/acme_board.json'])
    expect(result.problems[0].message).toMatch(/^not valid JSON \(/)
    expect(result.rows[0]).toMatchObject({OfficialRow: false, RecomputedAccuracy: '95.0', RecomputedResult: '23.032'})
    expect(result.rows[0].Problems).toEqual([expect.stringMatching(/^closed\/Acme\/systems\/acme_board\.json: not valid JSON \(/)])
    expect(result.systems[0].errors).toBe(1)
  })

  it('a Status the checker refuses', async () => {
    const root = tree()
    writeFiles(root, {'closed/Acme/systems/acme_board.json': JSON.stringify({...SYSTEM_JSON, Status: 'coming soon'})})
    const result = await checkTree(root)
    expect(errors(result.problems)).toEqual(['error availability closed/Acme/systems/acme_board.json'])
  })

  it('sww: more than 8 false positives in the closed division, and TP + FN that is not 50', async () => {
    const root = tree()
    writeFiles(root, {
      [`${SYSTEM}/sww/performance/results.txt`]: 'Accuracy: 44 True positives, 5 False negatives, 9 False positives\n'
        + 'Estimated throughput: 31.1 inf./sec.\nAverage duty cycle: 0.606\n',
      [`${SYSTEM}/sww/performance/log.txt`]: 'not a log\n',
      [`${SYSTEM}/sww/performance/results.json`]: '[]\n',
    })
    const result = await checkTree(root)
    const sww = result.problems.filter((problem) => problem.rule === 'sww-detections').map((problem) => problem.message)
    expect(sww).toEqual([
      '44 true positives + 5 false negatives is not the 50 wake words of the WAV',
      '9 false positives and 5 false negatives: the closed division allows at most 8 of each',
    ])
    const row = result.rows.find((candidate) => candidate.Model === 'sww')!
    // F1 = 2·44 / (2·44 + 9 + 5) = 88/102, as Python prints it
    expect(row).toMatchObject({Result: '31.1', Accuracy: '0.8627450980392157', FalsePositives: '9', FalseNegatives: '5',
      DutyCycle: '0.606', PowerUnit: 'mW', OfficialRow: false})
    expect(brief(result.problems)).toContain(`error not-recomputable ${SYSTEM}/sww/performance`)
  })

  it('v1.4: ic2 is scored on the ic01 list against its own target (91), and needs ic beside it', async () => {
    const root = tree('submissions_tiny_v1.4')
    writeFiles(root, {
      [`${SYSTEM}/ic2/accuracy/log.txt`]: ic02AccuracyLog(180),
      [`${SYSTEM}/ic2/accuracy/results.txt`]: '0726.005327 ulp-mlperf: Top 1% = 90.0\n',
      [`${SYSTEM}/ic2/accuracy/results.json`]: '[]\n',
    })
    cpSync(join(root, KWS, 'performance'), join(root, SYSTEM, 'ic2/performance'), {recursive: true})
    const result = await checkTree(root)
    expect(result.version).toBe('v1.4')
    expect(errors(result.problems)).toEqual([`error required-test ${SYSTEM}/ic2`, `error accuracy-target ${SYSTEM}/ic2/accuracy/results.txt`])
    expect(result.problems.find((problem) => problem.rule === 'accuracy-target')!.message).toBe('Top-1 90.0 is below the target 91')
    expect(result.rows.find((row) => row.Model === 'ic2')).toMatchObject({MlperfModel: 'ic2', RecomputedAccuracy: '90.0'})
    // under v1.3 the folder is not a benchmark
    expect(errors((await checkTree(root, {version: 'v1.3'})).problems)).toContain(`error model-name ${SYSTEM}/ic2`)
  })

  it('a model folder the closed division does not know, and a truncated session', async () => {
    const root = tree()
    writeFiles(root, {
      [`${SYSTEM}/resnet/accuracy/results.txt`]: 'x Top-1: 91.0%\n',
      [`${KWS}/accuracy/log.txt`]: kwsAccuracyLog(950).split('\r\n').slice(0, 4000).join('\r\n'),
    })
    const result = await checkTree(root)
    expect(errors(result.problems)).toContain(`error model-name ${SYSTEM}/resnet`)
    expect(errors(result.problems)).toContain(`error truncated-session ${KWS}/accuracy`)
  })
})

describe('check: bad input, each one line naming the path, the rest of the tree still checked', () => {
  it('a tree with no division folder: one line, exit 2', async () => {
    if (!HAS_BUILT_CLI) return console.log('skipped: the check CLI test needs the built CLI (npm run build)')
    const root = tree()
    const run = await tinydata('check', join(root, 'closed'))
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, `${join(root, 'closed')}: no division folder (closed/ or open/) here`)
  })

  it('a version the path names but no checker knows, and a submitter that is not there', async () => {
    const root = tree('tiny_results_v0.7')
    await expect(checkTree(root)).rejects.toThrow(`${root}: the path names v0.7, a round the official checker has no rules for`)
    await expect(checkTree(root, {version: 'v1.0', submitter: 'Nobody'})).rejects.toThrow('no submitter "Nobody"')
  })

  it('a results.txt that is not UTF-8, a symlink that leaves the tree, a 2 GB log, an empty folder', async () => {
    const root = tree()
    writeFileSync(join(root, KWS, 'accuracy/results.txt'), Buffer.from([0x54, 0x6f, 0x70, 0xff, 0xfe, 0x0a]))
    symlinkSync('/etc', join(root, KWS, 'performance/etc'))
    const big = join(root, `${SYSTEM}/vww/performance/log.txt`)
    mkdirSync(dirname(big), {recursive: true})
    writeFileSync(big, '')
    truncateSync(big, 2 * 1024 ** 3) // sparse: 2 GiB that take no disk
    mkdirSync(join(root, 'closed/Acme/code/empty'), {recursive: true})
    const result = await checkTree(root)
    const found = brief(result.problems)
    expect(found).toContain(`error unreadable ${KWS}/accuracy/results.txt`)
    expect(found).toContain(`error symlink ${KWS}/performance/etc`)
    expect(result.problems.find((problem) => problem.rule === 'symlink')!.message)
      .toBe('a symbolic link (to /etc), outside the tree: not followed')
    expect(found).toContain(`error file-size ${SYSTEM}/vww/performance/log.txt`)
    expect(found).toContain(`error not-recomputable ${SYSTEM}/vww/performance`)
    expect(found).toContain('error empty-folder closed/Acme/code/empty')
    // the rest still checked: the performance run is recomputed and listed
    expect(result.rows.find((row) => row.Model === 'kws')).toMatchObject({RecomputedResult: '23.032'})
    for (const problem of result.problems) expect(problem.message).not.toContain('\n')
  })
})

const V1_3 = join(SHARED, 'fixtures/logs/tiny_results_v1.3')
const V0_7 = join(SHARED, 'fixtures/logs/tiny_results_v0.7')
const HAS_PUBLISHED = existsSync(V1_3) && existsSync(V0_7)
if (!HAS_PUBLISHED) console.log(skipMessage('check on the published tiny_results_v1.3 and v0.7 folders'))

describe.skipIf(!HAS_PUBLISHED)('check: the published folders of ../shared/fixtures/logs', () => {
  it('v1.3: every published figure agrees with its log; what fails is what the fixture copy lacks', async () => {
    const result = await checkTree(V1_3)
    expect(result.version).toBe('v1.3')
    expect(result.rows).toHaveLength(10)
    const rules = new Set(result.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.rule))
    // no systems/ JSON, no ad accuracy folder and no results.json beside two energy logs in the fixture copy
    expect([...rules].sort()).toEqual(['file-list', 'required-test', 'system-json'])
    const sww = result.rows.find((row) => row.SystemDesc === 'NUCLEO_U385RG_Q' && row.Model === 'sww')!
    expect(sww).toMatchObject({FalsePositives: '4', FalseNegatives: '6', HasPower: true, PowerUnit: 'mW'})
  })

  it('v0.7 under the v1.0 rules: the truncated plumerai log and its two debug sessions are flagged', async () => {
    const result = await checkTree(V0_7, {version: 'v1.0', submitter: 'plumerai'})
    const disco = 'closed/plumerai/results/DISCO_F746NG'
    const found = errors(result.problems)
    expect(found).toContain(`error truncated-session ${disco}/kws/accuracy`)
    expect(found).toContain(`error figure-disagrees ${disco}/kws/accuracy/results.txt`)
    expect(found).toContain(`error debug-session ${disco}/ad/performance`)
    expect(found).toContain(`error figure-disagrees ${disco}/ad/performance/results.txt`)
    expect(found).toContain(`error figure-disagrees ${disco}/vww/performance/results.txt`)
    const disagreements = result.problems.filter((problem) => problem.rule === 'figure-disagrees').map((problem) => problem.message)
    expect(disagreements).toContain('median inf./s is 412.755, but the log gives 412.753')
  })
})
