/**
 * Benchmark of `tinydata check`: a submission tree of about 4,000 files in the official layout, built from the real
 * published result folders of ../shared (v1.0 and v1.3, logs kept gzip-compressed), each submitter replicated under
 * new names, with generated system descriptions and an `EEMBC_RUNNER` file in each EnergyRunner model folder.
 */

import {spawn} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {copyFile, link, mkdir, mkdtemp, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

// The built package, as users run it (`npm run bench` builds first).
import {PACKAGE_ROOT} from '../dist/src/package-files.js'

const LOGS = resolve(PACKAGE_ROOT, '../shared/fixtures/logs')
const EXPECTED_TSV = join(LOGS, 'expected.tsv')
const CHECK_COMMAND = join(PACKAGE_ROOT, 'dist/commands/check.js')
const PUBLISHED_TREES = ['tiny_results_v1.0/', 'tiny_results_v1.3/']
const TARGET_FILES = 4000
const TARGET_SECONDS = 20
/** The tree is checked as a v1.3 submission: the version whose models include every benchmark of the copied folders. */
const VERSION = 'v1.3'
/** v1.0's long model folder names, as the v1.3 checker names them. */
const SHORT_MODEL_NAMES: Record<string, string> = {
  anomaly_detection: 'ad', image_classification: 'ic', keyword_spotting: 'kws', visual_wake_words: 'vww',
  streaming_wakeword_detection: 'sww',
}
const MODELS = new Set(['ad', 'ic', 'kws', 'vww', 'sww'])

/** A published result folder and where it goes in the official layout (`<division>/<submitter>/results/…`). */
interface ResultFolder {
  source: string
  division: string
  submitter: string
  system: string
  model: string
  mode: string
  runner: string
}

/**
 * The published folders, placed in the official layout: the folders between `results/` and the model folder make the
 * system name (OctoML's `microtvm_cmsis_nn/NRF5340-DK`), a folder below the model is dropped (hls4ml's `ic/RN08`),
 * and v1.0's `power` mode is named `energy`.
 */
function publishedFolders(): ResultFolder[] {
  const rows = readFileSync(EXPECTED_TSV, 'utf8').trimEnd().split('\n').slice(1).map((line) => line.split('\t'))
  return rows.filter(([, dir]) => PUBLISHED_TREES.some((tree) => dir!.startsWith(tree))).map(([, dir, , runner]) => {
    const [, division, submitter, , ...below] = dir!.split('/')
    const modelIndex = below.findIndex((name) => MODELS.has(SHORT_MODEL_NAMES[name] ?? name))
    const name = below[modelIndex]!
    const mode = below.at(-1)!
    return {
      source: join(LOGS, dir!), division: division!, submitter: submitter!, system: below.slice(0, modelIndex).join('_'),
      model: SHORT_MODEL_NAMES[name] ?? name, mode: mode === 'power' ? 'energy' : mode, runner: runner!,
    }
  })
}

/** A system description with the fields the checker reads (values generated). */
function systemJson(submitter: string, division: string, system: string): string {
  return JSON.stringify({
    'Submitter': submitter, 'Division': division, 'Status': 'Available', 'Board Name': system,
    'Processor(s) Name': 'Arm Cortex-M33', 'Processor(s) Frequencies': '160 MHz',
    'Processor memory type and capacity': '786KB SRAM', 'Accelerator': '', 'Accelerator(s) Frequencies': '',
    'Accelerator memory type and capacity': '', 'Hardware Notes': '', 'Inference Framework': 'TFLite Micro',
    'Software Libraries': 'CMSIS-NN', 'Software Notes': '',
  }, null, 2) + '\n'
}

/**
 * Builds the tree under `root`, each published submitter copied as often as it takes to reach TARGET_FILES; returns
 * its file count. Log files are hard-linked where the file system allows (a checker sees a regular file either way).
 */
export async function buildCheckTree(root: string): Promise<number> {
  const folders = publishedFolders()
  const sourceFiles = new Map<string, string[]>()
  for (const folder of folders) sourceFiles.set(folder.source, await readdir(folder.source))
  const erModelFolders = new Set(folders.filter((folder) => folder.runner === 'ER').map(modelFolderOf))
  const systems = new Set(folders.map((folder) => `${folder.division}/${folder.submitter}/${folder.system}`))
  const filesPerCopy = [...sourceFiles.values()].reduce((sum, files) => sum + files.length, 0) + erModelFolders.size + systems.size
  const copies = Math.max(1, Math.round(TARGET_FILES / filesPerCopy))
  let written = 0
  for (let copy = 0; copy < copies; copy++) {
    const renamed = (submitter: string) => (copy === 0 ? submitter : `${submitter}_${copy + 1}`)
    for (const folder of folders) {
      const modelFolder = join(root, modelFolderOf({...folder, submitter: renamed(folder.submitter)}))
      const target = join(modelFolder, folder.mode)
      await mkdir(target, {recursive: true})
      for (const file of sourceFiles.get(folder.source)!) {
        await link(join(folder.source, file), join(target, file)).catch(() => copyFile(join(folder.source, file), join(target, file)))
        written++
      }
      if (folder.runner === 'ER' && !existsSync(join(modelFolder, 'EEMBC_RUNNER'))) {
        await writeFile(join(modelFolder, 'EEMBC_RUNNER'), '')
        written++
      }
    }
    for (const key of systems) {
      const [division, submitter, system] = key.split('/') as [string, string, string]
      const dir = join(root, division, renamed(submitter), 'systems')
      await mkdir(dir, {recursive: true})
      await writeFile(join(dir, `${system}.json`), systemJson(renamed(submitter), division, system))
      written++
    }
  }
  return written
}

function modelFolderOf(folder: ResultFolder): string {
  return join(folder.division, folder.submitter, 'results', folder.system, folder.model)
}

/** Runs the built CLI (`node bin/run.js …`), its output discarded; resolves with the wall time and the exit code. */
function timeCli(args: string[]): Promise<{seconds: number; exitCode: number; stdout: string; stderr: string}> {
  const start = performance.now()
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin/run.js'), ...args], {stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({seconds: (performance.now() - start) / 1000, exitCode: code ?? -1, stdout, stderr}))
  })
}

