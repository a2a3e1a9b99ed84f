/**
 * `tinydata export`: puts a prepared folder where a runner reads it (stimuli.md §0.1): the EEMBC EnergyRunner reads
 * `<root>/eembc/runner/benchmarks/ulp-mlperf/datasets/<model>/` (root from ~/.eembc.ini, the home folder by default;
 * the model is what the device reports), the MLCommons runner `<--dataset_path>/<model>/`, where tests_*.yaml gives
 * the model (ic02's is ic01). An sww01 folder goes to the MLCommons runner (its truth JSONs and WAVs) or to the SD card
 * of the interface board, which plays the WAVs (stimuli.md §0.3).
 */

import {constants} from 'node:fs'
import {copyFile, link, stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {type BenchmarkId, RUNNER_BENCHMARK_IDS, RUNNER_BENCHMARKS, type RunnerBenchmarkId} from '../benchmark-ids.js'
import {fileError, UserError} from '../errors.js'
import {fsFailure} from '../io/fs-error.js'
import {refusedWriteCode, removeStaleTemporaries, replaceAtomically} from '../io/atomic-write.js'
import {sha256File} from '../io/hash.js'
import {makeFolder} from '../io/make-folder.js'
import {Y_LABELS_FILE} from '../output/runner-folder.js'
import type {KwsVariant} from '../stimulus-sizes.js'
import {type OfficialBytes, officialBytes} from '../verify/official-bytes.js'
import {readRunnerFolder} from '../verify/runner-folder.js'
import {isSwwBroken, verifySwwFolder} from '../verify/sww-folder.js'
import {checkSwwRequested, isBroken, isSwwFolder, verifyFailureSummary, verifyRunnerFolder} from '../verify/verify.js'
import {EEMBC_DATASETS, EEMBC_INI, type EembcDatasets, eembcDatasets} from './eembc-ini.js'

/** `sd-card`: the root of the interface board's SD card, which plays sww01's WAVs. */
export const RUNNERS = ['eembc', 'mlcommons', 'sd-card'] as const
export type Runner = (typeof RUNNERS)[number]

export interface ExportOptions {
  /** The prepared folder: y_labels.csv and the files it lists, or sww01's truth JSON(s) and the WAVs they name. */
  source: string
  runner: Runner
  /**
   * The datasets root (files go to `<to>/<id>/`); required for mlcommons; for eembc `<root>/eembc/…/datasets`, root
   * from ~/.eembc.ini. For sd-card the card's root, where the WAVs go.
   */
  to?: string
  /** The benchmark the folder is for where its name does not say it: ic02 (v1.4) runs ic01's stimuli. */
  benchmark?: RunnerBenchmarkId
  /** Replace existing files that differ. */
  force?: boolean
  /** Hard-link instead of copying. */
  link?: boolean
  /** Refuse a folder whose stimuli are not byte-identical to the official ones (a closed-division submission). */
  requireOfficial?: boolean
}

export interface ExportResult {
  source: string
  runner: Runner
  benchmark: string
  /** Present where the benchmark runs another one's stimuli: ic02 runs ic01's. */
  stimuli?: BenchmarkId
  variant?: KwsVariant
  /** The folder the runner reads: `<datasets root>/<model>` (the card's root for sd-card). */
  target: string
  /** y_labels.csv and every listed file (sww01: the truth JSONs and their WAVs; the WAVs only for sd-card). */
  files: number
  /** Files written (copied or linked), replaced ones included. */
  written: number
  /** Existing different files overwritten under --force. */
  replaced: number
  /** Already there with the same bytes. */
  unchanged: number
  linked: boolean
  /** The stimulus files against the official bytes (sww01: the published WAVs and truth JSONs). */
  officialBytes: OfficialBytes
  next: string
}

interface PlannedFile {
  name: string
  source: string
  target: string
  bytes: number
  sha256: string
  state: 'new' | 'unchanged' | 'differs'
}

/** A checked folder, ready to copy: its files with the list that names them last. */
interface Exportable {
  benchmark: RunnerBenchmarkId
  stimuli?: BenchmarkId
  variant?: KwsVariant
  dir: string
  files: {name: string; bytes: number; sha256: string}[]
  /** What a runner reads first (y_labels.csv, the truth JSONs): written last, so it never names a file not there yet. */
  listFiles: string[]
  officialBytes: OfficialBytes
}

export async function exportFolder(options: ExportOptions): Promise<ExportResult> {
  if (options.runner === 'mlcommons' && !options.to) {
    throw new UserError('--to is required with --runner mlcommons: the folder you pass to main.py as --dataset_path')
  }
  if (options.runner === 'sd-card' && !options.to) throw new UserError('--to is required with --runner sd-card: the root of the mounted SD card')
  const exportable = (await isSwwFolder(options.source)) ? await swwExportable(options) : await stimulusExportable(options)
  if (options.requireOfficial && !exportable.officialBytes.allIdentical) {
    const {differing, notCompared} = exportable.officialBytes
    throw new UserError(`${options.source}: not byte-identical to the official stimuli (${differing} file(s) differ, ${notCompared} without official bytes`
      + ` to compare with); nothing exported (--require-official; tinydata verify ${options.source} lists them)`)
  }
  // Only eembc goes without --to (checked above): to the EnergyRunner's datasets folder, under ~/.eembc.ini's root.
  const eembc = options.to === undefined ? await eembcDatasets() : null
  const root = resolve(options.to ?? eembc!.folder)
  const target = join(root, runnerFolderName(options.runner, exportable))

  const planned: PlannedFile[] = []
  for (const file of exportable.files) {
    const targetPath = join(target, file.name)
    planned.push({...file, source: join(exportable.dir, file.name), target: targetPath, state: await existingState(targetPath, file)})
  }
  const differing = planned.filter((file) => file.state === 'differs')
  if (differing.length && !options.force) {
    throw fileError(differing[0]!.target, `exists and differs from ${differing[0]!.source} (${differing.length} such file(s) in ${target}); nothing was written, --force replaces them`)
  }

  await makeFolder(target).catch((error: NodeJS.ErrnoException) => {
    throw fileError(target, `cannot create the folder (${fsFailure(error)})`)
  })
  await removeStaleTemporaries(target) // what an export killed here before left
  const toWrite = planned.filter((file) => file.state !== 'unchanged')
  for (const file of toWrite) await placeFile(file, options.link ?? false)

  return {
    source: options.source,
    runner: options.runner,
    benchmark: exportable.benchmark,
    ...(exportable.stimuli ? {stimuli: exportable.stimuli} : {}),
    ...(exportable.variant ? {variant: exportable.variant} : {}),
    target,
    files: planned.length,
    written: toWrite.length,
    replaced: differing.length,
    unchanged: planned.length - toWrite.length,
    linked: options.link ?? false,
    officialBytes: exportable.officialBytes,
    next: nextStep(options.runner, root, target, exportable, eembc),
  }
}

/**
 * The board opens the WAVs by name at the card's root. The EnergyRunner reads the folder named by the model the
 * device reports (an ic02 firmware reports ic02); the Python runner the model its tests_*.yaml gives (ic02's: ic01).
 */
function runnerFolderName(runner: Runner, exported: Exportable): string {
  if (runner === 'sd-card') return ''
  return runner === 'eembc' ? exported.benchmark : exported.stimuli ?? exported.benchmark
}

// Only a folder the runner can use is exported; differences from the official set are the user's call (open division).
async function stimulusExportable(options: ExportOptions): Promise<Exportable> {
  if (options.runner === 'sd-card') throw new UserError(`${options.source}: --runner sd-card is for an sww01 folder (a truth JSON and the WAVs it names), and this folder holds no truth JSON`)
  const folder = await readRunnerFolder(options.source)
  const verified = await verifyRunnerFolder(folder, options.source, {allowDiff: true, benchmark: options.benchmark})
  if (isBroken(verified)) throw new UserError(`${verifyFailureSummary(verified)}; nothing exported (run tinydata verify for details)`)
  return {
    benchmark: verified.benchmark,
    ...(verified.stimuli ? {stimuli: verified.stimuli} : {}),
    ...(verified.variant ? {variant: verified.variant} : {}),
    dir: folder.dir,
    files: [
      ...folder.files.map((file) => ({name: file.name, bytes: file.bytes!, sha256: file.sha256!})),
      {name: Y_LABELS_FILE, bytes: folder.labelsBytes, sha256: folder.labelsSha256},
    ],
    listFiles: [Y_LABELS_FILE],
    officialBytes: officialBytes(folder.files.length, {identical: verified.official?.identical ?? 0, differing: verified.official?.differing.length ?? 0}),
  }
}

async function swwExportable(options: ExportOptions): Promise<Exportable> {
  checkSwwRequested(options.source, options.benchmark)
  if (options.runner === 'eembc') throw new UserError(`${options.source}: the EEMBC EnergyRunner does not run sww01; export it with --runner mlcommons (the truth JSONs and WAVs) and --runner sd-card (the WAVs, for the interface board)`)
  const verified = await verifySwwFolder(options.source, {allowDiff: true})
  if (isSwwBroken(verified)) throw new UserError(`${verifyFailureSummary(verified)}; nothing exported (run tinydata verify for details)`)
  const wavs = verified.wavs.map(({file, bytes, sha256}) => ({name: file, bytes, sha256}))
  const truthFiles = verified.truthFiles.map(({file, bytes, sha256}) => ({name: file, bytes, sha256}))
  const exported = options.runner === 'sd-card' ? verified.wavs : [...verified.wavs, ...verified.truthFiles]
  const compared = exported.filter((file) => file.official !== null)
  const identical = compared.filter((file) => file.official!.identicalTo !== null).length
  return {
    benchmark: verified.benchmark,
    dir: resolve(options.source),
    files: options.runner === 'sd-card' ? wavs : [...wavs, ...truthFiles],
    listFiles: options.runner === 'sd-card' ? [] : truthFiles.map((file) => file.name),
    officialBytes: officialBytes(exported.length, {identical, differing: compared.length - identical}),
  }
}

async function existingState(path: string, source: {bytes: number; sha256: string}): Promise<PlannedFile['state']> {
  const existing = await stat(path).catch(() => null)
  if (existing === null) return 'new'
  if (!existing.isFile()) throw fileError(path, 'exists and is not a file')
  return existing.size === source.bytes && (await sha256File(path)) === source.sha256 ? 'unchanged' : 'differs'
}

/**
 * Copies (or hard-links) under a temporary name in the target folder, checks size and sha256 against the source, then
 * renames: the runner's folder never holds a half-copied file under a name it reads. Not synced file by file (a
 * thousand fsyncs cost seconds): a copy a crash damaged still has its source, and the next export finds it differs.
 */
async function placeFile(file: PlannedFile, hardLink: boolean): Promise<void> {
  try {
    await replaceAtomically(file.target, async (temporary) => {
      if (hardLink) await link(file.source, temporary)
      else await copyFile(file.source, temporary, constants.COPYFILE_EXCL)
      const copied = await stat(temporary)
      if (copied.size !== file.bytes || (await sha256File(temporary)) !== file.sha256) {
        throw fileError(file.target, `the copy of ${file.source} does not match it (size or sha256); the target was left as it was`)
      }
    }, {sync: false})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EXDEV') throw fileError(file.target, `--link needs ${file.source} on the same file system (EXDEV); export without --link to copy`)
    if (refusedWriteCode(error)) throw fileError(file.target, `cannot write it (${fsFailure(error)})`)
    throw error
  }
}

/** What to run next, as each runner finds its folder (stimuli.md §0.1, §0.3). */
function nextStep(runner: Runner, datasetsRoot: string, folder: string, exported: Exportable, eembc: EembcDatasets | null): string {
  const {benchmark: id, variant} = exported
  if (runner === 'sd-card') {
    return `Next: put the card in the interface board; the runner asks it to play each WAV by the name its truth JSON gives (wav_file).`
  }
  if (id === 'sww01') {
    return `Next, in the MLCommons runner (tiny/benchmark/runner), for each mode: ${mainPyCommand(datasetsRoot, 'performance')}`
      + ` (energy: ${mainPyModeFlags('energy')}); devices.yaml lists the interface board, the energy monitor and the DUT.`
      + ` It reads ${exported.listFiles.map((name) => join(folder, name)).join(', ')} for the sww01 tests (tests_*.yaml);`
      + ` the interface board plays the same WAVs from its SD card (export --runner sd-card).`
  }
  const variantNote = variant && variant !== 'mfcc' ? ` It now holds the kws01-open ${variant} stimuli under the name kws01, which is how the runners read an open set.` : ''
  if (runner === 'mlcommons') {
    const model = exported.stimuli ?? id
    const readers = RUNNER_BENCHMARK_IDS.filter((other) => RUNNER_BENCHMARKS[other].stimuli === model)
    return `Next, in the MLCommons runner (tiny/benchmark/runner), for each mode: ${mainPyCommand(datasetsRoot, 'accuracy')}`
      + ` (performance: ${mainPyModeFlags('performance')}; energy: ${mainPyModeFlags('energy')});`
      + ` devices.yaml lists the DUT, and the interface board and energy monitor where used.`
      + ` It reads ${join(folder, Y_LABELS_FILE)} for the tests whose model is ${model} (tests_*.yaml: the ${readers.join(' and ')} devices).${variantNote}`
  }
  const rootSource = eembc?.iniFile ? ` (under the root= of ${eembc.iniFile})` : ''
  const elsewhere = eembc === null
    ? ` Note: the EnergyRunner reads ${join('<root>', EEMBC_DATASETS, id)}, where <root> is the root= of ~/${EEMBC_INI} (your home folder by default); --to put the files in ${folder} instead.`
    : ''
  return `Next: open the EEMBC EnergyRunner, connect a device whose firmware reports m-model-${id}, and run the benchmark; `
    + `it reads ${join(folder, Y_LABELS_FILE)}${rootSource} and the files it lists.${variantNote}${elsewhere}`
}

type RunnerMode = 'accuracy' | 'performance' | 'energy'

/**
 * The Python runner's whole command line (main.py's options). Its defaults changed between versions (tests.yaml, then
 * tests_<mode>.yaml by --mode) and --device_list defaults to the example devices.yaml, so every option is spelled out.
 */
function mainPyCommand(datasetsRoot: string, mode: RunnerMode): string {
  return `python main.py --dataset_path=${shellQuote(datasetsRoot)} ${mainPyModeFlags(mode)} --device_list=devices.yaml`
}

function mainPyModeFlags(mode: RunnerMode): string {
  return `--test_script=tests_${mode}.yaml --mode=${mode[0]}`
}

function shellQuote(path: string): string {
  return /^[\w./:@%+=,-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`
}

/** The readable report of `tinydata export`. */
export function exportReportLines(result: ExportResult): string[] {
  const how = result.linked ? 'hard-linked' : 'copied'
  const replaced = result.replaced ? `, ${result.replaced} different file(s) replaced (--force)` : ''
  const what = [result.benchmark, ...(result.stimuli ? [`the ${result.stimuli} stimuli`] : []), ...(result.variant ? [result.variant] : [])]
  return [
    `Exported ${result.source} (${what.join(', ')}) for the ${result.runner} runner to ${result.target}:`,
    `  ${result.written} of ${result.files} file(s) ${how} and checked (size and sha256), ${result.unchanged} already identical${replaced}`,
    result.next,
  ]
}
