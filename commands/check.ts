import {Args, Flags} from '@oclif/core'

import {TinydataCommand, USER_ERROR_EXIT} from '../src/cli/base-command.js'
import {CHECK_VERSIONS, checkTree} from '../src/check/index.js'
import {writeFinalReport} from '../src/check/final-report.js'
import {checkReportLines, type CheckResultJson, checkResultToJson} from '../src/check/report.js'
import {writeSummaryTable} from '../src/check/table.js'

export default class Check extends TinydataCommand {
  static override summary = 'Check a whole MLPerf Tiny submission tree as MLCommons\' checker does, every figure recomputed from its log'

  static override description = 'Walks <division>/<submitter>/{results,systems}/ and applies the rules of the official'
    + ' submission checker for the round (divisions, system JSON and its Status, required tests and files per runner,'
    + ' the 500 MiB file limit, symlinks, empty folders, accuracy targets, sww01 false positives and negatives, model'
    + ' names). Then what the official checker does not: every figure of every results.txt is recomputed from its raw log'
    + ' by the code of `tinydata score`, and one that differs at its printed precision is an error, as are truncated and'
    + ' debug sessions. One line per problem naming the file or folder (* marks what only tinydata finds), a table per'
    + ' system, and exit code 0 only when the tree passes (2 otherwise).'

  static override args = {
    tree: Args.string({description: 'the root of a submission tree (the folder holding closed/ and open/)', required: true}),
  }

  static override flags = {
    version: Flags.option({
      description: 'the round whose rules apply; default: the one the tree\'s path names (tiny_results_v1.3), else the newest',
      options: CHECK_VERSIONS,
    })(),
    submitter: Flags.string({description: 'check this submitter only (its folder name under closed/ or open/)', helpValue: 'NAME'}),
    csv: Flags.string({
      description: 'write the results table to FILE: the official checker\'s summary.csv columns, then the recomputed'
        + ' figures and the problems of each row (Arrow IPC if FILE ends in .arrow)',
      helpValue: 'FILE',
    }),
    'final-report': Flags.string({
      description: 'write the results workbook (.xlsx) laid out as generate_final_report.py lays it out, from the rows'
        + ' the official checker lists',
      helpValue: 'FILE',
    }),
    repository: Flags.string({
      description: 'the mlcommons repository the final report\'s Details and Code links point into',
      helpValue: 'NAME',
      defaultHelp: async () => 'submissions_tiny_v<version>',
      dependsOn: ['final-report'],
    }),
  }

  static override examples = [
    '<%= config.bin %> <%= command.id %> tiny_results_v1.3',
    '<%= config.bin %> <%= command.id %> submissions_tiny_v1.4 --submitter acme',
    '<%= config.bin %> <%= command.id %> my_submission --version v1.3 --json',
    '<%= config.bin %> <%= command.id %> tiny_results_v1.3 --csv summary.csv --final-report results.xlsx',
  ]

  async run(): Promise<CheckResultJson> {
    const {args, flags} = await this.parse(Check)
    const result = await checkTree(args.tree, {version: flags.version, submitter: flags.submitter})
    if (flags.csv) await writeSummaryTable(flags.csv, result.rows, result.version)
    if (flags['final-report']) {
      await writeFinalReport(flags['final-report'], result.rows, result.version, {repository: flags.repository})
    }
    if (!this.jsonEnabled()) {
      for (const line of checkReportLines(result)) this.log(line)
      const official = result.rows.filter((row) => row.OfficialRow).length
      if (flags.csv) this.log(`wrote ${flags.csv}: ${result.rows.length} row(s), ${official} the official checker lists`)
      if (flags['final-report']) this.log(`wrote ${flags['final-report']}: ${official} row(s) by division`)
    }
    if (!result.passed) process.exitCode = USER_ERROR_EXIT
    return checkResultToJson(result)
  }
}
