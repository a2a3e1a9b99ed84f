/**
 * The build spec of an sww01 WAV (mlcommons/tiny training/streaming_wakeword/*_spec.json): backgrounds
 * `[path, start_s, stop_s, rms]` and wakewords `[path, insertion_s, amplitude]`, paths under `{musan_path}` or
 * `{speech_commands_path}`. What the spec alone can show wrong is refused here, naming the entry.
 */
import type {SwwBuildDefinition} from '../../datasets/types.js'
import {fileError} from '../errors.js'

export type SwwSourceName = keyof SwwBuildDefinition['sources']

/** A clip a spec entry reads: its source and its path there (what follows the placeholder). */
export interface SwwClipRef {
  source: SwwSourceName
  member: string
  /** `configs_wakeword[2] ({speech_commands_path}/marvin/x.wav)`: how errors name the entry. */
  entry: string
}

export interface SwwBackground extends SwwClipRef {
  startSec: number
  stopSec: number
  rms: number
}

export interface SwwWakeword extends SwwClipRef {
  insertSec: number
  amplitude: number
}

export interface SwwSpec {
  file: string
  lengthSec: number
  sampleRate: number
  backgrounds: SwwBackground[]
  wakewords: SwwWakeword[]
}

/** Python's `int(seconds * rate)`: the sample index build_long_wav.py computes. */
export function sampleIndex(seconds: number, sampleRate: number): number {
  return Math.trunc(seconds * sampleRate)
}

export function parseSwwSpec(text: string, file: string, definition: SwwBuildDefinition): SwwSpec {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw fileError(file, `not a JSON spec (${(error as Error).message})`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw fileError(file, 'not an sww build spec (an object with configs_background, configs_wakeword, length_sec, sample_rate)')
  }
  const spec = json as Record<string, unknown>
  const sampleRate = spec.sample_rate
  if (sampleRate !== definition.recipe.sampleRate) {
    throw fileError(file, `sample_rate is ${JSON.stringify(sampleRate)}, not ${definition.recipe.sampleRate} (the only rate the sww01 build takes)`)
  }
  const lengthSec = spec.length_sec
  if (typeof lengthSec !== 'number' || !(lengthSec > 0) || !Number.isFinite(lengthSec)) {
    throw fileError(file, `length_sec is ${JSON.stringify(lengthSec)}, not a positive number of seconds`)
  }
  const entries = (key: string, fields: number): unknown[][] => {
    const list = spec[key]
    if (!Array.isArray(list)) throw fileError(file, `${key} is missing or not a list`)
    list.forEach((entry, index) => {
      const valid = Array.isArray(entry) && entry.length === fields && typeof entry[0] === 'string' &&
        entry.slice(1).every((value) => typeof value === 'number' && Number.isFinite(value))
      if (!valid) throw fileError(file, `${key}[${index}] is not [path${fields === 4 ? ', start_s, stop_s, rms' : ', insertion_s, amplitude'}]`)
    })
    return list as unknown[][]
  }
  const clip = (key: string, index: number, path: string): SwwClipRef => {
    const entry = `${key}[${index}] (${path})`
    for (const source of Object.keys(definition.placeholders) as SwwSourceName[]) {
      const prefix = `${definition.placeholders[source]}/`
      if (path.startsWith(prefix) && path.length > prefix.length) return {source, member: path.slice(prefix.length), entry}
    }
    const allowed = Object.values(definition.placeholders).join(' or ')
    throw fileError(file, `${entry}: the path must start with ${allowed} followed by /`)
  }
  const lengthSamples = sampleIndex(lengthSec, sampleRate)

  const backgrounds = entries('configs_background', 4).map(([path, startSec, stopSec, rms], index): SwwBackground => {
    const background = {...clip('configs_background', index, path as string), startSec: startSec as number, stopSec: stopSec as number, rms: rms as number}
    const start = sampleIndex(background.startSec, sampleRate)
    const stop = sampleIndex(background.stopSec, sampleRate)
    if (!(background.startSec >= 0 && background.startSec < background.stopSec)) {
      throw fileError(file, `${background.entry}: the segment [${background.startSec}, ${background.stopSec}] s is empty or starts before 0`)
    }
    if (stop > lengthSamples) {
      throw fileError(file, `${background.entry}: the segment [${background.startSec}, ${background.stopSec}] s ends past the end (length_sec ${lengthSec})`)
    }
    // build_long_wav.py cuts int((t1 − t0)·rate) samples into a slice of int(t1·rate) − int(t0·rate): numpy refuses a mismatch.
    if (stop - start !== sampleIndex(background.stopSec - background.startSec, sampleRate)) {
      throw fileError(file, `${background.entry}: the segment [${background.startSec}, ${background.stopSec}] s is not a whole number of samples long`)
    }
    return background
  })
  const wakewords = entries('configs_wakeword', 3).map(([path, insertSec, amplitude], index): SwwWakeword => {
    const wakeword = {...clip('configs_wakeword', index, path as string), insertSec: insertSec as number, amplitude: amplitude as number}
    if (!(wakeword.insertSec >= 0 && sampleIndex(wakeword.insertSec, sampleRate) < lengthSamples)) {
      throw fileError(file, `${wakeword.entry}: insertion at ${wakeword.insertSec} s is outside [0, ${lengthSec}) s`)
    }
    return wakeword
  })
  return {file, lengthSec, sampleRate, backgrounds, wakewords}
}
