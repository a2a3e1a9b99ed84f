/**
 * `tinydata export`: puts a prepared folder where a runner reads it (stimuli.md §0.1): the EEMBC EnergyRunner reads
 * `$HOME/eembc/runner/benchmarks/ulp-mlperf/datasets/<id>/`, the MLCommons runner `<--dataset_path>/<id>/`.
 */

import {constants} from 'node:fs'
import {copyFile, link, mkdir, stat} from 'node:fs/promises'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'

import {fileError, UserError} from '../errors.js'
import {refusedWriteCode, removeStaleTemporaries, replaceAtomically} from '../io/atomic-write.js'
import {sha256File} from '../io/hash.js'
import {Y_LABELS_FILE} from '../output/runner-folder.js'
import type {KwsVariant} from '../stimulus-sizes.js'
import {readRunnerFolder} from '../verify/runner-folder.js'
import {isBroken, verifyFailureSummary, verifyRunnerFolder} from '../verify/verify.js'

export const RUNNERS = ['eembc', 'mlcommons'] as const
export type Runner = (typeof RUNNERS)[number]

/** Where the EnergyRunner looks for its datasets, under the user's home folder. */
export const EEMBC_DATASETS = join('eembc', 'runner', 'benchmarks', 'ulp-mlperf', 'datasets')

export interface ExportOptions {
  /** The prepared folder: y_labels.csv and the files it lists. */
  source: string
  runner: Runner
  /** The datasets root (files go to `<to>/<id>/`); required for mlcommons, `~/eembc/…/datasets` for eembc. */
  to?: string
  /** Replace existing files that differ. */
  force?: boolean
  /** Hard-link instead of copying. */
  link?: boolean
}

export interface ExportResult {
  source: string
  runner: Runner
  benchmark: string
  variant?: KwsVariant
  /** The folder the runner reads: `<datasets root>/<id>`. */
  target: string
  /** y_labels.csv and every listed file. */
  files: number
  /** Files written (copied or linked), replaced ones included. */
  written: number
  /** Existing different files overwritten under --force. */
  replaced: number
  /** Already there with the same bytes. */
  unchanged: number
  linked: boolean
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

export async function exportFolder(options: ExportOptions): Promise<ExportResult> {
  if (options.runner === 'mlcommons' && !options.to) {
    throw new UserError('--to is required with --runner mlcommons: the folder you pass to main.py as --dataset_path')
  }
  // Only a folder the runner can use is exported; differences from the official set are the user's call (open division).
  const folder = await readRunnerFolder(options.source)
  const verified = await verifyRunnerFolder(folder, options.source, {allowDiff: true})
  if (isBroken(verified)) throw new UserError(`${verifyFailureSummary(verified)}; nothing exported (run tinydata verify for details)`)
  const datasetsRoot = resolve(options.to ?? join(homedir(), EEMBC_DATASETS))
  const target = join(datasetsRoot, verified.benchmark)

  const sources = [
    ...folder.files.map((file) => ({name: file.name, bytes: file.bytes!, sha256: file.sha256!})),
    {name: Y_LABELS_FILE, bytes: folder.labelsBytes, sha256: folder.labelsSha256},
  ]
  const planned: PlannedFile[] = []
  for (const file of sources) {
    const targetPath = join(target, file.name)
    planned.push({...file, source: join(folder.dir, file.name), target: targetPath, state: await existingState(targetPath, file)})
  }
  const differing = planned.filter((file) => file.state === 'differs')
  if (differing.length && !options.force) {
    throw fileError(differing[0]!.target, `exists and differs from ${differing[0]!.source} (${differing.length} such file(s) in ${target}); nothing was written, --force replaces them`)
  }

  await mkdir(target, {recursive: true}).catch((error: NodeJS.ErrnoException) => {
    throw fileError(target, `cannot create the folder (${error.code ?? error.message})`)
  })
  await removeStaleTemporaries(target) // what an export killed here before left
  // y_labels.csv comes last (it is last in `sources`), so the runner never finds a list whose files are not there yet.
  const toWrite = planned.filter((file) => file.state !== 'unchanged')
  for (const file of toWrite) await placeFile(file, options.link ?? false)

  return {
    source: options.source,
    runner: options.runner,
    benchmark: verified.benchmark,
    ...(verified.variant ? {variant: verified.variant} : {}),
    target,
    files: planned.length,
    written: toWrite.length,
    replaced: differing.length,
    unchanged: planned.length - toWrite.length,
    linked: options.link ?? false,
    next: nextStep(options.runner, datasetsRoot, verified.benchmark, verified.variant, options.to !== undefined),
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
    const refused = refusedWriteCode(error)
    if (refused) throw fileError(file.target, `cannot write it (${refused})`)
    throw error
  }
}

/** What to run next, as each runner finds its folder (stimuli.md §0.1). */
function nextStep(runner: Runner, datasetsRoot: string, id: string, variant: KwsVariant | undefined, customRoot: boolean): string {
  const folder = join(datasetsRoot, id)
  const variantNote = variant && variant !== 'mfcc' ? ` It now holds the kws01-open ${variant} stimuli under the name kws01, which is how the runners read an open set.` : ''
  if (runner === 'mlcommons') {
    return `Next, in the MLCommons runner (tiny/benchmark/runner): python main.py --dataset_path=${shellQuote(datasetsRoot)} … `
      + `It reads ${join(folder, Y_LABELS_FILE)} for the tests whose model is ${id} (tests_*.yaml).${variantNote}`
  }
  const where = customRoot
    ? ` Note: the EnergyRunner reads ${join('$HOME', EEMBC_DATASETS, id)}; --to put the files in ${folder} instead.`
    : ''
  return `Next: open the EEMBC EnergyRunner, connect a device whose firmware reports m-model-${id}, and run the benchmark; `
    + `it reads ${join(folder, Y_LABELS_FILE)} and the files it lists.${variantNote}${where}`
}

function shellQuote(path: string): string {
  return /^[\w./:@%+=,-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`
}

/** The readable report of `tinydata export`. */
export function exportReportLines(result: ExportResult): string[] {
  const how = result.linked ? 'hard-linked' : 'copied'
  const replaced = result.replaced ? `, ${result.replaced} different file(s) replaced (--force)` : ''
  return [
    `Exported ${result.source} (${result.variant ? `${result.benchmark}, ${result.variant}` : result.benchmark}) for the ${result.runner} runner to ${result.target}:`,
    `  ${result.written} of ${result.files} file(s) ${how} and checked (size and sha256), ${result.unchanged} already identical${replaced}`,
    result.next,
  ]
}
