/**
 * The golden run written as an EnergyRunner accuracy log (spec/scoring.md §1.1), so that `tinydata score` and any
 * tool that reads device logs read it like a device's. Each stimulus (each window for ad01) is one `bload` and one
 * `dut infer 1 0`, followed by the `m-results` the reference firmware would print for the outputs.
 */

import {dirname} from 'node:path'

import type {BenchmarkId} from '../benchmark-ids.js'

import {formatFixed} from '../scoring/format.js'

/** How each reference firmware prints its outputs (`th_results` in `submitter_implemented.cpp`). */
const RESULT_FORMATS: Record<BenchmarkId, {digits: number; trailingComma: boolean}> = {
  kws01: {digits: 3, trailingComma: false}, // "%0.3f" between commas
  ic01: {digits: 6, trailingComma: false}, // "%f" between commas
  vww01: {digits: 6, trailingComma: true}, // "%f," after each value
  ad01: {digits: 3, trailingComma: false}, // "[%0.3f]": one anomaly score per window
}

export interface GoldenInference {
  /** Stimulus file name as listed in y_labels.csv. */
  file: string
  /** ad01: byte offset and length of the window; absent for whole-file stimuli. */
  window?: {offset: number; length: number}
  /** The printed outputs (dequantised scores, or the window's anomaly score). */
  outputs: ArrayLike<number>
  microseconds: number
}

export interface GoldenLogHeader {
  benchmark: BenchmarkId
  /** The folder of the stimuli, recorded in the bload paths (the runner's `<datasets>/<benchmark>/`). */
  stimuliDir: string
  model: string
  tinydataVersion: string
}

/** The `m-results-[…]` payload exactly as the reference firmware prints it. */
export function formatResults(benchmark: BenchmarkId, outputs: ArrayLike<number>): string {
  const {digits, trailingComma} = RESULT_FORMATS[benchmark]
  const values = Array.from(outputs, (value) => formatFixed(value, digits))
  return values.join(',') + (trailingComma ? ',' : '')
}

/**
 * Builds the log text; timestamps advance with the measured inference times. Each inference is one string of its nine
 * lines, with its two timestamps formatted once each: ad01 writes 196 inferences per stimulus, and one string and one
 * timestamp per line cost about a tenth of a run (issue 17).
 */
export class GoldenLogWriter {
  private readonly chunks: string[] = []
  private milliseconds = 0
  private lap = 0

  constructor(private readonly header: GoldenLogHeader) {
    const {benchmark} = header
    this.add('session', 'm-session-start-id[tinydata-golden]')
    this.add('parser', 'm-bmark-run-name[ML Performance 1.0.1]-code[ulp-mlperf]')
    this.add('parser', `m-version[tinydata ${header.tinydataVersion}]`)
    this.config('iterWarmup', '0')
    this.config('iterInfer', '1')
    this.config('runMode', 'multi')
    this.config('model', benchmark)
    this.config('sourceDir', dirname(header.stimuliDir))
    this.add('dut', `m-profile-[tinydata golden host run of ${header.model} (TensorFlow Lite)]`)
    this.add('dut', `m-model-[${benchmark}]`)
    this.add('dut', 'm-ready')
  }

  inference(inference: GoldenInference): void {
    const path = `${this.header.stimuliDir}/${inference.file}`
    const range = inference.window ? ` ${inference.window.offset} ${inference.window.length}` : ''
    const started = this.timestamp()
    const lapStart = this.lap
    this.lap += Math.max(1, Math.round(inference.microseconds))
    this.milliseconds += inference.microseconds / 1000
    const done = this.timestamp()
    this.chunks.push(`${started} parser: Command "bload dut "${path}"${range}"
${started} parser: m-bload-done
${started} parser: Command "dut infer 1 0"
${started} dut: m-infer-start-1
${started} dut: m-lap-us-${lapStart}
${done} dut: m-lap-us-${this.lap}
${done} dut: m-infer-done
${done} dut: m-results-[${formatResults(this.header.benchmark, inference.outputs)}]
${done} dut: m-ready
`)
  }

  text(): string {
    return this.chunks.join('')
  }

  private config(key: string, value: string): void {
    this.add('parser', `m-bm-cfg-name[ulp-mlperf]-key[${key}]-val[${value}]`)
  }

  private add(source: string, message: string): void {
    this.chunks.push(`${this.timestamp()} ${source}: ${message}\n`)
  }

  /** The seconds since the session started, as the EnergyRunner prefixes each line: `SSSSS.mmm`. */
  private timestamp(): string {
    return (this.milliseconds / 1000).toFixed(3).padStart(9, '0')
  }
}
