/**
 * The Python runner's sww01 truth JSON (stimuli.md §0.3; the runner's README and datasets.py): a list with one entry per
 * WAV, `{"wav_file", "length_sec", "detection_windows": [[t_start, t_stop], …], "sample_rate"?}`. One reader for
 * verify (which reports every problem), score and the golden run (which need one WAV's windows).
 */
import {basename} from 'node:path'

import {fileError} from '../errors.js'

/** A truth window `[start, stop]` in seconds from the start of the WAV. */
export type TruthWindow = readonly [number, number]

export const SWW_TRUTH_FORMAT = {
  wavFileKey: 'wav_file', windowsKey: 'detection_windows', lengthKey: 'length_sec', sampleRateKey: 'sample_rate', sampleRate: 16_000,
} as const

export interface SwwTruthEntry {
  wavFile: string
  lengthS: number
  /** The windows in the runner's form (sorted, apart, inside the WAV); the others are reported as problems. */
  windows: TruthWindow[]
}

/** The entries the runner can use, and what breaks its form, each problem naming its entry. */
export function parseSwwTruth(text: string): {entries: SwwTruthEntry[]; problems: string[]} {
  const {wavFileKey, windowsKey, lengthKey, sampleRateKey, sampleRate} = SWW_TRUTH_FORMAT
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    // V8 quotes the text around the fault, line feeds included: a problem is one line
    return {entries: [], problems: [`is not JSON (${(error as Error).message.replaceAll(/\s+/g, ' ')})`]}
  }
  if (!Array.isArray(document) || document.length === 0) return {entries: [], problems: ['is not a non-empty JSON list of entries (one per WAV)']}
  const entries: SwwTruthEntry[] = []
  const problems: string[] = []
  document.forEach((entry: unknown, index) => {
    const where = `entry ${index + 1}`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where}: is not an object`)
      return
    }
    const fields = entry as Record<string, unknown>
    const wavFile = fields[wavFileKey]
    if (typeof wavFile !== 'string' || wavFile === '') return void problems.push(`${where}: no "${wavFileKey}"`)
    const at = `${where} (${wavFile})`
    if (wavFile !== basename(wavFile) || wavFile.includes('\\') || wavFile === '.' || wavFile === '..') return void problems.push(`${at}: "${wavFileKey}" is not a plain file name`)
    const length = fields[lengthKey]
    if (typeof length !== 'number' || !(length > 0)) return void problems.push(`${at}: "${lengthKey}" is not a positive number of seconds`)
    if (sampleRateKey in fields && fields[sampleRateKey] !== sampleRate) problems.push(`${at}: "${sampleRateKey}" is ${JSON.stringify(fields[sampleRateKey])}, not ${sampleRate}`)
    const listed = fields[windowsKey]
    if (!Array.isArray(listed)) return void problems.push(`${at}: no "${windowsKey}" list`)
    const windows: TruthWindow[] = []
    let previousEnd = 0
    for (const [i, window] of listed.entries()) {
      const which = `${at}: window ${i + 1}`
      if (!Array.isArray(window) || window.length !== 2 || !window.every((t) => typeof t === 'number' && Number.isFinite(t))) {
        problems.push(`${which} is not a [t_start, t_stop] pair of seconds`)
        continue
      }
      const [start, stop] = window as [number, number]
      if (!(start < stop)) problems.push(`${which} [${start}, ${stop}] does not end after it starts`)
      else if (start < previousEnd) problems.push(`${which} starts at ${start} s, before the previous window ends (${previousEnd} s): windows must be sorted and apart`)
      else if (start < 0 || stop > length) problems.push(`${which} [${start}, ${stop}] is not inside the WAV's ${length} s (${lengthKey})`)
      else windows.push([start, stop])
      previousEnd = Math.max(previousEnd, stop)
    }
    entries.push({wavFile, lengthS: length, windows})
  })
  return {entries, problems}
}

/** The entry of one WAV in a truth file (null where none names it); a file not in the runner's form is an error. */
export function swwTruthEntry(text: string, file: string, wavFile: string): SwwTruthEntry | null {
  const {entries, problems} = parseSwwTruth(text)
  if (problems.length > 0) throw fileError(file, problems[0]!)
  return entries.find((entry) => entry.wavFile === wavFile) ?? null
}
