/** The MLCommons Python-runner `log.txt` grammar (spec §1.2; `script.py`, `main.py`). */

import type {LineGrammar, LogEvent} from './events.js'

import {fileNameOf, matchAfter, parseOutputList} from './lines.js'

/** Lines only the Python runner writes; an EnergyRunner log has none of them. */
const PY_MARKERS = ['ulp-mlperf: Loading file', 'Logging initialized', 'Running inference with']

export function isPythonRunnerLine(line: string): boolean {
  return PY_MARKERS.some((marker) => line.includes(marker))
}

/** Each is matched as a head, then the rest of the line after it (matchAfter: linear time on any line). */
const LOAD = [/ulp-mlperf: Loading file /, /^(.+?) segment \d+\s*$/] as const
/** `script.py:186` prints W/N in that order: warm-ups first (spec §4 trap 11). */
const ITERATIONS = /Running inference with \d+\/(\d+) \(warmup\/measured\)/
const RESULTS = [/ulp-mlperf:\s+m-results\s+:\s+\[/, /^(.*)\]\s*$/] as const
const THROUGHPUT = /ulp-mlperf:\s+Throughput\s+:\s+([\d.]+|inf|nan) inf\.\/sec\./
const MODEL = /^Device model retrieved: (\S+)/
const CAPTURE = /^Captured samples:\d+/
/** The `Energy data for trial k` block of `main.py:210-218`. */
const TRIAL_START = /^\s*Energy data for trial \d+/
const TRIAL_ELAPSED = /^\s*Elapsed time\s*:\s*([\d.]+)/
const TRIAL_INFERENCES = /^\s*Inferences\s*:\s*(\d+)/
const TRIAL_ENERGY = /^\s*Total Energy\s*:\s*([\d.]+) uJ/

export function pyGrammar(): LineGrammar {
  let trial: {seconds: number | null; inferences: number | null} | null = null
  return function* pyLineEvents(line): Generator<LogEvent> {
    let match: RegExpExecArray | null
    if ((match = matchAfter(line, ...LOAD))) {
      yield {kind: 'load', file: fileNameOf(match[1])}
    } else if ((match = ITERATIONS.exec(line))) {
      yield {kind: 'infer', measured: Number(match[1]), energyMode: false}
    } else if ((match = matchAfter(line, ...RESULTS))) {
      yield {kind: 'results', values: parseOutputList(match[1])}
    } else if ((match = THROUGHPUT.exec(line))) {
      yield {kind: 'throughput', inferencesPerSecond: match[1] === 'inf' ? Number.POSITIVE_INFINITY : Number(match[1])}
    } else if ((match = MODEL.exec(line))) {
      yield {kind: 'model', model: match[1]}
    } else if (CAPTURE.test(line)) {
      yield {kind: 'energy-capture'}
    } else if (TRIAL_START.test(line)) {
      trial = {seconds: null, inferences: null}
    } else if (trial && (match = TRIAL_ELAPSED.exec(line))) {
      trial.seconds = Number(match[1])
    } else if (trial && (match = TRIAL_INFERENCES.exec(line))) {
      trial.inferences = Number(match[1])
    } else if (trial && (match = TRIAL_ENERGY.exec(line))) {
      if (trial.inferences !== null) {
        yield {kind: 'energy-trial', inferences: trial.inferences, microjoules: Number(match[1]), seconds: trial.seconds}
      }
      trial = null
    }
  }
}
