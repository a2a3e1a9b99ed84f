/**
 * Scoring a sww01 (streaming wake word) run, performance, energy or accuracy alike: one WAV streamed, its detections
 * matched against the truth windows, the duty cycle from the processing edges, the power of the one energy trial
 * (spec/scoring.md §6). What a folder only echoes (log.txt without results.json) is read back and said so.
 */

import type {ResultFiles} from './result-files.js'
import type {RunnerLog} from './events.js'
import type {SwwRun} from './runner-log.js'
import type {ScoreResult, SwwScore} from './types.js'

import {fileError} from '../errors.js'
import {formatFixed} from './format.js'
import {detectionStats, type DutyCycle, dutyCycle, formatSignificant} from './metrics-sww.js'
import {forEachLine, readMaybeGzip} from './result-files.js'
import {noSwwFigures, readSwwFigures, type SwwFigures, type SwwLog} from './sww-log.js'
import {parseSwwResults, powerOf, type SwwRecord} from './sww-results.js'
import {bundledTruth, type SwwTruth} from './sww-truth.js'

/** The submission checker's rules for the long WAV: 50 windows, and at most 8 FP and 8 FN in the closed division. */
const CHECKER_WINDOWS = 50
const CLOSED_DIVISION_LIMIT = 8
/** `Power : %5.4f mW.` and `Median energy cost is %.4f uJ/inf.` (spec §6). */
const ENERGY_DIGITS = 4

export async function scoreSwwMode(result: ScoreResult, log: RunnerLog, run: SwwRun, files: ResultFiles): Promise<void> {
  const {swwLog} = run
  if (swwLog.unreadableList !== null) throw fileError(result.log, swwLog.unreadableList)
  const record = files.resultsJson ? await readRecord(files.resultsJson, result.warnings) : null
  const detectionsMs = record?.detectionsMs ?? swwLog.detectionsMs
  const detectionsSource = record ? files.resultsJson! : result.log
  if (detectionsMs === null) {
    throw fileError(result.log, 'no detection list (the runner prints it as "[t1, t2, …]" after "Playing <wav>"):'
      + ' the log is truncated or not a sww01 stream run')
  }
  if (detectionsMs.length === 0) {
    throw fileError(detectionsSource, 'no detection at all: the first detection is the t = 0 marker, so the runner'
      + ' cannot score this run (does the device pulse its detection pin at the start?)')
  }
  const truth = await truthOf(record, swwLog, files, result.log)
  const stats = detectionStats(detectionsMs, truth.windows)
  const published = files.results ? await swwFiguresOf(files.results) : swwLog.echoed
  const sww: SwwScore = {
    wavFile: truth.wavFile,
    lengthS: truth.lengthS,
    truthSource: truth.source,
    windows: truth.windows,
    detectionsMs,
    stats,
    dutyCycle: null,
    periodS: null,
    throughputIps: null,
    powerMw: null,
    readBack: [],
    printed: {
      accuracy: `${stats.truePositives} True positives, ${stats.falseNegatives} False negatives,`
        + ` ${stats.falsePositives} False positives`,
      dutyCycle: null,
      periodS: null,
      throughputIps: null,
      powerMw: null,
    },
    published,
  }
  result.benchmark = 'sww01'
  result.sww = sww
  result.filesScored = truth.windows.length
  scoreDutyCycle(sww, record, swwLog, result.warnings)
  if (result.mode === 'energy') scorePower(result, sww, record, log, run)
  result.warnings.push(...detectionWarnings(sww))
}

async function swwFiguresOf(file: string): Promise<SwwFigures> {
  const figures = noSwwFigures()
  await forEachLine(file, (line) => readSwwFigures(figures, line))
  return figures
}

async function readRecord(file: string, warnings: string[]): Promise<SwwRecord | null> {
  const records = parseSwwResults((await readMaybeGzip(file)).toString('utf8'), file)
  if (records.length === 0) return null
  if (records.length > 1) warnings.push(`${file}: ${records.length} WAVs streamed: only the first is scored`)
  if (records[0].edges === null) {
    throw fileError(file, 'no "dutycycle" (start_times_s / stop_times_s): the duty cycle, period and throughput'
      + ' cannot be recomputed')
  }
  return records[0]
}

/** results.json carries the windows the runner used; a log only names its WAV, whose truth is bundled. */
async function truthOf(record: SwwRecord | null, swwLog: SwwLog, files: ResultFiles, logFile: string): Promise<SwwTruth> {
  const wavFile = record?.wavFile ?? swwLog.wavFile
  if (record?.windows) {
    return {
      source: files.resultsJson!, wavFile: wavFile ?? '?', lengthS: record.lengthS ?? swwLog.lengthS ?? Number.NaN,
      windows: record.windows,
    }
  }
  if (wavFile === null) throw fileError(logFile, 'names no WAV ("Playing <wav> (length = …s)"): no truth windows')
  const bundled = await bundledTruth(wavFile)
  if (!bundled) {
    throw fileError(logFile, `no truth windows for ${wavFile}: only the runner's long_wav.wav, med_wav_2m_8p.wav and`
      + ' short_wav_easy10s.wav are known (a results.json with infer.detection_windows carries its own)')
  }
  return bundled
}

