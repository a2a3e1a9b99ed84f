/** Small hand-made logs and folders for the scoring unit tests. */

import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {vi} from 'vitest'

import Score from '../../commands/score.js'
import {erGrammar} from '../../src/scoring/er-log.js'
import {type Runner, type RunnerLog, RunnerLogBuilder} from '../../src/scoring/events.js'
import {cleanLogLine} from '../../src/scoring/lines.js'
import {pyGrammar} from '../../src/scoring/py-log.js'
import {REPO_ROOT} from '../helpers/archives.js'

/** A log's text read line by line with one runner's grammar, as the score reads a file. */
export function parseLogText(runner: Runner, text: string): RunnerLog {
  const builder = new RunnerLogBuilder(runner)
  const grammar = runner === 'ER' ? erGrammar() : pyGrammar()
  for (const line of text.split('\n')) for (const event of grammar(cleanLogLine(line))) builder.add(event)
  return builder.log
}

/** A fresh folder holding the given files (relative paths → text or bytes). */
export function folderWith(files: Record<string, Buffer | string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tinydata-score-'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), {recursive: true})
    writeFileSync(join(root, name), content)
  }
  return root
}

export interface ErStimulus {
  /** As the runner prints it: a Windows or POSIX path, maybe with spaces. */
  path: string
  /** The `m-results-[…]` payload. */
  results: string
}

/** An EnergyRunner accuracy session (runMode multi, `infer 1 0`), without a final newline like the real ones. */
export function erAccuracyLog(model: string, stimuli: ErStimulus[]): string {
  const lines = [
    '00016.941 session: m-session-start-id[20210609105411]',
    '00016.942 parser: m-bmark-run-name[ML Performance 1.0.1]-code[ulp-mlperf]',
    '00016.950 parser: m-version[3.0.10]',
    '00016.976 dut: m-profile-[ULPMark for tinyML Firmware V0.0.1]',
    `00016.977 dut: m-model-[${model}]`,
    '00017.478 parser: m-bm-cfg-name[ulp-mlperf]-key[runMode]-val[multi]',
  ]
  for (const [index, stimulus] of stimuli.entries()) {
    lines.push(
      `00017.483 sequencer: m-sequencing-i[${index + 4}]-command[bload dut "${stimulus.path}"]-ack[/parser: m-ready/]`,
      `00017.483 parser: Command "bload dut "${stimulus.path}""`,
      '00017.483 parser: File size is 490, loading...',
      '00017.616 parser: m-bload-done',
      '00017.616 parser: Command "dut infer 1 0"',
      '00017.620 dut: m-warmup-start-0',
      '00017.622 dut: m-warmup-done',
      '00017.623 dut: m-infer-start-1',
      '00017.625 dut: m-lap-us-26189717',
      '00017.808 dut: m-lap-us-26372701',
      '00017.809 dut: m-infer-done',
      `00017.816 dut: m-results-[${stimulus.results}]`,
      '00017.817 dut: m-ready',
    )
  }
  lines.push('00350.105 session: m-session-stop-id[20210609105411]', '00350.105 session: Saved this run to session ID 1')
  return lines.join('\n')
}

export interface ErWindow {
  file: string
  measured: number
  warmups: number
  lapStart: number
  lapEnd: number
}

/** An EnergyRunner performance session: one `infer N W` per window, with its two laps. */
export function erPerformanceLog(model: string, runMode: string, windows: ErWindow[]): string {
  const lines = [
    '00047.379 session: m-session-start-id[20220302103331]',
    `00047.883 parser: m-bm-cfg-name[ulp-mlperf]-key[runMode]-val[${runMode}]`,
    `00047.896 dut: m-model-[${model}]`,
    '00047.902 dut: m-lap-us-80370012',
  ]
  for (const window of windows) {
    lines.push(
      `00047.902 parser: Command "bload dut "/home/u/eembc/runner/benchmarks/ulp-mlperf/datasets/${model}/${window.file}""`,
      `00048.887 parser: Command "dut infer ${window.measured} ${window.warmups}"`,
      `00048.892 dut: m-warmup-start-${window.warmups}`,
      `00048.898 dut: m-infer-start-${window.measured}`,
      `00048.898 dut: m-lap-us-${window.lapStart}`,
      `00061.012 dut: m-lap-us-${window.lapEnd}`,
      '00061.017 dut: m-infer-done',
      '00061.017 dut: m-results-[0.000,1.000]',
    )
  }
  return lines.join('\n')
}

