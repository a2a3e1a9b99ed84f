/**
 * One model folder of a system (`results/<system>/<model>/`): the checker's rules on its test folders and results.txt
 * (spec/check.md), then what the checker never does: every published figure recomputed from its raw log by the code of
 * `tinydata score`, and compared at the precision the runner printed it.
 */

import {readdir, readFile} from 'node:fs/promises'
import {join, relative} from 'node:path'

import {UserError} from '../errors.js'
import {publishedDisagreements, type ScoreResult, scoreResultPath} from '../scoring/index.js'
import {pythonFloat} from '../formats/python-float.js'
import type {AccuracyTarget} from '../benchmark-ids.js'
import {
  EEMBC_RUNNER_MARKER, type MlperfModel, OPTIONAL_FILES, REQUIRED_FILES, RESULT_PATTERNS,
  type RunnerKind, SWW_ENERGY_FILES, SWW_WAKE_WORDS, TEST_NAMES, type TestName, type VersionRules,
} from './rules.js'
import {type SummaryRow, versionAtLeast} from './summary-row.js'
import type {SystemDescription} from './system-json.js'
import {decodeUtf8} from './text.js'
import type {CheckProblem, ProblemRule, Severity} from './types.js'

export interface ModelFolderContext {
  tree: string
  folder: string
  rules: VersionRules
  division: string
  submitter: string
  system: string
  description: SystemDescription
  /** An open-division submitter's own mapping of folder names to models. */
  modelMapping: Readonly<Record<string, string>> | null
  /** Files over the size limit: reported once for the submitter, never read. */
  oversized: ReadonlySet<string>
  /** The checker drops the whole submitter (a symlink, a file over the limit, an empty or __pycache__ folder). */
  submitterDropped: boolean
  /** The checker drops the submitter or the system before it reaches this folder. */
  droppedAbove: boolean
}

export interface ModelFolderCheck {
  problems: CheckProblem[]
  row: SummaryRow
  testFolders: number
}

/** The figures of one test folder's results.txt, as the checker reads them. */
interface PublishedTest {
  top1: string | null
  auc: string | null
  throughput: string | null
  energy: string | null
  sww: {throughput: string | null; detections: [number, number, number] | null; dutyCycle: string | null; power: string | null}
}

