/**
 * `tinydata check`: a submission tree (`<division>/<submitter>/{results,systems,…}`) held to the rules MLCommons'
 * submission checker applies for a round (spec/check.md), every published figure recomputed from its raw log, and the
 * results table the checker writes. Flow: version → divisions → submitters (folder rules on one listing) → systems
 * (their JSON) → model folders (./model-folder.ts).
 */

import {readFile, readdir, realpath, stat} from 'node:fs/promises'
import {basename, join, relative} from 'node:path'

import {fileError} from '../errors.js'
import {mapConcurrently} from '../parallel/concurrently.js'
import {listFolder} from './listing.js'
import {checkModelFolder, type ModelFolderContext} from './model-folder.js'
import {
  CHECK_VERSIONS, type CheckVersion, FILE_SIZE_LIMIT_BYTES, IGNORED_TOP_LEVEL, LATEST_VERSION, MODEL_MAPPING_FILE,
  VALID_DIVISIONS, versionRules,
} from './rules.js'
import {readSystemDescription} from './system-json.js'
import {decodeUtf8} from './text.js'
import type {CheckOptions, CheckProblem, CheckResult, SystemSummary} from './types.js'

export type {CheckOptions, CheckProblem, CheckResult, ProblemRule, Severity, SystemSummary} from './types.js'
export {CHECK_VERSIONS, type CheckVersion, LATEST_VERSION} from './rules.js'
export type {SummaryRow} from './summary-row.js'

/** Model folders are checked a few at a time: reading logs is I/O, scoring them CPU. */
const MODEL_CONCURRENCY = 4

export async function checkTree(tree: string, options: CheckOptions = {}): Promise<CheckResult> {
  if (!(await stat(tree).catch(() => null))?.isDirectory()) throw fileError(tree, 'not a folder')
  const {version, source} = await chooseVersion(tree, options.version)
  const rules = versionRules(version)
  const problems: CheckProblem[] = []
  const report = (path: string, problem: Omit<CheckProblem, 'path'>) => problems.push({path: relative(tree, path) || '.', ...problem})

  const topLevel = (await readdir(tree, {withFileTypes: true})).filter((entry) => entry.isDirectory())
    .map((entry) => entry.name).sort()
  const divisions = topLevel.filter((name) => (VALID_DIVISIONS as readonly string[]).includes(name))
  if (divisions.length === 0) {
    throw fileError(tree, 'no division folder (closed/ or open/) here: give the root of a submission tree,'
      + ' <division>/<submitter>/results/<system>/<model>/<test>/')
  }
  for (const name of topLevel.filter((name) => !divisions.includes(name) && !IGNORED_TOP_LEVEL.has(name))) {
    report(join(tree, name), {severity: 'error', rule: 'layout', message: 'not a division (closed or open)', official: true})
  }

  const contexts: ModelFolderContext[] = []
  const systems: SystemSummary[] = []
  let submittersSeen = 0
  for (const division of divisions) {
    for (const submitter of await subfolders(join(tree, division))) {
      if (options.submitter !== undefined && submitter !== options.submitter) continue
      const submitterFolder = join(tree, division, submitter)
      const results = join(submitterFolder, 'results')
      if (!(await stat(results).catch(() => null))?.isDirectory()) continue
      submittersSeen++
      const {dropped, oversized} = await checkSubmitterFolder(submitterFolder, tree, report)
      const modelMapping = division === 'open' ? await readModelMapping(join(submitterFolder, MODEL_MAPPING_FILE), report) : null
      for (const system of await subfolders(results)) {
        const descriptionFile = join(submitterFolder, 'systems', `${system}.json`)
        const description = await readSystemDescription(descriptionFile)
        if (description.error) {
          const rule = description.error.startsWith('"Status"') || description.error.startsWith('no "Status"') ? 'availability' : 'system-json'
          report(descriptionFile, {severity: 'error', rule, message: description.error, official: true})
        } else if (description.missingFields.length > 0) {
          report(descriptionFile, {severity: 'warning', rule: 'system-json', official: false,
            message: `no ${description.missingFields.map((field) => `"${field}"`).join(', ')}: empty in the results table`})
        }
        const systemFolder = join(results, system)
        const models = await subfolders(systemFolder)
        systems.push({
          path: relative(tree, systemFolder), division, submitter, system, models: models.length, testFolders: 0, errors: 0, warnings: 0,
        })
        for (const model of models) {
          contexts.push({
            tree, folder: join(systemFolder, model), rules, division, submitter, system, description, modelMapping, oversized,
            submitterDropped: dropped, droppedAbove: dropped || description.error !== null,
          })
        }
      }
    }
  }
  if (options.submitter !== undefined && submittersSeen === 0) {
    throw fileError(tree, `no submitter "${options.submitter}" with a results/ folder under ${divisions.join(' or ')}`)
  }

  const checked = await mapConcurrently(contexts, MODEL_CONCURRENCY, checkModelFolder)
  const rows = checked.map((check) => check.row)
  checked.forEach((check, index) => {
    problems.push(...check.problems)
    const context = contexts[index]
    // a row the checker drops for its system or submitter says why, before its own problems
    const above = context.description.error
      ? [`${join(context.division, context.submitter, 'systems', `${context.system}.json`)}: ${context.description.error}`]
      : []
    if (context.submitterDropped) {
      above.unshift(`${join(context.division, context.submitter)}: the official checker drops this submitter (see its folder problems)`)
    }
    check.row.Problems.unshift(...above)
    const system = systems.find((summary) => summary.path === relative(tree, join(context.folder, '..')))!
    system.testFolders += check.testFolders
  })
  for (const system of systems) {
    const under = problems.filter((problem) => problem.path === system.path || problem.path.startsWith(`${system.path}/`)
      || problem.path === join(system.division, system.submitter, 'systems', `${system.system}.json`))
    system.errors = under.filter((problem) => problem.severity === 'error').length
    system.warnings = under.length - system.errors
  }
  return {tree, version, versionSource: source, problems, systems, rows, passed: !problems.some((problem) => problem.severity === 'error')}
}

