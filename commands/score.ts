import {Args, Flags} from '@oclif/core'

import {TinydataCommand, USER_ERROR_EXIT} from '../src/cli/base-command.js'
import {UserError} from '../src/errors.js'
import {writeScoreReport} from '../src/report/index.js'
import {againstReportLines, againstResultToJson, type AgainstResultJson, compareWithGolden} from '../src/scoring/against.js'
import {
  findResultFolders, isFolderAboveResults, noResultFolderError, pathUnder, type ScoreResult, scoreReportLines,
  scoreResultPath, scoreResultToJson, type ScoreResultJson, scoreSummaryLines, writePredictions,
} from '../src/scoring/index.js'

/** A log or result folder to score: named on the command line, or found under a folder that was. */
interface ScoreTarget {
  path: string
  /** In the summary table: relative to the PATH it was found under. */
  shown: string
  /** Why there is nothing to score (a folder with no result folder under it), reported in its place. */
  error: UserError | null
}

/** A PATH of several that could not be scored: in the JSON array in its place, and exit code 2. */
interface PathFailureJson {
  path: string
  error: {code: 'user_error'; message: string}
}

export default class Score extends TinydataCommand {
  static override summary = 'Recompute Top-1, AUC, throughput, energy and sww01 detections from MLPerf Tiny result logs'

  static override description = 'Reads a published result folder (or one log) and recomputes its figures from the raw'
    + ' log, trace and results.json, as the EnergyRunner or the Python runner computes them; the figures of'
    + ' results.txt are shown beside them. Truncated sessions, debug sessions and missing traces are flagged. A sww01'
    + ' (streaming wake word) folder gets true / false positives against the truth windows, the duty cycle and, in'
    + ' energy mode, the power, as the Python runner and the submission checker compute them.'

  static override strict = false

  static override args = {
    path: Args.string({
      description: 'a log (log.txt, *_log.txt, .gz too), a result folder (accuracy/, performance/, energy/), or a folder'
        + ' above result folders (a system, a submitter, a division, a whole tree: every result folder under it, sorted,'
        + ' then a summary table); several allowed, and one that cannot be scored does not stop the others (exit code 2)',
      required: true,
    }),
  }

  static override flags = {
    labels: Flags.string({
      description: 'y_labels.csv (or a prepared folder holding one) to use instead of the official list matching the log',
      helpValue: 'FILE',
    }),
    convention: Flags.option({
      description: 'score with the EnergyRunner (er) or Python-runner (py) formulas; default: the log\'s own runner',
      options: ['er', 'py'] as const,
    })(),
    predictions: Flags.string({
      description: 'write every scored stimulus (outputs, prediction) to FILE: Arrow IPC, or CSV if FILE ends in .csv',
      helpValue: 'FILE',
    }),
    against: Flags.string({
      description: 'compare the device log PATH with a golden log (tinydata infer) stimulus by stimulus: agreement,'
        + ' Top-1 of each, largest output difference, the disagreements',
      helpValue: 'GOLDEN_LOG',
    }),
    report: Flags.string({
      description: 'write an HTML report to FILE: figures, per-class accuracy, confusion matrix, ROC curves,'
        + ' misclassified stimuli, the timeline of a sww01 WAV; one section per PATH (with --against, the comparison too)',
      helpValue: 'FILE',
    }),
    stimuli: Flags.string({
      description: 'the folder holding the .bin stimuli, for previews in --report (default: the --labels folder)',
      helpValue: 'DIR',
      dependsOn: ['report'],
    }),
  }

  static override examples = [
    '<%= config.bin %> <%= command.id %> tiny_results_v1.0/closed/reference/results/NUCLEO-L4R5ZI/kws/accuracy',
    '<%= config.bin %> <%= command.id %> results/*/kws/performance --json',
    '<%= config.bin %> <%= command.id %> tiny_results_v1.3/closed/STMicroelectronics/results/NUCLEO_U385RG_Q',
    '<%= config.bin %> <%= command.id %> my_run/log.txt --labels datasets/vww01 --convention py --predictions vww.arrow',
    '<%= config.bin %> <%= command.id %> results/*/kws/accuracy --report kws.html --stimuli datasets/kws01',
    '<%= config.bin %> <%= command.id %> my_run/kws/accuracy --against kws01-golden_log.txt',
    '<%= config.bin %> <%= command.id %> results/*/sww/energy --report sww.html',
  ]

