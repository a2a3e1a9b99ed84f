/**
 * `tinydata score --report FILE`: the scored results as one self-contained HTML page (summary, per-class accuracy,
 * confusion matrix, ROC curves, misclassified stimuli with previews). Figures come from src/scoring unchanged.
 */


import type {AgainstResult} from '../scoring/against.js'
import type {ScoreResult} from '../scoring/index.js'

import {writeFileAtomically} from '../io/atomic-write.js'
import {reportDocument} from './html.js'
import {loadPreviews, stimuliFolder} from './previews.js'

export interface ScoreReportOptions {
  /** The folder holding the stimulus .bin files, for previews of the misclassified ones. */
  stimuli?: string
  /** The `--labels` the results were scored with: without `stimuli`, its folder is searched for the stimuli. */
  labels?: string
  /** Misclassified stimuli listed per result (default 100): a report of a poor model stays small. */
  misclassifiedLimit?: number
  /** `score --against`: the device result's comparison with the golden run, shown in its section. */
  against?: AgainstResult
}

const DEFAULT_MISCLASSIFIED_LIMIT = 100

/** One page, one section per result in the given order. */
export async function scoreReportHtml(results: readonly ScoreResult[], options: ScoreReportOptions = {}): Promise<string> {
  const folder = await stimuliFolder(options)
  const misclassifiedLimit = options.misclassifiedLimit ?? DEFAULT_MISCLASSIFIED_LIMIT
  const sections = []
  for (const result of results) {
    const against = options.against?.device === result.log ? options.against : undefined
    const listed = [
      ...result.predictions.filter((prediction) => !prediction.correct).slice(0, misclassifiedLimit),
      ...(against?.disagreements.slice(0, misclassifiedLimit) ?? []),
    ].map((stimulus) => stimulus.file)
    const previews = result.mode === 'accuracy' ? await loadPreviews(result.benchmark, [...new Set(listed)], folder) : null
    sections.push({result, previews, misclassifiedLimit, against})
  }
  return reportDocument(sections)
}

/** Writes the report atomically (a temporary file renamed), so a failed run leaves no half-written page. */
export async function writeScoreReport(file: string, results: readonly ScoreResult[],
  options: ScoreReportOptions = {}): Promise<void> {
  await writeFileAtomically(file, await scoreReportHtml(results, options))
}
