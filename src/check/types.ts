/** What `tinydata check` finds in a submission tree: problems, a summary per system, the results table. */

import type {CheckVersion} from './rules.js'
import type {SummaryRow} from './summary-row.js'

export type Severity = 'error' | 'warning'

/** Which rule a problem breaks; stable names for --json readers. */
export type ProblemRule =
  | 'layout' | 'symlink' | 'file-size' | 'pycache' | 'empty-folder' | 'file-name' | 'unreadable'
  | 'system-json' | 'availability' | 'model-name' | 'required-test' | 'unexpected-test' | 'file-list' | 'runner-marker'
  | 'figure-missing' | 'accuracy-target' | 'sww-detections'
  | 'figure-disagrees' | 'not-recomputable' | 'truncated-session' | 'debug-session' | 'log-warning'

export interface CheckProblem {
  /** The file or folder, relative to the tree. */
  path: string
  severity: Severity
  rule: ProblemRule
  message: string
  /** MLCommons' checker reports it too; false: found only by recomputing or by tinydata's stricter reading. */
  official: boolean
}

export interface SystemSummary {
  /** `<division>/<submitter>/results/<system>`, relative to the tree. */
  path: string
  division: string
  submitter: string
  system: string
  /** Model folders under the system, and test folders (accuracy, performance, energy) under those. */
  models: number
  testFolders: number
  errors: number
  warnings: number
}

export interface CheckOptions {
  /** The rules of this round; default: the one the tree's path names (`tiny_results_v1.3`), else the newest. */
  version?: CheckVersion
  /** Check this submitter only (the folder name under the division). */
  submitter?: string
}

export interface CheckResult {
  tree: string
  version: CheckVersion
  /** Where the version came from. */
  versionSource: 'flag' | 'path' | 'default'
  problems: CheckProblem[]
  systems: SystemSummary[]
  rows: SummaryRow[]
  /** No error anywhere (warnings allowed). */
  passed: boolean
}