export async function checkModelFolder(context: ModelFolderContext): Promise<ModelFolderCheck> {
  const {folder, rules, division} = context
  const name = folder.split(/[/\\]/).pop()!
  const closed = division === 'closed'
  const problems: CheckProblem[] = []
  let dropped = context.droppedAbove
  const report = (path: string, severity: Severity, rule: ProblemRule, message: string, official: boolean,
    dropsRow = false) => {
    problems.push({path: relative(context.tree, path) || '.', severity, rule, message, official})
    if (dropsRow && official) dropped = true
  }

  const model = mlperfModelOf(name, rules, division === 'open' ? context.modelMapping : null)
  if (model === null) {
    if (closed) {
      report(folder, 'error', 'model-name', `"${name}" is not a benchmark of ${rules.version}`
        + ` (${rules.models.join(', ')})`, true, true)
    } else {
      report(folder, 'warning', 'model-name', `"${name}" is not a benchmark name of ${rules.version}: map it in`
        + ` open/${context.submitter}/model_mapping.json to get its accuracy target`, false)
    }
  }
  if (model === 'ic2') {
    const siblings = await readdir(join(folder, '..')).catch(() => [] as string[])
    if (!siblings.includes('ic')) report(folder, 'error', 'required-test', 'an ic2 result needs the ic result beside it', true, true)
  }
  const target = model ? rules.targets[model] : undefined
  const entries = await readdir(folder, {withFileTypes: true})
  const marker = entries.some((entry) => entry.isFile() && entry.name === EEMBC_RUNNER_MARKER)
  const runner: RunnerKind = !rules.runnerMarker || marker ? 'EnergyRunner' : 'Python runner'
  const present = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name)
  const tests = TEST_NAMES.filter((test) => present.includes(test))
  for (const other of present.filter((entry) => !(TEST_NAMES as readonly string[]).includes(entry))) {
    report(join(folder, other), 'warning', 'unexpected-test', 'not a test folder (accuracy, performance, energy):'
      + ' nothing in it is checked', false)
  }
  const testRules = model ? rules.tests?.[model] : undefined
  if (testRules) {
    for (const test of testRules.required.filter((required) => !tests.includes(required))) {
      report(join(folder, test), 'error', 'required-test', `missing: ${rules.version} requires ${testRules.required.join(' and ')}`
        + ` for ${model}`, true, true)
    }
    for (const test of tests.filter((test) => ![...testRules.required, ...testRules.optional].includes(test))) {
      report(join(folder, test), 'warning', 'unexpected-test', `${test} is not a test of ${model} in ${rules.version}:`
        + ' the official checker ignores it', true)
    }
  }
  if (model === 'sww' && tests.length === 0) {
    report(folder, 'error', 'required-test', 'sww needs an energy or a performance folder', true, true)
  }

  const published = new Map<TestName, PublishedTest>()
  const recomputed = new Map<TestName, ScoreResult>()
  for (const test of tests) {
    const testFolder = join(folder, test)
    await checkFileList(testFolder, runner, model === 'sww' && test === 'energy', report)
    const figures = await readPublished(testFolder, context.oversized, report)
    if (figures) published.set(test, figures)
    const result = await recompute(testFolder, test, runner, rules.runnerMarker, context.oversized, report)
    if (result) recomputed.set(test, result)
  }

  // the checker reads the figure of the model's target: AUC for ad, Top-1 for the others
  const accuracyFigures = published.get('accuracy')
  const accuracy = model === 'sww' || !accuracyFigures ? null
    : target?.metric === 'auc' ? accuracyFigures.auc : accuracyFigures.top1 ?? (target ? null : accuracyFigures.auc)
  if (model !== 'sww' && tests.includes('accuracy')) {
    const accuracyFolder = join(folder, 'accuracy')
    if (published.has('accuracy') && accuracy === null) {
      report(join(accuracyFolder, 'results.txt'), 'error', 'figure-missing',
        `no ${target?.metric === 'auc' ? 'AUC' : 'Top-1'} line (e.g. "Top-1: 91.1%" or "AUC = 0.862")`, true, true)
    } else if (accuracy !== null && target && target.metric !== 'detections' && Number(accuracy) < target.minimum) {
      const message = `${target.metric === 'auc' ? 'AUC' : 'Top-1'} ${accuracy} is below the target ${target.minimum}`
      if (closed) report(join(accuracyFolder, 'results.txt'), 'error', 'accuracy-target', message, true, true)
      else report(join(accuracyFolder, 'results.txt'), 'warning', 'accuracy-target', `${message} (accepted in the open division)`, true)
    }
  }
  if (model !== 'sww') {
    for (const [test, figure] of [['performance', 'throughput'], ['energy', 'energy']] as const) {
      if (published.has(test) && published.get(test)![figure] === null) {
        const line = figure === 'throughput' ? '"Median throughput is N inf./sec."' : '"Median energy cost is N uJ/inf."'
        report(join(folder, test, 'results.txt'), 'error', 'figure-missing', `no ${line} line`, true, true)
      }
    }
  }
  const swwSource = model === 'sww' ? (tests.includes('energy') ? 'energy' : tests.includes('performance') ? 'performance' : null) : null
  const sww = swwSource ? published.get(swwSource)?.sww ?? null : null
  if (swwSource) checkSwwFigures(join(folder, swwSource, 'results.txt'), sww, target, closed, published.has(swwSource), report)

  const row = summaryRow(context, name, model, {
    accuracy, sww, swwSource,
    throughput: model === 'sww' ? sww?.throughput ?? null : published.get('performance')?.throughput ?? null,
    power: model === 'sww' ? published.get('energy')?.sww.power ?? null : published.get('energy')?.energy ?? null,
    recomputed, target,
  })
  row.OfficialRow = !dropped
  row.Problems = problems.filter((problem) => problem.severity === 'error').map((problem) => `${problem.path}: ${problem.message}`)
  return {problems, row, testFolders: tests.length}
}

type Report = (path: string, severity: Severity, rule: ProblemRule, message: string, official: boolean, dropsRow?: boolean) => void

function mlperfModelOf(name: string, rules: VersionRules, mapping: Readonly<Record<string, string>> | null): MlperfModel | null {
  const known = (candidate: string | undefined): MlperfModel | null =>
    candidate !== undefined && (rules.models as readonly string[]).includes(candidate) ? candidate as MlperfModel : null
  return known(name) ?? rules.longNames[name] ?? known(mapping?.[name]) ?? null
}