/** The version named by --version, else by the tree's path (`tiny_results_v1.3`, `submissions_tiny_v1.4`), else the newest. */
async function chooseVersion(tree: string, flag: CheckVersion | undefined): Promise<{version: CheckVersion; source: CheckResult['versionSource']}> {
  if (flag) return {version: flag, source: 'flag'}
  const named = [...(await realpath(tree)).matchAll(/v(\d+\.\d+)(?![\d.])/g)].pop()
  if (!named) return {version: LATEST_VERSION, source: 'default'}
  const version = `v${named[1]}`
  if (!(CHECK_VERSIONS as readonly string[]).includes(version)) {
    throw fileError(tree, `the path names ${version}, a round the official checker has no rules for: pass --version`
      + ` (${CHECK_VERSIONS.join(', ')})`)
  }
  return {version: version as CheckVersion, source: 'path'}
}

async function subfolders(folder: string): Promise<string[]> {
  const entries = await readdir(folder, {withFileTypes: true}).catch(() => [])
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
}

type Report = (path: string, problem: Omit<CheckProblem, 'path'>) => void

/**
 * The checker's folder rules for a submitter, on one listing that follows no symlink. The checker drops the whole
 * submitter on a symlink, a file over the limit, a `__pycache__` or an empty folder; tinydata reports each and goes on.
 */
async function checkSubmitterFolder(folder: string, tree: string, report: Report): Promise<{dropped: boolean; oversized: Set<string>}> {
  const listing = await listFolder(folder, tree)
  const drop = (path: string, rule: CheckProblem['rule'], message: string) => report(path, {severity: 'error', rule, message, official: true})
  for (const link of listing.symlinks) {
    drop(link.path, 'symlink', `a symbolic link (to ${link.target})${link.leavesTree ? ', outside the tree: not followed' : ''}`)
  }
  const oversized = new Set<string>()
  for (const file of listing.files.filter((listed) => listed.size > FILE_SIZE_LIMIT_BYTES)) {
    oversized.add(file.path)
    drop(file.path, 'file-size', `${file.size} bytes, over the 500 MiB limit for a file: not read`)
  }
  for (const {path, empty} of listing.folders) {
    if (basename(path) === '__pycache__') drop(path, 'pycache', 'a __pycache__ folder: remove it')
    else if (empty) drop(path, 'empty-folder', 'an empty folder: remove it')
  }
  for (const {path, reason} of listing.unreadable) report(path, {severity: 'error', rule: 'unreadable', message: reason, official: false})
  for (const path of [...listing.folders.map((listed) => listed.path).slice(1), ...listing.files.map((listed) => listed.path)]) {
    const name = basename(path)
    if (name.startsWith('.')) report(path, {severity: 'warning', rule: 'file-name', message: 'a name starting with "." (git-unfriendly)', official: true})
    if (name.includes(' ')) report(path, {severity: 'warning', rule: 'file-name', message: 'a name with a space', official: true})
  }
  const dropped = listing.symlinks.length > 0 || oversized.size > 0
    || listing.folders.some(({path, empty}) => empty || basename(path) === '__pycache__')
  return {dropped, oversized}
}

/** `open/<submitter>/model_mapping.json`: folder name → model; a bad file is reported and ignored. */
async function readModelMapping(file: string, report: Report): Promise<Record<string, string> | null> {
  const bytes = await readFile(file).catch(() => null)
  if (bytes === null) return null
  const text = decodeUtf8(bytes)
  let mapping: unknown = null
  try {
    mapping = text === null ? null : JSON.parse(text)
  } catch {
    mapping = null
  }
  const valid = mapping !== null && typeof mapping === 'object' && !Array.isArray(mapping)
    && Object.values(mapping).every((value) => typeof value === 'string')
  if (!valid) {
    report(file, {severity: 'error', rule: 'layout', official: true,
      message: 'not a JSON object of folder names to models (e.g. {"my_resnet": "ic"}): ignored'})
    return null
  }
  return mapping as Record<string, string>
}

