/**
 * The sww01 (streaming wake word) convention: how the Python runner turns a detection list and the DUT's processing
 * edges into true / false positives and a duty cycle (spec/scoring.md §6; `streaming_ww_utils.py`).
 */

import type {TruthWindow} from '../formats/sww-truth.js'
import {formatFixed} from './format.js'


/** `false_pos_suppresion_delay`: added to a window's end, and then once more by the match test (spec §6 step 2). */
const SUPPRESSION_DELAY_S = 1
/** Later detections within this many ms of a false positive are the same detection (spec §6 step 3). */
const DEBOUNCE_MS = 1000
const MS_PER_S = 1000

export interface DetectionStats {
  truePositives: number
  falseNegatives: number
  falsePositives: number
  f1: number
  /** Per truth window: the indices (into `detectionsS`) of the detections it consumed; empty for a false negative. */
  matches: number[][]
  /** Indices (into `detectionsS`) of the detections counted as false positives. */
  falsePositiveIndices: number[]
  /** The detections after the first, in seconds from it (the first one is the t = 0 marker, not a detection). */
  detectionsS: number[]
}

/**
 * `calc_detection_stats`: the first timestamp (ms) is t = 0; each window, in order, consumes every detection in
 * [start, stop + 2 s]; the rest are debounced over 1 s into false positives. The caller guarantees one timestamp.
 */
export function detectionStats(timestampsMs: readonly number[], windows: readonly TruthWindow[]): DetectionStats {
  const t0 = timestampsMs[0]
  const detectionsS = timestampsMs.slice(1).map((ms) => (ms - t0) / MS_PER_S)
  let remaining = detectionsS.map((_, index) => index)
  const matches = windows.map(([start, stop]) => {
    // the runner's own order of operations, so that a detection on a boundary falls the same side
    const end = (stop + SUPPRESSION_DELAY_S) + SUPPRESSION_DELAY_S
    const hit = remaining.filter((index) => start <= detectionsS[index] && detectionsS[index] <= end)
    if (hit.length > 0) {
      const consumed = new Set(hit)
      remaining = remaining.filter((index) => !consumed.has(index))
    }
    return hit
  })
  const remainingMs = remaining.map((index) => timestampsMs[index + 1] - t0)
  // in a list in time order (every device's), the later detections past the debounce end need no look
  const inOrder = remainingMs.every((ms, position) => position === 0 || ms >= remainingMs[position - 1])
  const falsePositiveIndices: number[] = []
  const suppressed = new Set<number>()
  for (const [position, index] of remaining.entries()) {
    if (suppressed.has(position)) continue
    falsePositiveIndices.push(index)
    const ms = remainingMs[position]
    for (let later = position + 1; later < remaining.length; later++) {
      const laterMs = remainingMs[later]
      if (laterMs > ms && laterMs <= ms + DEBOUNCE_MS) suppressed.add(later)
      else if (inOrder && laterMs > ms + DEBOUNCE_MS) break
    }
  }
  const truePositives = matches.filter((hit) => hit.length > 0).length
  const falseNegatives = windows.length - truePositives
  const falsePositives = falsePositiveIndices.length
  const f1 = 2 * truePositives / (2 * truePositives + falsePositives + falseNegatives)
  return {truePositives, falseNegatives, falsePositives, f1, matches, falsePositiveIndices, detectionsS}
}

export interface DutyCycle {
  dutyCycle: number
  periodS: number
  throughputIps: number
  /** Processing frames the figures come from. */
  frames: number
  /** Seconds of the stream the edges cover. */
  coveredS: number
  warnings: string[]
}

/** The runner warns when the processing period varies by more than this fraction of its mean. */
const PERIOD_SPREAD_LIMIT = 0.02

/**
 * `process_dutycycle` on the edges in seconds (the board's 10 µs ticks × 10e-6): on = stop − start, period =
 * diff(start); duty cycle = mean(on) / mean(period), throughput = 1 / mean(on). Unequal counts are cut to the shorter.
 * Null when fewer than two frames were recorded (no period).
 */
export function dutyCycle(startS: readonly number[], stopS: readonly number[]): DutyCycle | null {
  const warnings: string[] = []
  const frames = Math.min(startS.length, stopS.length)
  if (startS.length !== stopS.length) {
    warnings.push(`${startS.length} duty-cycle start edges but ${stopS.length} stop edges: cut to ${frames}, as the`
      + ' runner does')
  }
  if (frames < 2) return null
  const on = startS.slice(0, frames).map((start, index) => stopS[index] - start)
  const periods = startS.slice(1, frames).map((start, index) => start - startS[index])
  const meanOn = numpyMean(on)
  const meanPeriod = numpyMean(periods)
  const longest = periods.reduce((most, period) => Math.max(most, period), Number.NEGATIVE_INFINITY)
  const shortest = periods.reduce((least, period) => Math.min(least, period), Number.POSITIVE_INFINITY)
  const spread = (longest - shortest) / meanPeriod
  if (spread > PERIOD_SPREAD_LIMIT) {
    warnings.push(`the processing period varies by ${(100 * spread).toFixed(1)} % of its mean (the runner warns over`
      + ` ${100 * PERIOD_SPREAD_LIMIT} %)`)
  }
  return {
    dutyCycle: meanOn / meanPeriod,
    periodS: meanPeriod,
    throughputIps: 1 / meanOn,
    frames,
    coveredS: stopS[frames - 1] - startS[0],
    warnings,
  }
}

/** numpy's float64 mean: pairwise summation (8 accumulators up to 128 values, halves above), then ÷ n. */
function numpyMean(values: readonly number[]): number {
  return pairwiseSum(values, 0, values.length) / values.length
}

const PAIRWISE_BLOCK = 128
const UNROLL = 8

function pairwiseSum(values: readonly number[], from: number, count: number): number {
  if (count < UNROLL) {
    let sum = 0
    for (let index = from; index < from + count; index++) sum += values[index]
    return sum
  }
  if (count <= PAIRWISE_BLOCK) {
    const partial = values.slice(from, from + UNROLL)
    let index = from + UNROLL
    for (; index < from + count - (count % UNROLL); index += UNROLL) {
      for (let lane = 0; lane < UNROLL; lane++) partial[lane] += values[index + lane]
    }
    let sum = ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) + (partial[6] + partial[7]))
    for (; index < from + count; index++) sum += values[index]
    return sum
  }
  let half = Math.floor(count / 2)
  half -= half % UNROLL
  return pairwiseSum(values, from, half) + pairwiseSum(values, from + half, count - half)
}

/**
 * Python's `format(x, '1.5')` (`summarize_sww_result`): 5 significant digits, trailing zeros dropped, fixed notation
 * for exponents −4 … 4, else `1.2346e+05`.
 */
export function formatSignificant(value: number, digits = 5): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : (value > 0 ? 'inf' : '-inf')
  if (value === 0) return '0.0'
  const exponent = Number(value.toExponential(digits - 1).split('e')[1])
  if (exponent < -4 || exponent >= digits) {
    const [mantissa, power] = value.toExponential(digits - 1).split('e')
    const sign = power.startsWith('-') ? '-' : '+'
    return `${stripZeros(mantissa)}e${sign}${power.replace(/^[+-]/, '').padStart(2, '0')}`
  }
  const fixed = formatFixed(value, digits - 1 - exponent)
  const stripped = stripZeros(fixed)
  return stripped.includes('.') ? stripped : `${stripped}.0`
}

function stripZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text
}
