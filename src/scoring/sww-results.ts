/** The Python runner's sww01 `results.json` (spec/scoring.md §6): one record per WAV streamed. */

import type {TruthWindow} from '../formats/sww-truth.js'

import {fileError} from '../errors.js'
import {energyBetweenLastEvents, isObject, MICROJOULES_PER_JOULE, resultRecords} from './py-results.js'

export interface SwwRecord {
  wavFile: string | null
  lengthS: number | null
  windows: TruthWindow[] | null
  detectionsMs: number[]
  /** The processing edges in seconds; null when the record has no `dutycycle`. */
  edges: {startS: number[]; stopS: number[]} | null
  /** LPM01A samples (J at 1 kHz) and the monitor events `[counter, sample index]`, energy runs only. */
  power: {samples: number[]; stamps: number[]} | null
}

/** The records that streamed a WAV (`infer.detections`); an empty list when the file is another benchmark's. */
export function parseSwwResults(text: string, file: string): SwwRecord[] {
  return resultRecords(text, file).flatMap((record) => {
    const infer = isObject(record.infer) ? record.infer : null
    if (!infer || !Array.isArray(infer.detections)) return []
    const detectionsMs = infer.detections.map(Number)
    if (detectionsMs.some((ms) => !Number.isFinite(ms))) throw fileError(file, 'infer.detections holds a non-number')
    const duty = isObject(record.dutycycle) ? record.dutycycle : null
    const power = isObject(record.power) ? record.power : null
    return [{
      wavFile: typeof infer.wav_file === 'string' ? infer.wav_file : null,
      lengthS: typeof infer.length_sec === 'number' ? infer.length_sec : null,
      windows: Array.isArray(infer.detection_windows) ? infer.detection_windows.map((window) => windowOf(window, file)) : null,
      detectionsMs,
      edges: duty && Array.isArray(duty.start_times_s) && Array.isArray(duty.stop_times_s)
        ? {startS: duty.start_times_s.map(Number), stopS: duty.stop_times_s.map(Number)}
        : null,
      power: power && Array.isArray(power.samples) && Array.isArray(power.timestamps)
        ? {
          samples: power.samples.map(Number),
          stamps: power.timestamps.map((stamp: unknown) => (Array.isArray(stamp) ? Number(stamp[1]) : Number.NaN)),
        }
        : null,
    }]
  })
}

function windowOf(window: unknown, file: string): TruthWindow {
  if (!Array.isArray(window) || window.length !== 2 || !window.every((edge) => typeof edge === 'number')) {
    throw fileError(file, 'infer.detection_windows must hold [start, stop] pairs of seconds')
  }
  return [window[0], window[1]]
}

const MW_PER_W = 1000

/** `Power : 1e3·E/elapsed mW`, E = Σ samples (J) between the last two monitor events; null without two events. */
export function powerOf(power: {samples: number[]; stamps: number[]}): {powerMw: number; microjoules: number} | null {
  const measured = energyBetweenLastEvents(power)
  return measured && {powerMw: MW_PER_W * measured.joules / measured.seconds, microjoules: MICROJOULES_PER_JOULE * measured.joules}
}