/** What a failing check said: its counts (exit 2 is the tree's problems, printed as JSON), else its first error line. */
function checkOutcome(run: {stdout: string; stderr: string}): string {
  try {
    const json = JSON.parse(run.stdout) as {errors?: number; warnings?: number}
    if (json.errors !== undefined) return `${json.errors} errors, ${json.warnings} warnings in the tree (the published folders lack systems/ JSONs and script.async)`
  } catch {
    // not the check's JSON: the first line of what it printed says why
  }
  return (run.stderr.split('\n')[0] ?? '').slice(0, 160)
}

export type CheckBench =
  | {skipped: string}
  | {files: number; seconds: number; exitCode: number; outcome: string; scoreSeconds: number; targetSeconds: number}

/**
 * Times `tinydata check TREE --version v1.3 --json` on the generated tree and, as the baseline measured in the same
 * run, `tinydata score TREE --json` (the same logs scored, without the checks). Skipped while the check command is
 * not built, or without ../shared.
 */
export async function benchCheck(): Promise<CheckBench> {
  if (!existsSync(CHECK_COMMAND)) return {skipped: `skipped: ${CHECK_COMMAND} does not exist (the check command is not built yet)`}
  if (!existsSync(EXPECTED_TSV)) return {skipped: `skipped: ${EXPECTED_TSV} is absent`}
  const dir = await mkdtemp(join(tmpdir(), 'tinydata-bench-check-'))
  try {
    const tree = join(dir, 'submission')
    const files = await buildCheckTree(tree)
    const score = await timeCli(['score', tree, '--json'])
    const check = await timeCli(['check', tree, '--version', VERSION, '--json'])
    return {
      files, seconds: check.seconds, exitCode: check.exitCode, outcome: checkOutcome(check),
      scoreSeconds: score.seconds, targetSeconds: TARGET_SECONDS,
    }
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
