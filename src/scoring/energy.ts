/** Energy per inference from the raw monitor data of either runner (spec §2.6). */

import type {Inference} from './events.js'
import type {Window} from './windows.js'

import {fileError} from '../errors.js'

/** `trace1-energy.bin` starts with this tag byte, then the float32 LE sample rate, then float32 LE samples in mW. */
const EMON_TRACE_TAG = 0xf1
const TRACE_HEADER_BYTES = 5
const FLOAT32_BYTES = 4
const MILLISECONDS_PER_SECOND = 1000

/** How closely figures recomputed from an EnergyRunner trace match the runner's: relative, set by the ms-rounded stamps. */
export const ER_TRACE_AGREEMENT = 3e-4

/**
 * EnergyRunner: `trace1-timestamps.json` is `[sync, start₁, end₁, …]` in seconds (GPIO edges, rounded to ms). Window w
 * sums the samples after round(start·rate) up to round(end·rate); a sample is mW over 1/rate s, so ×1000/rate gives
 * µJ. The measured count comes from the w-th `io dut infer N W`; an incomplete last pair is dropped (spec §2.6).
 * The ms rounding of the stamps limits agreement with the published figure to ER_TRACE_AGREEMENT.
 */
export function erTraceWindows(trace: Buffer, traceFile: string, timestamps: number[], inferences: Inference[]): Window[] {
  if (trace.length < TRACE_HEADER_BYTES || trace[0] !== EMON_TRACE_TAG) {
    throw fileError(traceFile, `not an EMON trace (expected tag byte 0x${EMON_TRACE_TAG.toString(16)} and a sample rate)`)
  }
  const rate = trace.readFloatLE(1)
  const sampleCount = Math.floor((trace.length - TRACE_HEADER_BYTES) / FLOAT32_BYTES)
  const sample = (index: number) => trace.readFloatLE(TRACE_HEADER_BYTES + FLOAT32_BYTES * index)
  const commands = inferences.filter((inference) => inference.energyMode)
  const windows: Window[] = []
  for (let pair = 1, w = 0; pair + 1 < timestamps.length && w < commands.length; pair += 2, w++) {
    const {file, measured} = commands[w]
    // the stamps are whole milliseconds and every known trace runs at 1 kHz: t·rate is within 1e-9 of an integer
    const first = Math.round(timestamps[pair] * rate) + 1
    const last = Math.min(Math.round(timestamps[pair + 1] * rate), sampleCount - 1)
    let sum = 0
    for (let index = Math.max(first, 0); index <= last; index++) sum += sample(index)
    const microjoules = sum * (MILLISECONDS_PER_SECOND / rate)
    const inferencesRun = measured ?? Number.NaN
    const seconds = timestamps[pair + 1] - timestamps[pair]
    windows.push({
      file,
      inferences: inferencesRun,
      seconds,
      inferencesPerSecond: inferencesRun / seconds,
      microjoules,
      microjoulesPerInference: microjoules / inferencesRun,
    })
  }
  return windows
}

/** `trace1-timestamps.json`: a JSON array of numbers. */
export function parseTimestamps(text: string, file: string): number[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw fileError(file, 'not valid JSON')
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'number')) {
    throw fileError(file, 'expected a JSON array of timestamps in seconds')
  }
  return value
}