/** The checker's file-list rule; a `.gz` copy of a file (as in tinydata's fixture trees) counts as the file, with a warning. */
async function checkFileList(folder: string, runner: RunnerKind, swwEnergy: boolean, report: Report): Promise<void> {
  const entries = await readdir(folder, {withFileTypes: true})
  const names = entries.filter((entry) => entry.isFile()).map((entry) => entry.name)
  const required = [...REQUIRED_FILES[runner], ...(swwEnergy ? SWW_ENERGY_FILES : [])]
  const known = (file: string) => required.includes(file) || OPTIONAL_FILES.has(file)
  const held = new Set<string>()
  const unexpected: string[] = []
  const compressed: string[] = []
  for (const file of names) {
    const plain = file.endsWith('.gz') ? file.slice(0, -3) : file
    if (plain !== file && known(plain)) compressed.push(file)
    if (known(plain)) held.add(plain)
    else unexpected.push(file)
  }
  if (compressed.length > 0) {
    report(folder, 'warning', 'file-list', `${compressed.join(', ')}: compressed copies (taken for what they compress; the`
      + ' official checker wants the plain files)', false)
  }
  const missing = required.filter((file) => !held.has(file))
  if (missing.length > 0 || unexpected.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${missing.join(', ')}` : null,
      unexpected.length > 0 ? `not expected ${unexpected.join(', ')}` : null,
    ].filter(Boolean)
    report(folder, 'error', 'file-list', `file list mismatch for the ${runner} (${parts.join('; ')})`, true)
  }
}

/** results.txt's figures by the checker's patterns, the last match winning; null when there is no readable results.txt. */
async function readPublished(folder: string, oversized: ReadonlySet<string>, report: Report): Promise<PublishedTest | null> {
  const file = join(folder, 'results.txt')
  if (oversized.has(file)) return null
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch {
    return null // reported by the file-list rule
  }
  const text = decodeUtf8(bytes)
  if (text === null) {
    report(file, 'error', 'unreadable', 'not UTF-8 text (the official checker stops on it)', true, true)
    return null
  }
  const figures: PublishedTest = {
    top1: null, auc: null, throughput: null, energy: null,
    sww: {throughput: null, detections: null, dutyCycle: null, power: null},
  }
  for (const line of text.split('\n')) {
    figures.top1 = RESULT_PATTERNS.top1.exec(line)?.[1] ?? figures.top1
    figures.auc = RESULT_PATTERNS.auc.exec(line)?.[1] ?? figures.auc
    figures.throughput = RESULT_PATTERNS.throughput.exec(line)?.[1] ?? figures.throughput
    figures.energy = RESULT_PATTERNS.energy.exec(line)?.[1] ?? figures.energy
    figures.sww.throughput = RESULT_PATTERNS.swwThroughput.exec(line)?.[1] ?? figures.sww.throughput
    figures.sww.dutyCycle = RESULT_PATTERNS.swwDutyCycle.exec(line)?.[1] ?? figures.sww.dutyCycle
    figures.sww.power = RESULT_PATTERNS.swwPower.exec(line)?.[1] ?? figures.sww.power
    const detections = RESULT_PATTERNS.swwDetections.exec(line)
    if (detections) figures.sww.detections = [Number(detections[1]), Number(detections[2]), Number(detections[3])]
  }
  return figures
}

function checkSwwFigures(file: string, sww: PublishedTest['sww'] | null, target: AccuracyTarget | undefined,
  closed: boolean, readable: boolean, report: Report): void {
  if (!readable) return
  if (!sww?.detections) {
    report(file, 'error', 'figure-missing', 'no "Accuracy: N True positives, N False negatives, N False positives" line', true, true)
    return
  }
  const [truePositives, falseNegatives, falsePositives] = sww.detections
  if (truePositives + falseNegatives !== SWW_WAKE_WORDS) {
    report(file, 'error', 'sww-detections', `${truePositives} true positives + ${falseNegatives} false negatives is not`
      + ` the ${SWW_WAKE_WORDS} wake words of the WAV`, true, true)
  }
  if (closed && target?.metric === 'detections'
    && (falsePositives > target.maxFalsePositives || falseNegatives > target.maxFalseNegatives)) {
    report(file, 'error', 'sww-detections', `${falsePositives} false positives and ${falseNegatives} false negatives:`
      + ` the closed division allows at most ${target.maxFalsePositives} of each`, true, true)
  }
}

/** Score warnings that are errors in a submission: the published figure cannot come from this log. */
const SESSION_PROBLEMS: [RegExp, ProblemRule][] = [
  [/^COVERAGE INCOMPLETE/, 'truncated-session'],
  [/^runMode=single/, 'debug-session'],
  [/^ENERGY NOT RECOMPUTABLE/, 'not-recomputable'],
]

async function recompute(folder: string, test: TestName, runner: RunnerKind, marked: boolean,
  oversized: ReadonlySet<string>, report: Report): Promise<ScoreResult | null> {
  const tooLarge = [...oversized].find((file) => file.startsWith(folder + '/'))
  if (tooLarge) {
    report(folder, 'error', 'not-recomputable', `not recomputed: ${relative(folder, tooLarge)} is over the size limit`, false)
    return null
  }
  let result: ScoreResult
  try {
    result = await scoreResultPath(folder)
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    // the score error names its file in full; under the folder it is reported for, the relative name says it
    report(folder, 'error', 'not-recomputable', `cannot recompute its figures: ${error.message.replace(`${folder}/`, '')}`, false)
    return null
  }
  if (marked && (result.runner === 'ER') !== (runner === 'EnergyRunner')) {
    report(folder, 'error', 'runner-marker', result.runner === 'ER'
      ? `an EnergyRunner log, but no ${EEMBC_RUNNER_MARKER} file in the model folder: the checker expects the Python runner's files`
      : `a Python-runner log, but the model folder holds ${EEMBC_RUNNER_MARKER}: the checker expects the EnergyRunner's files`, false)
  }
  if (result.mode !== test) {
    report(folder, 'warning', 'log-warning', `the log is a ${result.mode} run, in the ${test} folder`, false)
  }
  for (const warning of result.warnings) {
    const session = SESSION_PROBLEMS.find(([pattern]) => pattern.test(warning))
    if (session) report(folder, 'error', session[1], warning, false)
    else report(folder, 'warning', 'log-warning', warning, false)
  }
  for (const {figure, recomputed, published} of publishedDisagreements(result)) {
    report(join(folder, 'results.txt'), 'error', 'figure-disagrees', `${figure} is ${published}, but the log gives ${recomputed}`, false)
  }
  return result
}

