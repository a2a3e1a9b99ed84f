/**
 * `tinydata score`: a published result folder (or one log) → the figures the runner computed, recomputed from the
 * raw log, trace and results.json (spec/scoring.md). Flow: log → cleaned lines → runner events → inferences joined
 * to labels → metrics of one convention.
 */

import {basename} from 'node:path'

import {fileError} from '../errors.js'
import {CONVENTIONS, scoreAccuracy} from './accuracy.js'
import {erTraceWindows, parseTimestamps} from './energy.js'
import type {Runner, RunnerLog} from './events.js'
import {formatFixed} from './format.js'
import {joinOutputs, type Stimulus} from './join.js'
import {checkClassCount, chooseLabelList, type LabelList, officialLabelLists, readLabelsOption} from './labels.js'
import {type Figures, noFigures, readPublishedFigures} from './published.js'
import {jsonEnergyWindows, jsonThroughputWindows, parsePyResults} from './py-results.js'
import {forEachLine, locateResultFiles, readMaybeGzip, type ResultFiles} from './result-files.js'
import {readRunnerLog} from './runner-log.js'
import {scoreSwwMode} from './sww.js'
import type {Mode, ScoreOptions, ScoreResult} from './types.js'
import {
  EXPECTED_WINDOWS, lapWindows, medianOf, printedThroughputWindows, type Window, windowWarnings,
} from './windows.js'

export type {Convention} from './convention.js'
export type {Runner} from './events.js'
export {type ScoreResultJson, scoreResultToJson} from './json.js'
export {writePredictions} from './predictions.js'
export {type Disagreement, publishedDisagreements, scoreReportLines, scoreSummaryLines} from './report.js'
export {findResultFolders, isFolderAboveResults, noResultFolderError, pathUnder} from './result-tree.js'
export type {ScoreOptions, ScoreResult, SwwScore} from './types.js'

/** Throughput is printed `%.3f` by both runners (spec §2.5). */
const THROUGHPUT_DIGITS = 3
/** Energy: ER `%.3f uJ/inf.`, PY `%5.4f` (spec §1.3, §2.6). */
const ENERGY_DIGITS: Record<Runner, number> = {ER: 3, PY: 4}
const LISTED_NAMES = 5

export async function scoreResultPath(path: string, options: ScoreOptions = {}): Promise<ScoreResult> {
  const files = await locateResultFiles(path)
  const read = await readRunnerLog(files.log)
  const {log} = read
  const mode = detectMode(log, files)
  const loaded = new Set(log.inferences.flatMap((inference) => (inference.file === null ? [] : [inference.file])))
  const labels = options.labels
    ? await readLabelsOption(options.labels)
    : chooseLabelList(loaded, await officialLabelLists())
  const convention = options.convention ?? (log.runner === 'ER' ? 'er' : 'py')
  const result: ScoreResult = {
    path,
    log: files.log,
    benchmark: log.model ?? log.config.get('model') ?? labels?.benchmark ?? null,
    runner: log.runner,
    runnerVersion: log.config.get('version') ?? null,
    mode,
    convention,
    runMode: log.config.get('runMode') ?? null,
    labels: labels?.name ?? null,
    filesScored: 0,
    filesExpected: null,
    coverageComplete: null,
    top1: null,
    auc: null,
    aucExact: null,
    anomalyThreshold: null,
    medianIps: null,
    medianUjPerInference: null,
    windows: [],
    perClass: null,
    confusion: null,
    printed: {top1: null, auc: null, medianIps: null, medianUjPerInference: null},
    published: files.results ? await publishedFiguresOf(files.results) : noFigures(),
    warnings: logWarnings(log),
    predictions: [],
    sww: null,
  }
  if (read.sww) await scoreSwwMode(result, log, read.sww, files)
  else if (mode === 'accuracy') scoreAccuracyMode(result, log, labels, loaded)
  else if (mode === 'performance') await scorePerformanceMode(result, log, files)
  else await scoreEnergyMode(result, log, files)
  return result
}

/** results.txt, read line by line as the submission checker reads it. */
async function publishedFiguresOf(file: string): Promise<Figures<string | null>> {
  const figures = noFigures()
  await forEachLine(file, (line) => readPublishedFigures(figures, line))
  return figures
}

/** `accuracy_log.txt` / `performance_log.txt` / `energy_log.txt`, or the folder: accuracy/, performance/, energy/, power/. */
const MODE_NAME = /^(accuracy|performance|energy|power)/

