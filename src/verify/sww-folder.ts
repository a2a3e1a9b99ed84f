/**
 * An sww01 folder, as the MLCommons runner reads it (`<datasets>/sww01/`): the runner's truth JSON(s) and the WAVs
 * they name (stimuli.md §0.3). Each JSON is checked against the runner's form, each WAV against the form the
 * interface board plays and against the published files of the same name (their git blob ids).
 */

import {readdir, readFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {sww01} from '../../datasets/sww01.js'
import type {SwwRunnerFile} from '../../datasets/types.js'
import {checkBoardWav} from '../audio/sww-wav.js'
import {fileError} from '../errors.js'
import {Digests} from '../io/hash.js'
import {parseSwwTruth, SWW_TRUTH_FORMAT} from '../formats/sww-truth.js'

/** How a file compares with the published runner files of the same name. */
export interface PublishedComparison {
  /** Their paths in mlcommons/tiny (below benchmark/runner/); long_wav.wav has two, which differ. */
  published: string[]
  /** The one whose git blob id this file has, or null where it is none of them. */
  identicalTo: string | null
}

export interface SwwTruthCheck {
  file: string
  bytes: number
  sha256: string
  /** Entries of the list (one per WAV); 0 where the file is not a list. */
  entries: number
  /** What breaks the runner's form: one line each, naming the entry. */
  problems: string[]
  /** null where no published truth file has this name. */
  official: PublishedComparison | null
}

export interface SwwWavCheck {
  file: string
  /** The truth files naming it. */
  listedIn: string[]
  bytes: number
  sha256: string
  gitBlob: string
  /** Its length, where the board can play it. */
  seconds: number | null
  /** Why the board refuses it, or why it cannot hold its detection windows; null where it is fine. */
  problem: string | null
  official: PublishedComparison | null
}

export interface SwwVerifyResult {
  folder: string
  benchmark: 'sww01'
  truthFiles: SwwTruthCheck[]
  wavs: SwwWavCheck[]
  /** WAVs a truth file names that are not in the folder. */
  missing: string[]
  /** Differences from the published files were allowed (--allow-diff). */
  allowDiff: boolean
  ok: boolean
}

const JSON_SUFFIX = '.json'
const WAV_FILE_MARK = `"${SWW_TRUTH_FORMAT.wavFileKey}"`

/** Whether a folder is an sww01 folder: it holds a truth JSON (a `.json` file naming `wav_file`s). */
export async function holdsSwwTruth(folder: string): Promise<boolean> {
  return (await truthFileNames(resolve(folder)).catch(() => [])).length > 0
}

async function truthFileNames(dir: string): Promise<string[]> {
  const jsonNames = (await readdir(dir)).filter((name) => name.endsWith(JSON_SUFFIX)).sort()
  const truthNames: string[] = []
  for (const name of jsonNames) {
    if ((await readFile(join(dir, name), 'utf8').catch(() => '')).includes(WAV_FILE_MARK)) truthNames.push(name)
  }
  return truthNames
}

export async function verifySwwFolder(folderPath: string, options: {allowDiff?: boolean} = {}): Promise<SwwVerifyResult> {
  const dir = resolve(folderPath)
  const truthFiles: SwwTruthCheck[] = []
  /** WAV name → the truth files naming it, and the latest end of a detection window in it. */
  const named = new Map<string, {listedIn: string[]; lastWindowEnd: number}>()
  for (const name of await truthFileNames(dir)) {
    const bytes = await readFileOrFail(join(dir, name))
    const truth = parseSwwTruth(bytes.toString('utf8'))
    truthFiles.push({file: name, bytes: bytes.byteLength, sha256: digestsOf(bytes).sha256, entries: truth.entries.length, problems: truth.problems, official: compareWithPublished(name, bytes)})
    for (const entry of truth.entries) {
      const wav = named.get(entry.wavFile) ?? {listedIn: [], lastWindowEnd: 0}
      if (!wav.listedIn.includes(name)) wav.listedIn.push(name)
      wav.lastWindowEnd = Math.max(wav.lastWindowEnd, ...entry.windows.map(([, stop]) => stop))
      named.set(entry.wavFile, wav)
    }
  }
  const wavs: SwwWavCheck[] = []
  const missing: string[] = []
  for (const [name, {listedIn, lastWindowEnd}] of named) {
    const bytes = await readFile(join(dir, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null
      throw fileError(join(dir, name), `cannot read it (${error.code ?? error.message})`)
    })
    if (bytes === null) {
      missing.push(name)
      continue
    }
    const board = checkBoardWav(bytes, sww01.boardWav)
    const tooShort = board.ok && board.seconds < lastWindowEnd ? `lasts ${board.seconds} s, less than the end of its last detection window (${lastWindowEnd} s)` : null
    const {sha256, 'git-blob': gitBlob} = digestsOf(bytes)
    wavs.push({
      file: name, listedIn, bytes: bytes.byteLength, sha256, gitBlob,
      seconds: board.ok ? board.seconds : null,
      problem: board.ok ? tooShort : board.problem,
      official: compareWithPublished(name, bytes),
    })
  }
  const result: SwwVerifyResult = {folder: folderPath, benchmark: 'sww01', truthFiles, wavs, missing, allowDiff: options.allowDiff ?? false, ok: false}
  result.ok = !isSwwBroken(result) && (result.allowDiff || differingFromPublished(result).length === 0)
  return result
}

/** A truth file the runner cannot read, a WAV missing or one the board refuses: a folder the benchmark cannot run. */
export function isSwwBroken(result: SwwVerifyResult): boolean {
  return result.missing.length > 0 || result.wavs.some((wav) => wav.problem !== null) || result.truthFiles.some((truth) => truth.problems.length > 0)
}

/** Files named like a published runner file whose bytes are none of them. */
function differingFromPublished(result: SwwVerifyResult): string[] {
  return [...result.truthFiles, ...result.wavs].filter((file) => file.official && file.official.identicalTo === null).map((file) => file.file)
}

async function readFileOrFail(path: string): Promise<Buffer> {
  return readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw fileError(path, `cannot read it (${error.code ?? error.message})`)
  })
}

