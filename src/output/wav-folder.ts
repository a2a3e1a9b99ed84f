/**
 * The sww01 runner folder (`<datasets>/sww01/`): test WAVs and the truth JSON naming them (stimuli.md §0.3). Unlike the
 * `.bin` folders it is not replaced as a unit, since one folder holds several builds; each file is replaced whole.
 */
import {open} from 'node:fs/promises'
import {join} from 'node:path'

import {fileError} from '../errors.js'
import {fsFailure} from '../io/fs-error.js'
import {removeStaleTemporaries, replaceAtomically, writeFileAtomically} from '../io/atomic-write.js'
import {makeFolder} from '../io/make-folder.js'

/** One entry of the runner's truth JSON (runner/datasets.py), before it is written. */
export interface SwwTruth {
  wavFile: string
  detectionWindows: ReadonlyArray<readonly [number, number]>
  lengthSec: number
  sampleRate: number
}

/** Python's repr of a float, as json.dump writes it: a whole number keeps its `.0`. */
function pythonFloat(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? value.toFixed(1) : String(value)
}

/** The truth JSON in the runner's form: a list of one dict, keys in the order of the official files. */
export function formatSwwTruth(truth: SwwTruth): string {
  const windows = truth.detectionWindows.map(([start, stop]) => `[${pythonFloat(start)}, ${pythonFloat(stop)}]`)
  return [
    '[',
    '  {',
    `    "wav_file": ${JSON.stringify(truth.wavFile)},`,
    `    "detection_windows": [${windows.join(',\n                          ')}],`,
    `    "length_sec": ${pythonFloat(truth.lengthSec)},`,
    `    "sample_rate": ${truth.sampleRate}`,
    '  }',
    ']',
    '',
  ].join('\n')
}

export interface WrittenWavWithTruth {
  outputDir: string
  wavFile: string
  truthFile: string
}

/**
 * Writes the WAV (given in pieces, written as they come), then its truth JSON, into `dir` (made if missing), each
 * replaced whole: a truth file never names a WAV that is not fully written, and a failed run leaves the previous files
 * as they were.
 */
export async function writeWavWithTruth(dir: string, wav: Iterable<Uint8Array>, truthFile: string, truth: SwwTruth): Promise<WrittenWavWithTruth> {
  await makeFolder(dir).catch((error: NodeJS.ErrnoException) => {
    throw fileError(dir, `cannot create the output folder (${fsFailure(error)})`)
  })
  const wavPath = join(dir, truth.wavFile)
  const truthPath = join(dir, truthFile)
  await removeStaleTemporaries(dir, truth.wavFile)
  await replaceAtomically(wavPath, async (temporary) => {
    const handle = await open(temporary, 'wx')
    try {
      for (const chunk of wav) await handle.write(chunk)
    } finally {
      await handle.close()
    }
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code ? fileError(wavPath, `cannot write it (${error.code})`) : error
  })
  await writeFileAtomically(truthPath, formatSwwTruth(truth))
  return {outputDir: dir, wavFile: wavPath, truthFile: truthPath}
}
