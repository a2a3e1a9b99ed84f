/**
 * `tinydata verify`: checks a runner datasets folder (y_labels.csv + the files it lists) for completeness, sizes, its
 * manifest.arrow where there is one, and byte identity with the official stimuli where its names are an official set.
 * An sww01 folder (a truth JSON and its WAVs) is a folder kind of its own: sww-folder.ts.
 */

import {stat} from 'node:fs/promises'
import {join} from 'node:path'

import {modelTensorBytes} from '../output/prepared-folder.js'
import {type ManifestRows, readManifestRows} from '../manifest/reader.js'
import {parityWithPinned} from '../formats/pinned-tables.js'
import {officialLabelLists} from '../scoring/labels.js'
import {KWS_VARIANT_OF_SET, loadOfficialHashes, OFFICIAL_SETS, type OfficialHashes} from './official-sets.js'
import {KWS_VARIANT_BYTES, type KwsVariant, STIMULUS_BYTES} from '../stimulus-sizes.js'
import {type BenchmarkId, RUNNER_BENCHMARKS, type RunnerBenchmarkId} from '../benchmark-ids.js'
import {fileError} from '../errors.js'
import {Y_LABELS_FILE} from '../output/runner-folder.js'
import {detectBenchmark, type ListedFile, readRunnerFolder, type RunnerFolder, runnerBenchmarkOfFolderName} from './runner-folder.js'
import {holdsSwwTruth, swwFailureSummary, swwReportLines, verifySwwFolder, type SwwVerifyResult} from './sww-folder.js'

export interface WrongSize {
  file: string
  bytes: number
  expected: number
}

export interface ManifestMismatch {
  file: string
  problem: 'sha256 differs from manifest.arrow' | 'not in manifest.arrow' | 'in manifest.arrow but not in y_labels.csv'
}

export interface ManifestComparison {
  checked: number
  mismatched: ManifestMismatch[]
}

export interface OfficialComparison {
  /** The set of manifests/official_stimulus_sha256.tsv: kws01 (mfcc), kws01-open/lfbe, vww01, ic01_v0.5, … */
  set: string
  compared: number
  identical: number
  differing: string[]
  /** The official y_labels list holding every listed name (the smallest one), or null. */
  officialList: string | null
  /** Files of that official list that this folder does not list (a subset of it). */
  notInFolder: string[]
}

/** The benchmarks whose runner folder lists `.bin` stimuli in y_labels.csv. */
type StimulusRunnerBenchmarkId = Exclude<RunnerBenchmarkId, 'sww01'>

/** The check of a folder of stimulus files listed in y_labels.csv. */
export interface StimulusVerifyResult {
  folder: string
  /** The benchmark the folder is for: --benchmark, else its name where that runs these stimuli (ic02), else theirs. */
  benchmark: StimulusRunnerBenchmarkId
  /** Present where the benchmark runs another one's stimuli: ic02 runs ic01's. */
  stimuli?: BenchmarkId
  /** kws01 only: which stimuli the folder holds. */
  variant?: KwsVariant
  expectedBytes: number
  filesListed: number
  filesPresent: number
  wrongSize: WrongSize[]
  missing: string[]
  manifest: ManifestComparison | null
  /** null where the listed names are not (a subset of) an official set with pinned hashes. */
  official: OfficialComparison | null
  /** Differences from the official set were allowed (--allow-diff: an open-division set). */
  allowDiff: boolean
  ok: boolean
}

/** Each folder kind's check; `benchmark` tells them apart. */
export type VerifyResult = StimulusVerifyResult | SwwVerifyResult

export interface VerifyOptions {
  allowDiff?: boolean
  /** The benchmark the folder is for, where its name does not say it (ic02 runs ic01's stimuli). */
  benchmark?: RunnerBenchmarkId
}

/** Checks a stimulus folder (y_labels.csv) or an sww01 folder (told by its truth JSON). */
export async function verifyFolder(folderPath: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (await isSwwFolder(folderPath)) {
    checkSwwRequested(folderPath, options.benchmark)
    return verifySwwFolder(folderPath, options)
  }
  return verifyRunnerFolder(await readRunnerFolder(folderPath), folderPath, options)
}

/** An sww01 folder cannot be checked as another benchmark's. */
export function checkSwwRequested(folderPath: string, requested: RunnerBenchmarkId | undefined): void {
  if (requested !== undefined && requested !== 'sww01') {
    throw fileError(folderPath, `holds sww01's truth JSON and WAVs, not ${requested}'s stimuli listed in ${Y_LABELS_FILE}`)
  }
}

/** An sww01 folder holds a truth JSON and no y_labels.csv. */
export async function isSwwFolder(folderPath: string): Promise<boolean> {
  const hasLabels = await stat(join(folderPath, Y_LABELS_FILE)).then(() => true, () => false)
  return !hasLabels && (await holdsSwwTruth(folderPath))
}

