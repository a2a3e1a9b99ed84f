/** Previews of the misclassified stimuli, as data: URIs, from the stimulus files a run was scored with. */

import {readFile, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {fileError} from '../errors.js'
import {readManifestMeta} from '../manifest/reader.js'
import {MANIFEST_FILE} from '../output/runner-folder.js'
import {stimulusPreviewPng} from '../preview/index.js'
import {isKwsLfbe} from '../verify/official-sets.js'
import {type BenchmarkId, stimulusBenchmarkOf} from '../benchmark-ids.js'

/** Thumbnails, since up to 100 go into one page: ic01 64 px, vww01 96 px, spectrograms 1–2 px a cell. */
const THUMBNAIL_SCALE: Record<BenchmarkId, number> = {ic01: 2, vww01: 1, kws01: 2, ad01: 1}

export interface StimulusPreviews {
  /** One line saying why some or all of the listed stimuli have no preview; null when all have one. */
  note: string | null
  /** File name → `data:image/png;base64,…`, for the stimuli that have a preview. */
  uris: Map<string, string>
}

/**
 * Where the stimulus files are: `stimuli` (which must be a folder), else the folder of `labels` (a prepared folder,
 * or the one holding the given y_labels.csv); null when scored against an official list, which has no files.
 */
export async function stimuliFolder(options: {stimuli?: string; labels?: string}): Promise<string | null> {
  if (options.stimuli !== undefined) {
    const isFolder = await stat(options.stimuli).then((stats) => stats.isDirectory(), () => null)
    if (isFolder === null) throw fileError(options.stimuli, 'no such folder (--stimuli: the folder holding the .bin stimuli)')
    if (!isFolder) throw fileError(options.stimuli, 'not a folder (--stimuli: the folder holding the .bin stimuli)')
    return options.stimuli
  }
  if (options.labels === undefined) return null
  const isFolder = await stat(options.labels).then((stats) => stats.isDirectory(), () => false)
  return isFolder ? options.labels : dirname(options.labels)
}

/** A file missing from the folder, or one the previewer rejects, has no preview; the note counts them. */
export async function loadPreviews(benchmark: string | null, files: readonly string[], folder: string | null):
Promise<StimulusPreviews> {
  const uris = new Map<string, string>()
  if (files.length === 0) return {note: null, uris}
  if (folder === null) {
    return {note: 'No previews: no folder of stimuli was given (pass --stimuli DIR, the folder holding the .bin files;'
      + ' an official label list comes without them).', uris}
  }
  const stimuli = stimulusBenchmarkOf(benchmark)
  if (stimuli === null) {
    return {note: `No previews: tinydata draws no preview of ${benchmark ?? 'an unknown benchmark'}.`, uris}
  }
  // In list order, so that the note's example failure is the first listed one.
  const contents = await Promise.all(files.map(async (file) =>
    // File names come from the log: one with a path in it must not reach outside the folder.
    basename(file) === file ? readFile(join(folder, file)).catch(() => null) : null))
  const read = contents.filter((bytes): bytes is Buffer => bytes !== null)
  // 490 bytes are MFCC or LFBE: the folder's manifest or the official LFBE hashes say which, as in show.
  const kwsFeatures = stimuli === 'kws01' && isKwsLfbe(read, await folderVariant(folder)) ? 'lfbe' as const : undefined
  const outcomes = await Promise.all(contents.map(async (bytes, index): Promise<string | Error | null> => {
    if (bytes === null) return null
    try {
      const png = await stimulusPreviewPng(stimuli, bytes, {scale: THUMBNAIL_SCALE[stimuli], axes: false, kwsFeatures})
      return `data:image/png;base64,${png.toString('base64')}`
    } catch (error) {
      return new Error(`${files[index]}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }))
  let missing = 0
  const failures: string[] = []
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome === null) missing++
    else if (outcome instanceof Error) failures.push(outcome.message)
    else uris.set(files[index], outcome)
  }
  return {note: previewNote(files.length, missing, failures, folder), uris}
}

function previewNote(listed: number, missing: number, failures: readonly string[], folder: string): string | null {
  if (missing === listed) return `No previews: none of the ${listed} listed stimuli is in ${folder}.`
  const notes: string[] = []
  if (missing > 0) notes.push(`${missing} of the ${listed} listed stimuli are not in ${folder}.`)
  if (failures.length > 0) notes.push(`${failures.length} preview(s) failed, e.g. ${failures[0]}`)
  return notes.length === 0 ? null : notes.join(' ')
}

/** The kws01 variant a tinydata manifest in `folder` records, if there is one that can be read. */
async function folderVariant(folder: string): Promise<unknown> {
  const meta = await readManifestMeta(join(folder, MANIFEST_FILE)).catch(() => null)
  return meta?.recipe.variant
}
