/**
 * The Python runner's sww matching (`calc_detection_stats` in streaming_ww_utils.py; scoring.md §6), for the golden
 * run's own counts. Provisional: src/scoring gets the same rule for `tinydata score`, and the two are to become one.
 */
import {UserError} from '../errors.js'

/** A truth window [start, stop] in seconds of the WAV. */
export type SwwWindow = readonly [number, number]

export interface SwwDetectionCounts {
  truePositives: number
  falseNegatives: number
  falsePositives: number
  /** Start (s) of each window nothing detected, as the runner lists them. */
  falseNegativeStarts: number[]
  /** Time (s after the first pulse) of each false positive left after the 1-s debounce. */
  falsePositiveTimes: number[]
}

/** How far past a window's end a detection still counts: the runner adds its 1.0-s delay twice. */
const LATE_DETECTION_S = 1.0
/** False positives closer than this to the previous one are one detection. */
const DEBOUNCE_MS = 1000

/**
 * Matches pulse timestamps (ms, the first being the t = 0 marker) against the truth windows: a window with any
 * detection in [start, stop + 2 s] is a true positive and consumes all of them; the rest, debounced over 1 s, are
 * false positives.
 */
export function matchSwwDetectionsAsRunner(timestampsMs: readonly number[], windows: readonly SwwWindow[]): SwwDetectionCounts {
  if (timestampsMs.length === 0) throw new UserError('no detection pulse at all (the first one marks t = 0)')
  const start = timestampsMs[0]!
  let remaining = timestampsMs.slice(1).map((timestamp) => timestamp - start)
  const falseNegativeStarts: number[] = []
  let truePositives = 0
  for (const [windowStart, windowStop] of windows) {
    const latest = windowStop + LATE_DETECTION_S + LATE_DETECTION_S
    const inWindow = (ms: number) => windowStart <= ms / 1000 && ms / 1000 <= latest
    if (remaining.some(inWindow)) {
      truePositives++
      remaining = remaining.filter((ms) => !inWindow(ms))
    } else {
      falseNegativeStarts.push(windowStart)
    }
  }
  // Each surviving detection removes the later ones in (d, d + 1 s]; the list need not be sorted.
  const survivors: number[] = []
  for (const ms of remaining) {
    if (!survivors.some((kept) => kept < ms && ms <= kept + DEBOUNCE_MS)) survivors.push(ms)
  }
  const falsePositiveTimes = survivors.map((ms) => ms / 1000)
  return {
    truePositives,
    falseNegatives: falseNegativeStarts.length,
    falsePositives: falsePositiveTimes.length,
    falseNegativeStarts,
    falsePositiveTimes,
  }
}