  async run(): Promise<AgainstResultJson | ScoreResultJson | (ScoreResultJson | PathFailureJson)[]> {
    const {argv, flags} = await this.parse(Score)
    const paths = argv as string[]
    if (flags.against) return this.against(paths, flags.against, flags)
    const {targets, walked} = await this.scoreTargets(paths)
    // One log or result folder named alone fails as a one-line error; among several, or found under a tree (a broken
    // folder among fifty), a failure is reported in its place and the rest is still scored.
    const alone = paths.length === 1 && !walked
    const results: ScoreResult[] = []
    const failures = new Map<string, string>()
    for (const target of targets) {
      try {
        if (target.error) throw target.error
        results.push(await scoreResultPath(target.path, {labels: flags.labels, convention: flags.convention}))
      } catch (error) {
        if (alone || !(error instanceof UserError)) throw error
        failures.set(target.path, error.message)
      }
    }
    if (failures.size > 0) process.exitCode = USER_ERROR_EXIT
    if (flags.predictions) {
      const rows = await writePredictions(flags.predictions, results)
      if (rows === 0) this.warn(`${flags.predictions}: no accuracy result, so no per-stimulus prediction was written`)
      else this.wrote(flags.predictions, `${rows} scored stimuli`)
    }
    if (flags.report) {
      await writeScoreReport(flags.report, results, {stimuli: flags.stimuli, labels: flags.labels})
      this.wrote(flags.report, `the HTML report of ${results.length} result(s)`)
    }
    const scored = new Map(results.map((result) => [result.path, result]))
    if (!this.jsonEnabled()) {
      for (const result of results) {
        for (const line of scoreReportLines(result)) this.log(line)
        for (const warning of result.warnings) this.warn(`${result.path}: ${warning}`)
        this.log('')
      }
      for (const message of failures.values()) this.printError(message)
      if (walked) {
        const rows = targets.map((target) => ({
          path: target.shown, result: scored.get(target.path) ?? null, error: failures.get(target.path) ?? null,
        }))
        for (const line of scoreSummaryLines(rows)) this.log(line)
      }
    }
    if (alone) return scoreResultToJson(results[0])
    return targets.map(({path}) => {
      const result = scored.get(path)
      return result ? scoreResultToJson(result) : {path, error: {code: 'user_error', message: failures.get(path)!}}
    })
  }

  /** What a flag wrote, said on stderr (stdout holds the report, or the JSON document). */
  private wrote(file: string, what: string): void {
    if (!this.jsonEnabled()) process.stderr.write(`wrote ${file}: ${what}\n`)
  }

  /** The PATHs, each folder above result folders replaced by the result folders under it, in a stable order. */
  private async scoreTargets(paths: string[]): Promise<{targets: ScoreTarget[]; walked: boolean}> {
    const targets: ScoreTarget[] = []
    let walked = false
    for (const path of paths) {
      if (!(await isFolderAboveResults(path))) {
        targets.push({path, shown: path, error: null})
        continue
      }
      walked = true
      const tree = await findResultFolders(path)
      for (const skipped of tree.skipped) this.warn(`${skipped.path}: ${skipped.reason}`)
      if (tree.folders.length === 0) {
        if (paths.length === 1) throw noResultFolderError(path)
        targets.push({path, shown: path, error: noResultFolderError(path)})
      }
      // under one PATH, the summary's folders read best relative to it; under several, they stay whole
      for (const folder of tree.folders) {
        targets.push({path: folder, shown: paths.length === 1 ? pathUnder(path, folder) : folder, error: null})
      }
    }
    return {targets, walked}
  }

  /** `--against`: the device log and the golden log scored alike (same labels, the device's convention), then compared. */
  private async against(
    paths: string[], golden: string,
    flags: {labels?: string; convention?: 'er' | 'py'; predictions?: string; report?: string; stimuli?: string},
  ): Promise<AgainstResultJson> {
    if (paths.length !== 1) throw new UserError(`--against compares one device log with the golden log, not ${paths.length}`)
    const device = await scoreResultPath(paths[0], {labels: flags.labels, convention: flags.convention})
    const reference = await scoreResultPath(golden, {labels: flags.labels, convention: device.convention})
    const result = compareWithGolden(device, reference)
    if (flags.predictions) this.wrote(flags.predictions, `${await writePredictions(flags.predictions, [device])} scored stimuli`)
    if (flags.report) {
      await writeScoreReport(flags.report, [device], {stimuli: flags.stimuli, labels: flags.labels, against: result})
      this.wrote(flags.report, 'the HTML report of the device against the golden run')
    }
    if (!this.jsonEnabled()) {
      for (const line of againstReportLines(result)) this.log(line)
      for (const scored of [device, reference]) for (const warning of scored.warnings) this.warn(`${scored.path}: ${warning}`)
    }
    return againstResultToJson(result)
  }
}