function scoreDutyCycle(sww: SwwScore, record: SwwRecord | null, swwLog: SwwLog, warnings: string[]): void {
  const measured: DutyCycle | null = record?.edges ? dutyCycle(record.edges.startS, record.edges.stopS) : null
  if (measured) {
    warnings.push(...measured.warnings)
    sww.dutyCycle = measured.dutyCycle
    sww.periodS = measured.periodS
    sww.throughputIps = measured.throughputIps
    sww.printed.dutyCycle = formatSignificant(measured.dutyCycle)
    sww.printed.periodS = formatSignificant(measured.periodS)
    sww.printed.throughputIps = formatSignificant(measured.throughputIps)
    warnings.push(`duty cycle measured on the first ${measured.frames} processing frames only`
      + ` (${measured.coveredS.toFixed(1)} s of the ${sww.lengthS} s WAV): the runner records no more`)
    return
  }
  const echoed = swwLog.echoed
  if (echoed.dutyCycle === null) {
    warnings.push('no duty cycle: no processing edges (results.json dutycycle) and no "Average duty cycle" echo')
    return
  }
  sww.dutyCycle = Number(echoed.dutyCycle)
  sww.periodS = echoed.periodS === null ? null : Number(echoed.periodS)
  sww.throughputIps = echoed.throughputIps === null ? null : Number(echoed.throughputIps)
  sww.printed.dutyCycle = echoed.dutyCycle
  sww.printed.periodS = echoed.periodS
  sww.printed.throughputIps = echoed.throughputIps
  sww.readBack.push('duty cycle', 'period', 'throughput')
  warnings.push('duty cycle, period and throughput are read back from the log (no results.json with the processing'
    + ' edges); the runner measured them on its first ~100 processing frames only')
}

/** One energy trial is the rule (`req_cycles = 1`); its power is the headline, its µJ the whole run's energy. */
function scorePower(result: ScoreResult, sww: SwwScore, record: SwwRecord | null, log: RunnerLog, run: SwwRun): void {
  const {swwLog} = run
  const trials = log.energyTrials.length
  if (trials > 1) {
    throw fileError(result.log, `${trials} energy trials: a sww01 energy run has exactly one (the runner's`
      + ' req_cycles = 1), so these are not the runner\'s figures')
  }
  const measured = record?.power ? powerOf(record.power) : null
  if (measured) {
    sww.powerMw = measured.powerMw
    sww.printed.powerMw = formatFixed(measured.powerMw, ENERGY_DIGITS)
    result.medianUjPerInference = measured.microjoules
    result.printed.medianUjPerInference = formatFixed(measured.microjoules, ENERGY_DIGITS)
    return
  }
  if (swwLog.echoed.powerMw === null) {
    result.warnings.unshift('ENERGY NOT RECOMPUTABLE: no results.json energy samples and no "Power : … mW" echo')
    return
  }
  sww.powerMw = Number(swwLog.echoed.powerMw)
  sww.printed.powerMw = swwLog.echoed.powerMw
  const echoedEnergy = run.echoed.medianUjPerInference
  result.medianUjPerInference = echoedEnergy === null ? null : Number(echoedEnergy)
  result.printed.medianUjPerInference = echoedEnergy
  sww.readBack.push('power', 'energy')
  result.warnings.push('power and energy are read back from the log\'s energy block (the LPM01A samples are not kept)')
}

function detectionWarnings(sww: SwwScore): string[] {
  const warnings: string[] = []
  const {truePositives, falseNegatives, falsePositives} = sww.stats
  if (truePositives + falseNegatives !== CHECKER_WINDOWS) {
    warnings.push(`TP + FN = ${truePositives + falseNegatives}, not the ${CHECKER_WINDOWS} windows of the long WAV the`
      + ' submission checker requires')
  }
  for (const [count, name] of [[falsePositives, 'false positives'], [falseNegatives, 'false negatives']] as const) {
    if (count > CLOSED_DIVISION_LIMIT) {
      warnings.push(`${count} ${name}: over the closed division's limit of ${CLOSED_DIVISION_LIMIT}`)
    }
  }
  const backwards = sww.detectionsMs.findIndex((ms, index) => index > 0 && ms < sww.detectionsMs[index - 1])
  if (backwards > 0) {
    warnings.push(`the detection list is not in time order (${sww.detectionsMs[backwards]} ms after`
      + ` ${sww.detectionsMs[backwards - 1]} ms at position ${backwards + 1}): scored in list order, as the runner does`)
  }
  return warnings
}
