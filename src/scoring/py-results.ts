/** The Python runner's `results.json` (`main.py:378-380`): one record per inference, with energy samples in energy mode. */

import {fileError} from '../errors.js'
import {emptyWindow, type Window} from './windows.js'

interface InferenceRecord {
  file: string | null
  iterations: number
  /** µs between the two laps (`infer.elapsed_time`). */
  elapsedMicroseconds: number | null
  power: {samples: number[]; stamps: number[]} | null
}

/** LPM01A samples arrive at 1 kHz and are energies in joules (spec §2.6 PY). */
const POWER_SAMPLES_PER_SECOND = 1000
export const MICROJOULES_PER_JOULE = 1e6
const MICROSECONDS_PER_SECOND = 1e6

/** The Python runner's results.json: a JSON array of records, one per run; entries that are not objects are passed over. */
export function resultRecords(text: string, file: string): Record<string, unknown>[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw fileError(file, 'not valid JSON')
  }
  if (!Array.isArray(value)) throw fileError(file, 'expected a JSON array of inference records')
  return value.filter(isObject)
}

export function parsePyResults(text: string, file: string): InferenceRecord[] {
  return resultRecords(text, file).map((record) => {
    const infer = isObject(record.infer) ? record.infer : {}
    const power = isObject(record.power) ? record.power : {}
    const elapsed = infer.elapsed_time
    const samples = power.samples
    const stamps = Array.isArray(power.timestamps)
      ? power.timestamps.map((stamp: unknown) => (Array.isArray(stamp) ? Number(stamp[1]) : Number.NaN))
      : []
    return {
      file: typeof record.file === 'string' ? record.file : null,
      iterations: Number(infer.iterations),
      elapsedMicroseconds: typeof elapsed === 'number' && elapsed > 0 ? elapsed : null,
      power: Array.isArray(samples) ? {samples: samples.map(Number), stamps} : null,
    }
  })
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Throughput = iterations / elapsed time (the laps), one window per record that has it (spec §2.5). */
export function jsonThroughputWindows(records: InferenceRecord[]): Window[] {
  return records.flatMap((record) => {
    if (record.elapsedMicroseconds === null) return []
    const seconds = record.elapsedMicroseconds / MICROSECONDS_PER_SECOND
    return [{...emptyWindow(record.file, record.iterations), seconds, inferencesPerSecond: record.iterations / seconds}]
  })
}

/**
 * The energy (Σ samples, J) and the time between the last two monitor events (`[counter, sample index]`; extra
 * leading events occur); null without two events. The Python runner's reading of an LPM01A recording (main.py).
 */
export function energyBetweenLastEvents({samples, stamps}: {samples: number[]; stamps: number[]}): {joules: number; seconds: number} | null {
  if (stamps.length < 2) return null
  const [start, end] = stamps.slice(-2) as [number, number]
  let joules = 0
  for (let index = Math.max(start, 0); index < Math.min(end, samples.length); index++) joules += samples[index]!
  return {joules, seconds: (end - start) / POWER_SAMPLES_PER_SECOND}
}

/**
 * Energy = Σ samples between the last two monitor events (`[counter, sample index]`; extra leading events occur),
 * per measured iteration (`main.py:157-224`, spec §2.6).
 */
export function jsonEnergyWindows(records: InferenceRecord[]): Window[] {
  return records.flatMap((record) => {
    const measured = record.power && energyBetweenLastEvents(record.power)
    if (!measured) return []
    const {joules, seconds} = measured
    return [{
      file: record.file,
      inferences: record.iterations,
      seconds,
      inferencesPerSecond: record.iterations / seconds,
      microjoules: MICROJOULES_PER_JOULE * joules,
      microjoulesPerInference: MICROJOULES_PER_JOULE * (joules / record.iterations),
    }]
  })
}
