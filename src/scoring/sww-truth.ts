/** The runner's sww01 truth files, bundled under `manifests/sww01/truth/` (see its README). */

import {readFile, readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {swwTruthEntry, type TruthWindow} from '../formats/sww-truth.js'

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
    const source = `manifests/sww01/truth/${name}`
    const entry = swwTruthEntry(await readFile(join(folder, name), 'utf8'), source, wavFile)
    if (entry) return {source, wavFile, lengthS: entry.lengthS, windows: entry.windows}
  }
  return null
}