/** The log says it when it can (energy commands, ER runMode); else the names say it; else PY accuracy runs N = 1. */
function detectMode(log: RunnerLog, files: ResultFiles): Mode {
  if (log.inferences.some((inference) => inference.energyMode) || log.energyTrials.length > 0) return 'energy'
  const runMode = log.config.get('runMode')
  if (runMode === 'multi') return 'accuracy'
  if (runMode === 'bmark' || runMode === 'single') return 'performance'
  const named = MODE_NAME.exec(basename(files.log)) ?? MODE_NAME.exec(basename(files.folder))
  if (named) return named[1] === 'power' ? 'energy' : (named[1] as Mode)
  const singleInferences = log.inferences.length > 0 && log.inferences.every((inference) => inference.measured === 1)
  return singleInferences ? 'accuracy' : 'performance'
}

function logWarnings(log: RunnerLog): string[] {
  const warnings: string[] = []
  if (log.runner === 'ER' && log.sessions === 0) {
    warnings.push('no m-session-start: the log does not hold a whole EnergyRunner session')
  }
  if (log.sessions > 1) warnings.push(`${log.sessions} sessions in one log: all of them are scored together`)
  if (log.unreadableResults > 0) {
    warnings.push(`${log.unreadableResults} m-results line(s) are empty or not lists of numbers and were ignored`)
  }
  return warnings
}

function scoreAccuracyMode(result: ScoreResult, log: RunnerLog, labels: LabelList | null, loaded: Set<string>): void {
  if (loaded.size === 0 && !log.inferences.some((inference) => inference.outputs.length > 0)) {
    throw fileError(result.log, 'no stimulus was loaded and no m-results were printed: nothing to score')
  }
  if (!labels) {
    throw fileError(result.log, `none of the ${loaded.size} loaded files is in an official label list: pass --labels`)
  }
  checkClassCount(labels, result.benchmark)
  const join = joinOutputs(log.inferences, labels)
  const warnings = result.warnings
  if (join.unlisted.length > 0) {
    warnings.push(`${join.unlisted.length} file(s) with results are not in the label list ${labels.name} and were`
      + ` ignored: ${listed(join.unlisted)}`)
  }
  if (join.withoutFile > 0) {
    warnings.push(`${join.withoutFile} inference(s) have no loaded file: the log starts in the middle of a run`)
  }
  if (join.withoutOutput > 0) warnings.push(`${join.withoutOutput} inference(s) have no usable m-results`)
  if (join.repeatedOutput > 0) {
    warnings.push(`${join.repeatedOutput} inference(s) printed m-results more than once: only the last of each is`
      + ' scored')
  }
  if (join.stimuli.length === 0) {
    throw fileError(result.log, log.inferences.some((inference) => inference.outputs.length > 0)
      ? `no file with results is in the label list ${labels.name}`
      : 'no m-results lines: nothing to score')
  }
  warnings.push(...suspectOutputWarnings(join.stimuli, labels))
  result.filesScored = join.stimuli.length
  result.filesExpected = labels.classes.size
  result.coverageComplete = result.filesScored >= result.filesExpected
  if (!result.coverageComplete) {
    warnings.unshift(`COVERAGE INCOMPLETE: ${result.filesScored} of ${result.filesExpected} stimuli of ${labels.name}`
      + ' were scored (a truncated or partial session): these figures do not describe a full run')
  }
  const figures = scoreAccuracy(join.stimuli, labels.classCount, result.convention)
  const repeated = join.stimuli.filter((stimulus) => stimulus.windows.length > 1)
  if (figures.kind === 'classifier' && repeated.length > 0) {
    warnings.push(`${repeated.length} stimuli were inferred more than once (the ER convention scores the last output,`
      + ` the PY convention the mean): ${listed(repeated.map((stimulus) => stimulus.file))}`)
  }
  const emptyClasses = figures.perClass.filter((figure) => figure.stimuli === 0).length
  if (emptyClasses > 0) {
    warnings.push(`${emptyClasses} class(es) of ${labels.name} have no scored stimulus`
      + (Number.isNaN(figures.auc) ? ': the AUC is undefined' : ''))
  }
  result.top1 = figures.top1
  result.auc = figures.auc
  result.aucExact = figures.aucExact
  result.anomalyThreshold = figures.threshold
  result.perClass = figures.perClass
  result.confusion = figures.confusion
  result.predictions = figures.predictions
  const digits = CONVENTIONS[result.convention].digits
  result.printed.top1 = formatFixed(figures.top1, digits.top1)
  result.printed.auc = formatFixed(figures.auc, digits.auc)
}