/** verifyFolder on a stimulus folder already read (with hashes), for callers that go on to use what was read. */
export async function verifyRunnerFolder(folder: RunnerFolder, folderPath: string, options: VerifyOptions = {}): Promise<StimulusVerifyResult> {
  const requested = options.benchmark
  if (requested === 'sww01') throw fileError(folderPath, `holds stimuli listed in ${Y_LABELS_FILE}, not sww01's truth JSON and WAVs`)
  const manifest = folder.manifestFile ? await readManifestRows(folder.manifestFile) : null
  // The benchmark named (by --benchmark) says whose stimuli to expect, as a folder's name does.
  const stimuli = requested ? RUNNER_BENCHMARKS[requested].stimuli : detectBenchmark(folder, manifest?.meta.benchmark ?? null)
  const benchmark = requested ?? folderNameBenchmark(folder.dir, stimuli) ?? stimuli
  const hashes = loadOfficialHashes()
  // Model-input tensors (prepare --format model) have their own sizes and are never the official stimuli.
  const modelFormat = manifest?.meta.recipe.format === 'model'
  const officialSet = modelFormat ? null : chooseOfficialSet(stimuli, folder.files, hashes, manifest)
  const variant = stimuli === 'kws01' && officialSet ? KWS_VARIANT_OF_SET[officialSet]! : undefined
  const expectedBytes = modelFormat
    ? modelTensorBytes(stimuli)
    : variant ? KWS_VARIANT_BYTES[variant] : STIMULUS_BYTES[stimuli as Exclude<BenchmarkId, 'kws01'>]

  const present = folder.files.filter((file) => file.sha256 !== null)
  const wrongSize = present.filter((file) => file.bytes !== expectedBytes).map((file) => ({file: file.name, bytes: file.bytes!, expected: expectedBytes}))
  const official = officialSet ? await compareWithOfficial(stimuli, folder.files, hashes.get(officialSet)!, officialSet) : null
  const result: StimulusVerifyResult = {
    folder: folderPath,
    benchmark,
    ...(benchmark === stimuli ? {} : {stimuli}),
    ...(variant ? {variant} : {}),
    expectedBytes,
    filesListed: folder.files.length,
    filesPresent: present.length,
    wrongSize,
    missing: folder.files.filter((file) => file.sha256 === null).map((file) => file.name),
    manifest: manifest ? compareWithManifest(folder, manifest) : null,
    official,
    allowDiff: options.allowDiff ?? false,
    ok: false,
  }
  result.ok = !isBroken(result) && (result.allowDiff || (official?.differing.length ?? 0) === 0)
  return result
}

/** The benchmark a folder's name gives, where it runs these stimuli (`ic02` holds ic01's). */
function folderNameBenchmark(dir: string, stimuli: BenchmarkId): StimulusRunnerBenchmarkId | null {
  const named = runnerBenchmarkOfFolderName(dir)
  return named !== null && named !== 'sww01' && RUNNER_BENCHMARKS[named].stimuli === stimuli ? named : null
}

/** Missing files, wrong sizes or a manifest mismatch: a folder the runner cannot use as it is. */
export function isBroken(result: StimulusVerifyResult): boolean {
  return result.missing.length > 0 || result.wrongSize.length > 0 || (result.manifest?.mismatched.length ?? 0) > 0
}

/**
 * The official set to compare with. kws01 has three with the same names and 490- or 32000-byte files: the one whose
 * hashes match most files, else the variant a tinydata manifest records, else by size (32000 B is td_samples, and
 * 490 B the closed-division mfcc).
 */
function chooseOfficialSet(benchmark: BenchmarkId, files: readonly ListedFile[], hashes: OfficialHashes, manifest: ManifestRows | null): string {
  const candidates = OFFICIAL_SETS[benchmark]
  if (candidates.length === 1) return candidates[0]!
  const matches = (set: string): number => files.filter((file) => file.sha256 !== null && hashes.get(set)?.get(file.name) === file.sha256).length
  const best = [...candidates].sort((a, b) => matches(b) - matches(a))[0]!
  if (matches(best) > 0) return best
  const recordedVariant = manifest?.meta.recipe.variant
  const byManifest = candidates.find((set) => KWS_VARIANT_OF_SET[set] === recordedVariant)
  if (byManifest) return byManifest
  const sized = files.filter((file) => file.bytes !== null)
  const samplesSized = sized.filter((file) => file.bytes === KWS_VARIANT_BYTES.td_samples).length
  return samplesSized * 2 > sized.length ? 'kws01-open/td_samples' : 'kws01'
}