interface RowFigures {
  accuracy: string | null
  throughput: string | null
  power: string | null
  sww: PublishedTest['sww'] | null
  swwSource: TestName | null
  recomputed: Map<TestName, ScoreResult>
  target: AccuracyTarget | undefined
}

function summaryRow(context: ModelFolderContext, name: string, model: MlperfModel | null, figures: RowFigures): SummaryRow {
  const {description} = context
  const asFloat = (value: string | null) => (value === null ? null : pythonFloat(Number(value)))
  const power = figures.power === null ? 0 : Number(figures.power)
  // the checker's power_metric is the int 0 without an energy figure, else float(match)
  const detections = figures.sww?.detections ?? null
  const isSww = model === 'sww'
  const withSwwColumns = versionAtLeast(context.rules.version, 'v1.3')
  const performance = figures.recomputed.get('performance')
  const energy = figures.recomputed.get('energy')
  const accuracy = figures.recomputed.get('accuracy')
  const swwRecomputed = figures.swwSource ? figures.recomputed.get(figures.swwSource)?.sww ?? null : null
  return {
    Organization: context.submitter,
    Availability: description.availability,
    Division: context.division,
    ...description.columns,
    SystemDesc: context.system,
    Model: name,
    MlperfModel: model,
    Result: asFloat(figures.throughput),
    ResultUnit: 'inf./sec.',
    Accuracy: isSww ? (detections ? pythonFloat(f1(detections[0], detections[2], detections[1])) : null) : figures.accuracy,
    HasPower: power > 0,
    Power: figures.power === null ? '0' : pythonFloat(power),
    PowerUnit: isSww ? 'mW' : 'uJ/inf.',
    FalsePositives: withSwwColumns && detections ? String(detections[2]) : null,
    FalseNegatives: withSwwColumns && detections ? String(detections[1]) : null,
    DutyCycle: withSwwColumns && isSww ? asFloat(figures.sww?.dutyCycle ?? null) : null,
    OfficialRow: true,
    RecomputedResult: isSww ? swwRecomputed?.printed.throughputIps ?? null : performance?.printed.medianIps ?? null,
    RecomputedAccuracy: isSww
      ? (swwRecomputed ? pythonFloat(swwRecomputed.stats.f1) : null)
      : (figures.target?.metric === 'auc' ? accuracy?.printed.auc : accuracy?.printed.top1) ?? null,
    RecomputedPower: isSww ? figures.recomputed.get('energy')?.sww?.printed.powerMw ?? null : energy?.printed.medianUjPerInference ?? null,
    Problems: [],
  }
}

/** The checker's sww accuracy: F1 = 2TP / (2TP + FP + FN). */
function f1(truePositives: number, falsePositives: number, falseNegatives: number): number {
  return (2 * truePositives) / (2 * truePositives + falsePositives + falseNegatives)
}
