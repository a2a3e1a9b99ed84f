/** Performance and energy windows: one timed loop of inferences on one stimulus (spec §2.5, §2.6). */

import type {Inference} from './events.js'

import {median} from './stats.js'

export interface Window {
  /** The stimulus the loop ran on, when the source names it. */
  file: string | null
  /** Measured inferences (warm-ups excluded, spec §4 trap 9). */
  inferences: number
  seconds: number | null
  inferencesPerSecond: number | null
  microjoules: number | null
  microjoulesPerInference: number | null
}

/** A median run has five windows (spec §2.5; PY `ERROR 1` otherwise). */
export const EXPECTED_WINDOWS = 5
/** Validity floor of a window: 10 s and 10 inferences (energyrunner README:177, `script.py:160-168`; spec §2.5). */
export const MIN_WINDOW_SECONDS = 10
export const MIN_WINDOW_INFERENCES = 10
/** `m-lap-us-<u32 µs>` (spec §1.1): a window that spans the counter's wrap gets 2³² µs added back. */
const LAP_COUNTER_MODULUS = 2 ** 32
const MICROSECONDS_PER_SECOND = 1e6

export function emptyWindow(file: string | null, inferences: number): Window {
  return {file, inferences, seconds: null, inferencesPerSecond: null, microjoules: null, microjoulesPerInference: null}
}

/**
 * Throughput per window from the DUT's laps: the first two `m-lap-us` after the command are the start and the end of
 * the measured inferences, so throughput = N / ((end − start) / 1e6) (spec §2.5). Energy-mode commands have no laps.
 */
export function lapWindows(inferences: Inference[]): Window[] {
  const windows: Window[] = []
  for (const inference of inferences) {
    if (inference.energyMode || inference.laps.length < 2 || inference.measured === null) continue
    let elapsed = inference.laps[1] - inference.laps[0]
    if (elapsed < 0) elapsed += LAP_COUNTER_MODULUS
    const seconds = elapsed / MICROSECONDS_PER_SECOND
    windows.push({
      ...emptyWindow(inference.file, inference.measured),
      seconds,
      inferencesPerSecond: seconds > 0 ? inference.measured / seconds : Number.NaN,
    })
  }
  return windows
}

/** PY logs without results.json: the throughput the runner printed for each window (`%10.3f`, spec §2.5). */
export function printedThroughputWindows(inferences: Inference[]): Window[] {
  return inferences
    .filter((inference) => inference.printedThroughput !== null)
    .map((inference) => ({
      ...emptyWindow(inference.file, inference.measured ?? Number.NaN),
      inferencesPerSecond: inference.printedThroughput,
    }))
}

export function medianOf(windows: Window[], figure: 'inferencesPerSecond' | 'microjoulesPerInference'): number | null {
  const values = windows.map((window) => window[figure]).filter((value): value is number => value !== null)
  return values.length === 0 ? null : median(values)
}

/** What makes a run not a valid five-window median run, in words. */
export function windowWarnings(windows: Window[]): string[] {
  const warnings: string[] = []
  if (windows.length !== EXPECTED_WINDOWS) {
    warnings.push(`${windows.length} window(s), not ${EXPECTED_WINDOWS}: the median is over ${windows.length}`)
  }
  const short = windows.filter((window) => window.seconds !== null && window.seconds < MIN_WINDOW_SECONDS)
  if (short.length > 0) {
    const shortest = short.reduce((least, window) => Math.min(least, window.seconds!), Number.POSITIVE_INFINITY)
    warnings.push(`${short.length} of ${windows.length} window(s) ran less than ${MIN_WINDOW_SECONDS} s (shortest`
      + ` ${shortest.toFixed(3)} s): the runners call such a run invalid`)
  }
  const few = windows.filter((window) => window.inferences < MIN_WINDOW_INFERENCES)
  if (few.length > 0) {
    warnings.push(`${few.length} of ${windows.length} window(s) ran fewer than ${MIN_WINDOW_INFERENCES} inferences:`
      + ' the runners call such a run invalid')
  }
  return warnings
}