/** Compares every present file with its pinned official hash, where every listed name is in the official set. */
async function compareWithOfficial(
  benchmark: BenchmarkId, files: readonly ListedFile[], setHashes: ReadonlyMap<string, string>, set: string,
): Promise<OfficialComparison | null> {
  if (!files.every((file) => setHashes.has(file.name))) return null
  const {compared, identical, differing} = parityWithPinned(
    files.filter((file) => file.sha256 !== null).map((file) => ({file: file.name, stimulusSha256: file.sha256!})),
    setHashes,
  )
  const listed = new Set(files.map((file) => file.name))
  // The smallest official y_labels list that holds every listed name (ad01_alt before ad01).
  const officialList = (await officialLabelLists())
    .filter((list) => list.benchmark === benchmark && [...listed].every((name) => list.classes.has(name)))
    .sort((a, b) => a.classes.size - b.classes.size)[0]
  return {
    set,
    compared,
    identical,
    differing,
    officialList: officialList?.name ?? null,
    notInFolder: officialList ? [...officialList.classes.keys()].filter((name) => !listed.has(name)) : [],
  }
}

function compareWithManifest(folder: RunnerFolder, manifest: ManifestRows): ManifestComparison {
  const recorded = new Map(manifest.rows.map((row) => [row.file, row.stimulusSha256]))
  const listed = new Set(folder.files.map((file) => file.name))
  const mismatched: ManifestMismatch[] = []
  let checked = 0
  for (const file of folder.files) {
    if (file.sha256 === null) continue // reported as missing
    const sha256 = recorded.get(file.name)
    if (sha256 === undefined) {
      mismatched.push({file: file.name, problem: 'not in manifest.arrow'})
      continue
    }
    checked++
    if (sha256 !== file.sha256) mismatched.push({file: file.name, problem: 'sha256 differs from manifest.arrow'})
  }
  for (const name of recorded.keys()) if (!listed.has(name)) mismatched.push({file: name, problem: 'in manifest.arrow but not in y_labels.csv'})
  return {checked, mismatched}
}

/** One line for the error: what is wrong with the folder, by kind, with counts. */
export function verifyFailureSummary(result: VerifyResult): string {
  if (result.benchmark === 'sww01') return swwFailureSummary(result)
  const problems: string[] = []
  if (result.missing.length) problems.push(`${result.missing.length} listed file(s) missing`)
  if (result.wrongSize.length) problems.push(`${result.wrongSize.length} file(s) not ${result.expectedBytes} bytes`)
  if (result.manifest?.mismatched.length) problems.push(`${result.manifest.mismatched.length} file(s) disagree with manifest.arrow`)
  const official = result.official
  if (official?.differing.length && !result.allowDiff) {
    problems.push(`${official.differing.length} of ${official.compared} file(s) differ from the official set ${official.set} (--allow-diff accepts an open-division set)`)
  }
  return `${result.folder}: ${problems.join('; ')}`
}

const LISTED_AT_MOST = 10

/** The readable report of `tinydata verify`. */
export function verifyReportLines(result: VerifyResult): string[] {
  if (result.benchmark === 'sww01') return swwReportLines(result)
  const stimuli = result.stimuli ? `, the ${result.stimuli} stimuli` : ''
  const what = `${result.benchmark}${stimuli}${result.variant ? `, ${result.variant}` : ''}`
  const lines = [`${result.folder} (${what}): ${result.filesPresent} of ${result.filesListed} files listed in y_labels.csv present, ${result.expectedBytes} bytes expected each`]
  const list = (label: string, names: readonly string[]): void => {
    if (names.length === 0) return
    const shown = names.slice(0, LISTED_AT_MOST).join(', ')
    lines.push(`  ${label}: ${shown}${names.length > LISTED_AT_MOST ? `, … (${names.length - LISTED_AT_MOST} more)` : ''}`)
  }
  list('missing', result.missing)
  list('wrong size', result.wrongSize.map((w) => `${w.file} (${w.bytes} B)`))
  if (result.manifest === null) lines.push('  manifest.arrow: none (nothing to check)')
  else {
    const {checked, mismatched} = result.manifest
    lines.push(`  manifest.arrow: ${checked} file(s) checked, ${mismatched.length} mismatch(es)`)
    list('manifest mismatch', mismatched.map((m) => `${m.file} (${m.problem})`))
  }
  const official = result.official
  if (official === null) lines.push('  official set: none (the listed names are not an official set with pinned sha256)')
  else {
    lines.push(`  ${official.identical} of ${official.compared} identical to the official set ${official.set}`)
    list('differing', official.differing)
    if (official.notInFolder.length) {
      lines.push(`  ${official.notInFolder.length} file(s) of the official list ${official.officialList} are not in this folder (it lists a subset)`)
    }
  }
  const verdict = result.ok ? 'OK' : 'FAILED'
  const allowed = result.ok && official?.differing.length ? ' (differences from the official set allowed by --allow-diff)' : ''
  lines.push(`${verdict}${allowed}`)
  return lines
}

