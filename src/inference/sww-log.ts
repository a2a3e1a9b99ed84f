/**
 * The golden run written as the Python runner's sww log.txt (scoring.md §6): the device lines, the `Playing` line,
 * the detection list as the runner prints it (a Python list of ms timestamps), and the runner's result block for the
 * WAV. There is no duty-cycle line: the host measures no processing pulses.
 */
import type {SwwDetectionCounts} from './sww-detections.js'

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

/** Python's repr of a float: shortest round trip, with `.0` on whole numbers (values here are far from 1e16). */
export function pythonFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value)
}

/** Python's str of a list of numbers. */
function pythonList(values: readonly number[], format: (value: number) => string): string {
  return `[${values.map(format).join(', ')}]`
}

/** numpy's str of a 1-D float64 array in fixed notation (floatmode 'maxprec'): shortest digits, padded to one width. */
export function numpyFloatArray(values: readonly number[]): string {
  const LINE_WIDTH = 75
  const parts = values.map((value) => {
    const [whole, fraction = ''] = String(value).split('.')
    return {whole: whole!, fraction}
  })
  const wholeWidth = Math.max(0, ...parts.map(({whole}) => whole.length))
  const fractionWidth = Math.max(0, ...parts.map(({fraction}) => fraction.length))
  const words = parts.map(({whole, fraction}) => `${whole.padStart(wholeWidth)}.${fraction.padEnd(fractionWidth)}`)
  // numpy wraps at 75 characters, continuation lines indented by one space; the last word leaves room for `]`.
  let text = ''
  let line = '['
  words.forEach((word, index) => {
    const width = index === words.length - 1 ? LINE_WIDTH - 1 : LINE_WIDTH
    if (line.length + word.length > width && line.length > 1) {
      text += `${line.trimEnd()}\n`
      line = ' '
    }
    line += index === words.length - 1 ? word : `${word} `
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