/** A Python-runner accuracy log (CRLF, as written on Windows), one `Loading file … segment k` per window. */
export function pyAccuracyLog(model: string, windows: {file: string; segment?: number; results: string}[]): string {
  const lines = [
    'Logging initialized. Writing output to sessions\\20250726_005325\\log.txt',
    `Device model retrieved: ${model}`,
    'No loop count specified.  Using full set (200 test files)',
  ]
  for (const [index, window] of windows.entries()) {
    lines.push(
      `0726.005327 ulp-mlperf: Loading file ${window.file} segment ${window.segment ?? 0}`,
      '0726.005327 ulp-mlperf: Load complete.',
      'Running inference with 0/1 (warmup/measured) iterations ...',
      'done',
      `0726.005327 ulp-mlperf: Performance results for window ${index + 1}:`,
      '0726.005327 ulp-mlperf:   # Inferences :             1',
      '0726.005327 ulp-mlperf:   Runtime      :      0.166 sec.',
      '0726.005327 ulp-mlperf:   Throughput   :      6.027 inf./sec.',
      `0726.005327 ulp-mlperf:   m-results    : [${window.results}]`,
    )
  }
  lines.push('--------------------', 'Session logged in file sessions\\20250726_005325\\log.txt', '')
  return lines.join('\r\n')
}

/** y_labels.csv rows `file,classes,label`. */
export function labelsCsv(classCount: number, rows: [string, number][]): string {
  return rows.map(([file, label]) => `${file},${classCount},${label}\n`).join('')
}

export interface SwwLogOptions {
  wav?: string
  lengthS?: number
  /** The runner's one-line Python list, verbatim (e.g. `[100, 1200, 4100]`); omitted: no list at all. */
  detections?: string
  /** `Energy data for trial k` blocks, each with this power (mW) and energy (µJ). */
  trials?: {powerMw: string; microjoules: string}[]
  /** The `summarize_sww_result` echo: [duty cycle, period s, throughput]. */
  dutyEcho?: [string, string, string]
}

/** A Python-runner sww01 log.txt as the runner leaves it: the WAV played, the detection list, the echoes. */
export function swwLog(options: SwwLogOptions): string {
  const wav = options.wav ?? 'short_wav_easy10s.wav'
  const length = options.lengthS ?? 10
  const lines = [
    'Logging initialized. Writing output to sessions\\20250814_014307\\log.txt',
    'Device model retrieved: sww01',
    `Playing ${wav} (length = ${length.toFixed(1)}s) at 01:43:12...`,
    '... done',
    'No activation data found.',
  ]
  if (options.detections !== undefined) lines.push(options.detections)
  lines.push('Duty cycle = 0.606, Period = 32.1 ms')
  if (options.trials) {
    lines.push('Power Edition Output')
    for (const [index, trial] of options.trials.entries()) {
      lines.push(`Energy data for trial ${index}`, 'Elapsed time  : 10.002', 'Inferences    : 1',
        `Power         : ${trial.powerMw} mW.`, `Total Energy  : ${trial.microjoules} uJ`,
        `Energy/Inf    : ${trial.microjoules} uJ/inf`)
    }
    lines.push(`Median energy cost is ${options.trials[0].microjoules}0 uJ/inf.`)
  }
  if (options.dutyEcho) {
    lines.push(`== File ${wav} (${length.toFixed(1)} s) ==`, `Average duty cycle: ${options.dutyEcho[0]}`,
      `Average period: ${options.dutyEcho[1]} s`, `Estimated throughput: ${options.dutyEcho[2]} inf./sec.`)
  }
  return lines.join('\n') + '\n'
}

/** Runs `tinydata score` in this process and returns what it printed on stdout and stderr, and what it threw. */
export async function runScore(argv: string[]): Promise<{stdout: string; stderr: string; error: Error | null}> {
  const stdout: string[] = []
  const stderr: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void stdout.push(args.join(' ')))
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk))
    return true
  })
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void stderr.push(args.join(' ')))
  try {
    await Score.run(argv, REPO_ROOT)
    return {stdout: stdout.join('\n'), stderr: stderr.join(''), error: null}
  } catch (error_) {
    return {stdout: stdout.join('\n'), stderr: stderr.join(''), error: error_ as Error}
  } finally {
    log.mockRestore()
    write.mockRestore()
    error.mockRestore()
  }
}