/** Outputs a model should not print: they are scored as they are, but said. */
function suspectOutputWarnings(stimuli: Stimulus[], labels: LabelList): string[] {
  const warnings: string[] = []
  const nonFinite = stimuli.filter((stimulus) => stimulus.windows.some((output) => !output.every(Number.isFinite)))
  if (nonFinite.length > 0) {
    warnings.push(`${nonFinite.length} stimuli have NaN or infinite outputs: ${listed(nonFinite.map(({file}) => file))}`)
  }
  const wide = stimuli.filter((stimulus) => stimulus.windows.some((output) => output.length > labels.classCount))
  if (wide.length > 0) {
    warnings.push(`${wide.length} stimuli have more outputs than the ${labels.classCount} classes of ${labels.name}:`
      + ` ${listed(wide.map(({file}) => file))}`)
  }
  return warnings
}

async function scorePerformanceMode(result: ScoreResult, log: RunnerLog, files: ResultFiles): Promise<void> {
  let windows = log.runner === 'ER' ? lapWindows(log.inferences) : []
  if (log.runner === 'PY') {
    if (files.resultsJson) windows = jsonThroughputWindows(await readPyResults(files.resultsJson))
    if (windows.length === 0) windows = printedThroughputWindows(log.inferences)
  }
  if (windows.length === 0) {
    throw fileError(result.log, 'no timed window (m-lap-us pair or Throughput line): nothing to score')
  }
  if (result.runMode === 'single') {
    result.warnings.unshift('runMode=single: a one-window debug session, not the five-window median run that'
      + ' produced results.txt; its throughput is not the published median')
  }
  finishWindows(result, windows)
  result.medianIps = medianOf(windows, 'inferencesPerSecond')
  result.printed.medianIps = result.medianIps === null ? null : formatFixed(result.medianIps, THROUGHPUT_DIGITS)
}

async function scoreEnergyMode(result: ScoreResult, log: RunnerLog, files: ResultFiles): Promise<void> {
  let windows: Window[] = []
  if (log.runner === 'ER') {
    if (files.energyTrace && files.energyTimestamps) {
      const timestamps = parseTimestamps((await readMaybeGzip(files.energyTimestamps)).toString('utf8'),
        files.energyTimestamps)
      windows = erTraceWindows(await readMaybeGzip(files.energyTrace), files.energyTrace, timestamps, log.inferences)
    } else {
      const missing = [files.energyTrace ? null : 'trace1-energy.bin', files.energyTimestamps ? null : 'trace1-timestamps.json']
      result.warnings.unshift(`ENERGY NOT RECOMPUTABLE: ${missing.filter(Boolean).join(' and ')} missing, and the`
        + ' EnergyRunner log holds no energy samples')
    }
  } else {
    if (files.resultsJson) windows = jsonEnergyWindows(await readPyResults(files.resultsJson))
    if (windows.length === 0) windows = trialWindows(log)
    if (windows.length === 0) {
      result.warnings.unshift('ENERGY NOT RECOMPUTABLE: no results.json energy samples and no "Energy data" lines')
    }
  }
  finishWindows(result, windows)
  // the runners also print the throughput of the energy windows, timed by the monitor (spec §1.3)
  result.medianIps = medianOf(windows, 'inferencesPerSecond')
  result.printed.medianIps = result.medianIps === null ? null : formatFixed(result.medianIps, THROUGHPUT_DIGITS)
  result.medianUjPerInference = medianOf(windows, 'microjoulesPerInference')
  result.printed.medianUjPerInference = result.medianUjPerInference === null
    ? null
    : formatFixed(result.medianUjPerInference, ENERGY_DIGITS[log.runner])
}

/** PY logs without results.json: the runner's own `Energy data for trial k` blocks, total µJ / inferences. */
function trialWindows(log: RunnerLog): Window[] {
  return log.energyTrials.map((trial) => ({
    file: null,
    inferences: trial.inferences,
    seconds: trial.seconds,
    inferencesPerSecond: trial.seconds === null ? null : trial.inferences / trial.seconds,
    microjoules: trial.microjoules,
    microjoulesPerInference: trial.microjoules / trial.inferences,
  }))
}

/** Performance and energy coverage is the five windows of a median run (spec §2.5). */
function finishWindows(result: ScoreResult, windows: Window[]): void {
  result.windows = windows
  result.filesScored = windows.length
  result.filesExpected = EXPECTED_WINDOWS
  result.coverageComplete = windows.length >= EXPECTED_WINDOWS
  if (windows.length > 0) result.warnings.push(...windowWarnings(windows))
}

async function readPyResults(file: string) {
  return parsePyResults((await readMaybeGzip(file)).toString('utf8'), file)
}

function listed(names: string[]): string {
  const shown = names.slice(0, LISTED_NAMES).join(', ')
  return names.length > LISTED_NAMES ? `${shown}, … (${names.length - LISTED_NAMES} more)` : shown
}
