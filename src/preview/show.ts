/** `tinydata show`: a PNG of one stimulus file, or a contact sheet of the first stimuli of a runner folder. */

import {readFile, stat} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {fileError, UserError} from '../errors.js'
import {writeFileAtomically} from '../io/atomic-write.js'
import {readManifestMeta} from '../manifest/reader.js'
import {Y_LABELS_FILE} from '../output/runner-folder.js'
import {isKwsLfbe} from '../verify/official-sets.js'
import {KWS_VARIANT_BYTES, type KwsVariant} from '../stimulus-sizes.js'
import {readRunnerFolder} from '../verify/runner-folder.js'
import {type BenchmarkId} from '../benchmark-ids.js'
import {renderContactSheet} from './contact-sheet.js'
import {renderStimulusPreview} from './preview.js'
import {benchmarkOfStimulusSize, type KwsFeatures, kwsVariantOf, labelText, STIMULUS_SIZES_TEXT} from './stimulus.js'

export const DEFAULT_SHOW_COUNT = 16

export interface ShowOptions {
  /** The PNG to write; default `<input name without .bin>.png` in the current folder (refused if that holds y_labels.csv). */
  out?: string
  /** A folder: how many of the stimuli listed in y_labels.csv, from the first (default 16). */
  count?: number
  /** Magnification (PreviewOptions.scale); the default depends on the benchmark. */
  scale?: number
  /** Read 490-byte kws01 stimuli as uint8 LFBE. Without it they are int8 MFCC unless manifest.arrow or the official hashes say LFBE. */
  lfbe?: boolean
}

export interface ShownStimulus {
  file: string
  /** The class in y_labels.csv; null for a single file. */
  label: number | null
  /** "Stop (7)"; null for a single file. */
  labelText: string | null
}

export interface ShowResult {
  out: string
  width: number
  height: number
  benchmark: BenchmarkId
  /** kws01 only: how the stimuli were read. */
  variant?: KwsVariant
  /** A folder: how many stimuli y_labels.csv lists (of which `stimuli` are the first). */
  listed?: number
  stimuli: ShownStimulus[]
}

/** Draws a stimulus file or a runner folder (see ShowOptions) and writes the PNG atomically. */
export async function showStimuli(input: string, options: ShowOptions = {}): Promise<ShowResult> {
  const isFolder = await stat(input).then((info) => info.isDirectory(), () => null)
  if (isFolder === null) throw fileError(input, 'no such file or folder')
  return isFolder ? showFolder(input, options) : showFile(input, options)
}

async function showFile(file: string, options: ShowOptions): Promise<ShowResult> {
  const bytes = await readInput(file)
  const benchmark = benchmarkOf(file, bytes)
  const kwsFeatures = kwsFeaturesOf(options, [bytes], undefined)
  const name = basename(file)
  const preview = await renderStimulusPreview(benchmark, bytes, {scale: options.scale, title: name, kwsFeatures})
  const out = options.out ?? await defaultOut(`${name.replace(/\.bin$/i, '')}.png`)
  await writeFileAtomically(out, preview.png)
  return {
    out, width: preview.width, height: preview.height, benchmark, ...variantOf(benchmark, bytes, kwsFeatures),
    stimuli: [{file: name, label: null, labelText: null}],
  }
}

async function showFolder(dir: string, options: ShowOptions): Promise<ShowResult> {
  const count = options.count ?? DEFAULT_SHOW_COUNT
  if (!Number.isInteger(count) || count < 1) throw new UserError(`count ${count}: expected a whole number of at least 1`)
  const folder = await readRunnerFolder(dir, {hashes: false})
  const manifestMeta = folder.manifestFile ? await readManifestMeta(folder.manifestFile) : null
  if (manifestMeta?.recipe.format === 'model') {
    throw fileError(dir, 'holds model-input tensors (prepare --format model); show draws runner-format stimuli')
  }
  const {labels} = folder
  const shown = folder.files.slice(0, count)
  const contents: Uint8Array[] = []
  for (const file of shown) {
    const path = join(dir, file.name)
    if (file.bytes === null) throw fileError(path, `listed in ${Y_LABELS_FILE} but missing`)
    contents.push(await readInput(path))
  }
  const benchmark = benchmarkOf(join(dir, shown[0]!.name), contents[0]!)
  for (const [index, bytes] of contents.entries()) {
    if (bytes.byteLength !== contents[0]!.byteLength) {
      throw fileError(join(dir, shown[index]!.name), `${bytes.byteLength} bytes, but ${shown[0]!.name} has ${contents[0]!.byteLength}: a runner folder holds one kind of stimulus`)
    }
  }
  const kwsFeatures = kwsFeaturesOf(options, contents, manifestMeta?.recipe.variant)
  const stimuli = shown.map((file): ShownStimulus => {
    const label = labels.classes.get(file.name)!
    return {file: file.name, label, labelText: labelText(benchmark, label, labels.classCount)}
  })
  const entries = stimuli.map((stimulus, index) => ({name: stimulus.file, label: stimulus.labelText!, bytes: contents[index]!}))
  const sheet = await renderContactSheet(entries, benchmark, {scale: options.scale, kwsFeatures})
  const out = options.out ?? await defaultOut(`${basename(folder.dir)}.png`)
  await writeFileAtomically(out, sheet.png)
  return {
    out, width: sheet.width, height: sheet.height, benchmark, ...variantOf(benchmark, contents[0]!, kwsFeatures),
    listed: folder.files.length, stimuli,
  }
}

async function readInput(path: string): Promise<Uint8Array> {
  return readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw fileError(path, `cannot read it (${error.code ?? error.message})`)
  })
}

function benchmarkOf(path: string, bytes: Uint8Array): BenchmarkId {
  const benchmark = benchmarkOfStimulusSize(bytes.byteLength)
  if (benchmark === null) throw fileError(path, `${bytes.byteLength} bytes matches no benchmark stimulus (${STIMULUS_SIZES_TEXT})`)
  return benchmark
}

function variantOf(benchmark: BenchmarkId, bytes: Uint8Array, kwsFeatures: KwsFeatures | undefined): {variant?: KwsVariant} {
  return benchmark === 'kws01' ? {variant: kwsVariantOf(bytes.byteLength, kwsFeatures)} : {}
}

/** 490-byte kws01 stimuli are MFCC or LFBE: --lfbe, else the manifest's variant or the official LFBE hashes (isKwsLfbe). */
function kwsFeaturesOf(options: ShowOptions, contents: readonly Uint8Array[], recordedVariant: unknown): KwsFeatures | undefined {
  if (contents[0]!.byteLength !== KWS_VARIANT_BYTES.mfcc) return undefined
  return options.lfbe || isKwsLfbe(contents, recordedVariant) ? 'lfbe' : 'mfcc'
}

/** `name` in the current folder, unless that is a runner folder, which must hold only what y_labels.csv lists. */
async function defaultOut(name: string): Promise<string> {
  const inRunnerFolder = await stat(Y_LABELS_FILE).then(() => true, () => false)
  if (inRunnerFolder) {
    throw fileError(name, `not written into the current folder: it holds ${Y_LABELS_FILE}, so it is a runner folder (give --out)`)
  }
  return name
}

