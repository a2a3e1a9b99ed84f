/** The runner's sww01 truth files, bundled under `manifests/sww01/truth/` (see its README). */

import {readFile, readdir} from 'node:fs/promises'
import {join} from 'node:path'

import type {TruthWindow} from './metrics-sww.js'

import {packageFile} from '../package-files.js'

export interface SwwTruth {
  /** The truth file's name, for the report. */
  source: string
  wavFile: string
  lengthS: number
  windows: TruthWindow[]
}

/** The bundled truth of the WAV a log names (`long_wav.wav` → sww_long_test.json); null for a WAV not bundled. */
export async function bundledTruth(wavFile: string): Promise<SwwTruth | null> {
  const folder = packageFile('manifests', 'sww01', 'truth')
  for (const name of (await readdir(folder)).filter((entry) => entry.endsWith('.json')).sort()) {
    const records = JSON.parse(await readFile(join(folder, name), 'utf8')) as {
      wav_file: string; length_sec: number; detection_windows: [number, number][]
    }[]
    const record = records.find((entry) => entry.wav_file === wavFile)
    if (record) {
      return {source: `manifests/sww01/truth/${name}`, wavFile, lengthS: record.length_sec, windows: record.detection_windows}
    }
  }
  return null
}
