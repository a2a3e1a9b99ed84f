/**
 * The golden run written as the Python runner's sww log.txt (scoring.md §6): the device lines, the `Playing` line,
 * the detection list as the runner prints it (a Python list of ms timestamps), and the runner's result block for the
 * WAV. There is no duty-cycle line: the host measures no processing pulses.
 */
import {pythonFloat} from '../formats/python-float.js'
import type {TruthWindow} from '../formats/sww-truth.js'
import {detectionStats} from '../scoring/metrics-sww.js'

/** The runner's counts of a run (the scorer's rule, scoring.md §6), with the two lists its result block prints. */
export interface SwwDetectionCounts {
  truePositives: number
  falseNegatives: number
  falsePositives: number
  /** Start (s) of each window nothing detected, as the runner lists them. */
  falseNegativeStarts: number[]
  /** Time (s after the first pulse) of each false positive left after the 1-s debounce. */
  falsePositiveTimes: number[]
}

/** Counts pulse timestamps (ms, the first the t = 0 marker) against the truth windows exactly as `score` does. */
export function runnerCounts(timestampsMs: readonly number[], windows: readonly TruthWindow[]): SwwDetectionCounts {
  const stats = detectionStats(timestampsMs, windows)
  return {
    truePositives: stats.truePositives,
    falseNegatives: stats.falseNegatives,
    falsePositives: stats.falsePositives,
    falseNegativeStarts: windows.filter((_, index) => stats.matches[index]!.length === 0).map(([start]) => start),
    falsePositiveTimes: stats.falsePositiveIndices.map((index) => stats.detectionsS[index]!),
  }
}

export interface SwwLogContent {
  wavFile: string
  lengthSeconds: number
  /** Pulse timestamps (ms), the first one the t = 0 marker. */
  timestampsMs: readonly number[]
  counts: SwwDetectionCounts
  model: string
  tinydataVersion: string
  /** When the run started (the runner prints the wall-clock time it starts playing). */
  started: Date
}

/** Python's str of a list of numbers. */
function pythonList(values: readonly number[], format: (value: number) => string): string {
  return `[${values.map(format).join(', ')}]`
}

/**
 * numpy's str of a 1-D float64 array (floatmode 'maxprec'): shortest round-trip digits, in fixed notation padded with
 * spaces to one width, or in scientific notation padded with zeros when the non-zero magnitudes span more than 1000×
 * or go below 1e-4; wrapped at 75 characters.
 */
export function numpyFloatArray(values: readonly number[]): string {
  const magnitudes = values.map(Math.abs).filter((value) => value > 0)
  const scientific = magnitudes.length > 0
    && (Math.max(...magnitudes) >= 1e8 || Math.min(...magnitudes) < 1e-4 || Math.max(...magnitudes) / Math.min(...magnitudes) > 1e3)
  return wrapNumpyWords(scientific ? scientificWords(values) : fixedWords(values))
}

function fixedWords(values: readonly number[]): string[] {
  const parts = values.map((value) => {
    const [whole, fraction = ''] = String(value).split('.')
    return {whole: whole!, fraction}
  })
  const wholeWidth = Math.max(0, ...parts.map(({whole}) => whole.length))
  const fractionWidth = Math.max(0, ...parts.map(({fraction}) => fraction.length))
  return parts.map(({whole, fraction}) => `${whole.padStart(wholeWidth)}.${fraction.padEnd(fractionWidth)}`)
}

function scientificWords(values: readonly number[]): string[] {
  const digits = Math.max(...values.map((value) => value.toExponential().split('e')[0]!.split('.')[1]?.length ?? 0))
  const parts = values.map((value) => {
    const [mantissa, exponent] = value.toExponential(digits).split('e')
    const sign = exponent!.startsWith('-') ? '-' : '+'
    return {mantissa: mantissa!, exponent: `e${sign}${exponent!.replace(/^[+-]/, '').padStart(2, '0')}`}
  })
  const mantissaWidth = Math.max(...parts.map(({mantissa}) => mantissa.length))
  const exponentWidth = Math.max(...parts.map(({exponent}) => exponent.length))
  return parts.map(({mantissa, exponent}) => `${mantissa.padStart(mantissaWidth)}${exponent.padEnd(exponentWidth)}`)
}

/** numpy wraps at 75 characters, continuation lines indented by one space; the last word leaves room for `]`. */
function wrapNumpyWords(words: readonly string[]): string {
  const LINE_WIDTH = 75
  let text = ''
  let line = '['
  words.forEach((word, index) => {
    const last = index === words.length - 1
    if (line.length + word.length > (last ? LINE_WIDTH - 1 : LINE_WIDTH) && line.length > 1) {
      text += `${line.trimEnd()}\n`
      line = ' '
    }
    line += last ? word : `${word} `
  })
  return `${text}${line}]`
}

export function swwLogText(content: SwwLogContent): string {
  const {counts} = content
  const time = content.started.toISOString().slice(11, 19)
  const length = pythonFloat(content.lengthSeconds)
  return [
    `Golden run: tinydata ${content.tinydataVersion}, reference model ${content.model} on the host`,
    'Device name retrieved: tinydata',
    'Device profile retrieved: golden run',
    'Device model retrieved: sww01',
    `Playing ${content.wavFile} (length = ${length}s) at ${time}...`,
    '... done',
    'No activation data found.',
    pythonList(content.timestampsMs, String),
    `== File ${content.wavFile} (${length} s) ==`,
    `Accuracy: ${counts.truePositives} True positives, ${counts.falseNegatives} False negatives, ${counts.falsePositives} False positives`,
    `False negatives: ${pythonList(counts.falseNegativeStarts, pythonFloat)}`,
    `False positives: ${numpyFloatArray(counts.falsePositiveTimes)}`,
    '',
  ].join('\n')
}
