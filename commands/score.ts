import {Args, Flags} from '@oclif/core'

import {TinydataCommand} from '../src/cli/base-command.js'
import {
  scoreReportLines, scoreResultPath, scoreResultToJson, type ScoreResultJson, writePredictions,
} from '../src/scoring/index.js'

export default class Score extends TinydataCommand {
  static override summary = 'Recompute Top-1, AUC, throughput and energy from MLPerf Tiny result logs'

  static override description = 'Reads a published result folder (or one log) and recomputes its figures from the raw'
    + ' log, trace and results.json, as the EnergyRunner or the Python runner computes them; the figures of'
    + ' results.txt are shown beside them. Truncated sessions, debug sessions and missing traces are flagged.'

  static override strict = false

  static override args = {
    path: Args.string({
      description: 'a log (log.txt, *_log.txt, .gz too) or a result folder (accuracy/, performance/, energy/); several allowed',
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
  }

  static override examples = [
    '<%= config.bin %> <%= command.id %> tiny_results_v1.0/closed/reference/results/NUCLEO-L4R5ZI/kws/accuracy',
    '<%= config.bin %> <%= command.id %> results/*/kws/performance --json',
    '<%= config.bin %> <%= command.id %> my_run/log.txt --labels datasets/vww01 --convention py --predictions vww.arrow',
  ]

  async run(): Promise<ScoreResultJson | ScoreResultJson[]> {
    const {argv, flags} = await this.parse(Score)
    const results = []
    for (const path of argv as string[]) {
      results.push(await scoreResultPath(path, {labels: flags.labels, convention: flags.convention}))
    }
    if (flags.predictions) {
      const rows = await writePredictions(flags.predictions, results)
      if (rows === 0) this.warn(`${flags.predictions}: no accuracy result, so no per-stimulus prediction was written`)
    }
    if (!this.jsonEnabled()) {
      for (const result of results) {
        for (const line of scoreReportLines(result)) this.log(line)
        for (const warning of result.warnings) this.warn(`${result.path}: ${warning}`)
        this.log('')
      }
    }
    const json = results.map((result) => scoreResultToJson(result))
    return json.length === 1 ? json[0] : json
  }
}
