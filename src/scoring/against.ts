/**
 * `tinydata score <device log> --against <golden log>`: the device's outputs beside the golden run's, stimulus by
 * stimulus. A disagreement points at the firmware or the model port; none while the scores differ points at the
 * stimuli or the scoring.
 */

import type {StimulusPrediction} from './accuracy.js'
import type {ScoreResult} from './types.js'

import {fileError} from '../errors.js'
import {finite} from './json.js'
import {formatFixed} from './format.js'

export interface StimulusComparison {
  file: string
  label: number
  devicePrediction: number
  goldenPrediction: number
  /** Same prediction (the argmax of a classifier; the side of each run's own threshold for ad01). */
  agree: boolean
  /** Largest absolute difference between the two scored output vectors. */
  maxDifference: number
  deviceOutput: number[]
  goldenOutput: number[]
}

export interface AgainstResult {
  device: string
  golden: string
  benchmark: string | null
  /** Stimuli scored in both logs, in the device log's order. */
  compared: number
  agreeing: number
  /** Percent of the compared stimuli. */
  agreement: number
  /** Top-1 of each log over the compared stimuli only, so the two are over the same files. */
  deviceTop1: number
  goldenTop1: number
  /** The largest output difference of any stimulus (0 when none is compared). */
  maxDifference: number
  disagreements: StimulusComparison[]
  stimuli: StimulusComparison[]
  onlyInDevice: string[]
  onlyInGolden: string[]
}

/** Compares two accuracy results stimulus by stimulus (scored with the same convention and label list). */
export function compareWithGolden(device: ScoreResult, golden: ScoreResult): AgainstResult {
  for (const result of [device, golden]) {
    if (result.sww) {
      throw fileError(result.log, 'a sww01 run has detections, not per-stimulus outputs: score the golden log as a'
        + ' PATH of its own and compare the two timelines (--report)')
    }
    if (result.mode !== 'accuracy') throw fileError(result.log, `a ${result.mode} log has no per-stimulus outputs to compare`)
  }
  const goldenByFile = new Map(golden.predictions.map((prediction) => [prediction.file, prediction]))
  const deviceFiles = new Set(device.predictions.map((prediction) => prediction.file))
  const stimuli: StimulusComparison[] = []
  for (const ours of device.predictions) {
    const theirs = goldenByFile.get(ours.file)
    if (theirs) stimuli.push(compareStimulus(ours, theirs))
  }
  const agreeing = stimuli.filter((stimulus) => stimulus.agree).length
  const correct = (predictions: (stimulus: StimulusComparison) => number): number =>
    stimuli.filter((stimulus) => predictions(stimulus) === stimulus.label).length
  const percent = (count: number): number => (stimuli.length === 0 ? Number.NaN : (100 * count) / stimuli.length)
  return {
    device: device.log,
    golden: golden.log,
    benchmark: device.benchmark ?? golden.benchmark,
    compared: stimuli.length,
    agreeing,
    agreement: percent(agreeing),
    deviceTop1: percent(correct((stimulus) => stimulus.devicePrediction)),
    goldenTop1: percent(correct((stimulus) => stimulus.goldenPrediction)),
    maxDifference: stimuli.reduce((most, stimulus) => Math.max(most, stimulus.maxDifference), 0),
    disagreements: stimuli.filter((stimulus) => !stimulus.agree),
    stimuli,
    onlyInDevice: [...deviceFiles].filter((file) => !goldenByFile.has(file)),
    onlyInGolden: [...goldenByFile.keys()].filter((file) => !deviceFiles.has(file)),
  }
}

function compareStimulus(device: StimulusPrediction, golden: StimulusPrediction): StimulusComparison {
  const width = Math.max(device.output.length, golden.output.length)
  let maxDifference = 0
  for (let index = 0; index < width; index++) {
    // An output missing from one side counts as the whole value of the other.
    const difference = Math.abs((device.output[index] ?? 0) - (golden.output[index] ?? 0))
    maxDifference = Math.max(maxDifference, Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference)
  }
  return {
    file: device.file,
    label: device.label,
    devicePrediction: device.prediction,
    goldenPrediction: golden.prediction,
    agree: device.prediction === golden.prediction,
    maxDifference,
    deviceOutput: device.output,
    goldenOutput: golden.output,
  }
}

/** How many disagreements the text report lists before it summarises the rest. */
const LISTED_DISAGREEMENTS = 20

export function againstReportLines(result: AgainstResult): string[] {
  const lines = [
    `device: ${result.device}`,
    `golden: ${result.golden}`,
    `compared ${result.compared} stimuli: predictions agree on ${result.agreeing} (${formatFixed(result.agreement, 1)}%),`
      + ` largest output difference ${formatFixed(result.maxDifference, 6)}`,
    `Top-1 over these stimuli: device ${formatFixed(result.deviceTop1, 1)}%, golden ${formatFixed(result.goldenTop1, 1)}%`,
  ]
  if (result.onlyInDevice.length > 0) lines.push(`${result.onlyInDevice.length} stimuli only in the device log`)
  if (result.onlyInGolden.length > 0) lines.push(`${result.onlyInGolden.length} stimuli only in the golden log`)
  if (result.disagreements.length > 0) {
    lines.push(`${result.disagreements.length} disagreement(s): file, label, device → golden prediction, largest difference`)
    for (const stimulus of result.disagreements.slice(0, LISTED_DISAGREEMENTS)) {
      lines.push(`  ${stimulus.file}  ${stimulus.label}  ${stimulus.devicePrediction} → ${stimulus.goldenPrediction}`
        + `  ${formatFixed(stimulus.maxDifference, 6)}`)
    }
    const more = result.disagreements.length - LISTED_DISAGREEMENTS
    if (more > 0) lines.push(`  … and ${more} more (--json lists them all)`)
  }
  return lines
}

export interface AgainstResultJson {
  device: string
  golden: string
  benchmark: string | null
  compared: number
  agreeing: number
  agreement: number | null
  device_top1: number | null
  golden_top1: number | null
  /** null where an output is NaN (the difference is then infinite). */
  max_difference: number | null
  disagreements: {
    file: string
    label: number
    device_prediction: number
    golden_prediction: number
    max_difference: number | null
    /** NaN and the infinities, which a device may print, are null. */
    device_output: (number | null)[]
    golden_output: (number | null)[]
  }[]
  only_in_device: string[]
  only_in_golden: string[]
}

export function againstResultToJson(result: AgainstResult): AgainstResultJson {
  return {
    device: result.device,
    golden: result.golden,
    benchmark: result.benchmark,
    compared: result.compared,
    agreeing: result.agreeing,
    agreement: finite(result.agreement),
    device_top1: finite(result.deviceTop1),
    golden_top1: finite(result.goldenTop1),
    max_difference: finite(result.maxDifference),
    disagreements: result.disagreements.map((stimulus) => ({
      file: stimulus.file,
      label: stimulus.label,
      device_prediction: stimulus.devicePrediction,
      golden_prediction: stimulus.goldenPrediction,
      max_difference: finite(stimulus.maxDifference),
      device_output: stimulus.deviceOutput.map(finite),
      golden_output: stimulus.goldenOutput.map(finite),
    })),
    only_in_device: result.onlyInDevice,
    only_in_golden: result.onlyInGolden,
  }
}
