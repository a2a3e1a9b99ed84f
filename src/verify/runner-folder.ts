/** Reads a runner datasets folder (`y_labels.csv` + the files it lists), whoever wrote it (stimuli.md §0.1-0.2). */

import {statSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import {basename, join, resolve} from 'node:path'

import {BENCHMARK_IDS, type BenchmarkId, RUNNER_BENCHMARK_IDS, RUNNER_BENCHMARKS, type RunnerBenchmarkId} from '../benchmark-ids.js'
import {fileError} from '../errors.js'
import {parseYLabels, type YLabels} from '../formats/y-labels.js'
import {sha256Hex} from '../io/hash.js'
import {MANIFEST_FILE, Y_LABELS_FILE} from '../output/runner-folder.js'

export interface ListedFile {
  name: string
  /** null where the file is missing. */
  bytes: number | null
  /** null where the file is missing, or was not hashed (`{hashes: false}`). */
  sha256: string | null
}

export interface RunnerFolder {
  /** Absolute path of the folder. */
  dir: string
  labelsFile: string
  /** y_labels.csv parsed, and its size and sha256 (what export copies and checks). */
  labels: YLabels
  labelsBytes: number
  labelsSha256: string
  /** The listed files in y_labels.csv order, each once. */
  files: ListedFile[]
  /** Path of manifest.arrow, or null where the folder has none. */
  manifestFile: string | null
}

/**
 * Reads y_labels.csv and stats and hashes every file it lists; a missing file is recorded, not thrown. With
 * `{hashes: false}` the files are only stat'ed: for callers that read the stimuli themselves afterwards.
 */
export async function readRunnerFolder(folder: string, options: {hashes?: boolean} = {}): Promise<RunnerFolder> {
  const dir = resolve(folder)
  const isDirectory = await stat(dir).then((s) => s.isDirectory(), () => null)
  if (isDirectory === null) throw fileError(folder, 'no such folder')
  if (!isDirectory) throw fileError(folder, 'not a folder (give the runner folder that holds y_labels.csv)')
  const labelsFile = join(dir, Y_LABELS_FILE)
  const labelBytes = await readFile(labelsFile).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw fileError(labelsFile, 'no such file (a runner folder holds y_labels.csv and every file it lists)')
    throw fileError(labelsFile, `cannot read it (${error.code ?? error.message})`)
  })
  const labels = parseYLabels(labelBytes.toString('utf8'), labelsFile)
  const names = [...labels.classes.keys()]
  for (const name of names) {
    // A name with a path in it would read (and export would write) outside the folder; the runners want plain names.
    if (name !== basename(name) || name === '.' || name === '..' || name.includes('\\')) {
      throw fileError(labelsFile, `"${name}" is not a plain file name`)
    }
  }
  const files: ListedFile[] = []
  for (const name of names) files.push(await listedFile(join(dir, name), name, options.hashes ?? true))
  const manifestPath = join(dir, MANIFEST_FILE)
  const hasManifest = await stat(manifestPath).then(() => true, () => false)
  return {
    dir, labelsFile, labels, labelsBytes: labelBytes.byteLength, labelsSha256: sha256Hex(labelBytes), files,
    manifestFile: hasManifest ? manifestPath : null,
  }
}

async function listedFile(path: string, name: string, hash: boolean): Promise<ListedFile> {
  try {
    // A synchronous stat: one thread-pool round trip per file made `infer` of 1,000 stimuli wait ~0.2 s (issue 17).
    if (!hash) return {name, bytes: statSync(path).size, sha256: null}
    const bytes = await readFile(path)
    return {name, bytes: bytes.byteLength, sha256: sha256Hex(bytes)}
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {name, bytes: null, sha256: null}
    throw fileError(path, `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
}

/** File-name shapes of the official sets, for folders whose name does not say the benchmark. */
const NAME_PATTERNS: ReadonlyArray<[BenchmarkId, RegExp]> = [
  ['kws01', /^tst_\d{6}_[A-Za-z]+_\d+\.bin$/],
  ['vww01', /^(COCO_val2014_)?\d{12}\.bin$/],
  ['ic01', /^[a-z0-9_]+_s_\d{6}\.bin$/],
  ['ad01', /^(normal|anomaly)_id_\d{2}_\d{8}/],
]

/**
 * The benchmark whose stimuli a folder holds: its name (kws01, vww01, ic01, ic02 or ad01, as the runners name them;
 * ic02 runs ic01's stimuli), else the benchmark a tinydata manifest records, else the row format (only ad01 rows have
 * 5 fields), else the shape of every file name.
 */
export function detectBenchmark(folder: RunnerFolder, manifestBenchmark: string | null): BenchmarkId {
  const benchmark = benchmarkOfFolder(folder, manifestBenchmark)
  if (benchmark === null) {
    throw fileError(folder.dir, 'cannot tell its benchmark: the folder is not named kws01, vww01, ic01, ic02 or ad01, and its file names match none of them')
  }
  return benchmark
}

/** The runner benchmark a folder's name starts with (`ic02`, `kws01-open`, …), or null. */
export function runnerBenchmarkOfFolderName(dir: string): RunnerBenchmarkId | null {
  return RUNNER_BENCHMARK_IDS.find((id) => basename(dir).startsWith(id)) ?? null
}

function benchmarkOfFolder(folder: RunnerFolder, manifestBenchmark: string | null): BenchmarkId | null {
  const named = runnerBenchmarkOfFolderName(folder.dir)
  const byFolderName = named === null ? undefined : BENCHMARK_IDS.find((id) => id === RUNNER_BENCHMARKS[named].stimuli)
  if (byFolderName) return byFolderName
  const byManifest = BENCHMARK_IDS.find((id) => manifestBenchmark?.startsWith(id))
  if (byManifest) return byManifest
  if (folder.labels.fieldsPerRow === 5) return 'ad01'
  const byNames = NAME_PATTERNS.find(([, pattern]) => folder.files.every((file) => pattern.test(file.name)))
  return byNames ? byNames[0] : null
}