function digestsOf(bytes: Buffer): {sha256: string; 'git-blob': string} {
  const digests = new Digests(['sha256', 'git-blob'], bytes.byteLength)
  digests.update(bytes)
  return digests.hex()
}

function compareWithPublished(name: string, bytes: Buffer): PublishedComparison | null {
  const published: readonly SwwRunnerFile[] = sww01.runnerFiles.filter((file) => file.runnerName === name)
  if (published.length === 0) return null
  const gitBlob = digestsOf(bytes)['git-blob']
  return {
    published: published.map((file) => file.repositoryPath),
    identicalTo: published.find((file) => file.size === bytes.byteLength && file.gitBlob === gitBlob)?.repositoryPath ?? null,
  }
}

const LISTED_AT_MOST = 10

/** One line for the error: what is wrong with the folder, by kind, with counts. */
export function swwFailureSummary(result: SwwVerifyResult): string {
  const problems: string[] = []
  const badTruth = result.truthFiles.filter((truth) => truth.problems.length > 0)
  if (badTruth.length) problems.push(`${badTruth.map((truth) => `${truth.file} ${truth.problems[0]}`).join(', ')}${badTruth.some((truth) => truth.problems.length > 1) ? ' (and more: see above)' : ''}`)
  if (result.missing.length) problems.push(`WAV(s) named in a truth file missing: ${result.missing.slice(0, LISTED_AT_MOST).join(', ')}${result.missing.length > LISTED_AT_MOST ? ', …' : ''}`)
  for (const wav of result.wavs) if (wav.problem) problems.push(`${wav.file} ${wav.problem}`)
  const differing = differingFromPublished(result)
  if (differing.length && !result.allowDiff) problems.push(`${differing.join(', ')} differ(s) from the published file(s) of that name (--allow-diff accepts your own)`)
  return `${result.folder}: ${problems.join('; ')}`
}

/** The readable report of `tinydata verify` on an sww01 folder. */
export function swwReportLines(result: SwwVerifyResult): string[] {
  const lines = [`${result.folder} (sww01): ${result.truthFiles.length} truth file(s), ${result.wavs.length} of ${result.wavs.length + result.missing.length} WAV(s) they name present`]
  const published = (official: PublishedComparison | null) =>
    official === null ? 'no published file of that name' : official.identicalTo ? `identical to the published ${official.identicalTo}` : `differs from the published ${official.published.join(' and ')}`
  for (const truth of result.truthFiles) {
    lines.push(`  ${truth.file}: ${truth.entries} entr${truth.entries === 1 ? 'y' : 'ies'}, ${truth.problems.length ? `${truth.problems.length} problem(s)` : 'in the runner\'s form'}; ${published(truth.official)}`)
    for (const problem of truth.problems.slice(0, LISTED_AT_MOST)) lines.push(`    ${problem}`)
    if (truth.problems.length > LISTED_AT_MOST) lines.push(`    … (${truth.problems.length - LISTED_AT_MOST} more)`)
  }
  for (const wav of result.wavs) {
    const form = wav.problem ?? `${wav.seconds} s, the board's canonical form`
    lines.push(`  ${wav.file}: ${form}; ${published(wav.official)}`)
  }
  if (result.missing.length) lines.push(`  missing: ${result.missing.join(', ')}`)
  const differing = differingFromPublished(result)
  const allowed = result.ok && differing.length ? ' (differences from the published files allowed by --allow-diff)' : ''
  lines.push(`${result.ok ? 'OK' : 'FAILED'}${allowed}`)
  return lines
}
