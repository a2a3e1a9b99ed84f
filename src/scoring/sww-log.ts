/**
 * The sww01 grammar of the Python runner's log.txt and results.txt (spec/scoring.md §6): the WAV played, the detection
 * list as the runner prints it (a Python list on one line), and the figures it echoes (`summarize_sww_result`, the
 * energy block).
 */

/** The figures as the runner prints them; null where the text has none. */
export interface SwwFigures {
  /** `44 True positives, 6 False negatives, 4 False positives` */
  accuracy: string | null
  dutyCycle: string | null
  periodS: string | null
  throughputIps: string | null
  powerMw: string | null
}

export interface SwwLog {
  wavFile: string | null
  lengthS: number | null
  /** The last detection list (ms); null when there is none. */
  detectionsMs: number[] | null
  /** What is wrong with the last list-like line, when it is not a whole list of integers. */
  unreadableList: string | null
  echoed: SwwFigures
  /** `Energy data for trial k` blocks. */
  energyTrials: number
}

const PLAYING = /^Playing (.+?) \(length = ([\d.]+)s\)/
const FILE_HEADER = /^== File (.+?) \(([\d.]+) s\) ==/
const LIST_LINE = /^\[/
const WHOLE_LIST = /^\[([^\]]*)\]\s*$/
const INTEGER = /^\d+$/
const TRIAL_START = /^\s*Energy data for trial \d+/
const FIGURES: Record<keyof SwwFigures, RegExp> = {
  accuracy: /^Accuracy: (\d+ True positives, \d+ False negatives, \d+ False positives)/,
  dutyCycle: /^Average duty cycle: (\S+)/,
  periodS: /^Average period: (\S+) s/,
  throughputIps: /^Estimated throughput: (\S+) inf\.\/sec\./,
  // what the submission checker reads (`Power\s+: ([\d.]+) mW`)
  powerMw: /^\s*Power\s+: ([\d.]+) mW/,
}

/** Whether a line of a Python-runner log says it is a sww01 stream run (the WAV it played). */
export function isSwwLine(line: string): boolean {
  return PLAYING.test(line) || FILE_HEADER.test(line)
}

/** Reads a sww01 log line by line. */
export class SwwLogReader {
  readonly log: SwwLog = {
    wavFile: null, lengthS: null, detectionsMs: null, unreadableList: null, echoed: noSwwFigures(), energyTrials: 0,
  }

  line(line: string): void {
    const {log} = this
    readSwwFigures(log.echoed, line)
    const played = PLAYING.exec(line) ?? FILE_HEADER.exec(line)
    if (played) {
      log.wavFile ??= played[1]
      log.lengthS ??= Number(played[2])
    } else if (TRIAL_START.test(line)) {
      log.energyTrials++
    } else if (LIST_LINE.test(line)) {
      const whole = WHOLE_LIST.exec(line.trimEnd())
      if (!whole) {
        log.unreadableList = 'the detection list is cut off (no closing "]"): the log is truncated'
        return
      }
      const tokens = whole[1].split(',').map((token) => token.trim()).filter((token) => token !== '')
      const bad = tokens.find((token) => !INTEGER.test(token))
      if (bad === undefined) {
        log.detectionsMs = tokens.map(Number)
        log.unreadableList = null
      } else {
        log.unreadableList = `the detection list holds "${bad.slice(0, 20)}", not a millisecond timestamp`
      }
    }
  }
}

export function noSwwFigures(): SwwFigures {
  return {accuracy: null, dutyCycle: null, periodS: null, throughputIps: null, powerMw: null}
}

/** The figures of `summarize_sww_result` and the energy block, in a log's echo or in results.txt; the last wins. */
export function readSwwFigures(figures: SwwFigures, line: string): void {
  for (const key of Object.keys(FIGURES) as (keyof SwwFigures)[]) {
    const match = FIGURES[key].exec(line)
    if (match) figures[key] = match[1]
  }
}
