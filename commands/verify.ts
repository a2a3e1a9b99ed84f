import {Args, Flags} from '@oclif/core'

import {RUNNER_BENCHMARK_IDS} from '../src/benchmark-ids.js'
import {TinydataCommand, USER_ERROR_EXIT} from '../src/cli/base-command.js'
import {snakeCaseKeys} from '../src/formats/json-case.js'
import {UserError} from '../src/errors.js'
import {verifyFailureSummary, verifyFolder, verifyReportLines} from '../src/verify/verify.js'

export default class Verify extends TinydataCommand {
  static override summary = 'Check a runner datasets folder: every listed file present, sizes, manifest.arrow, and identity with the official stimuli'

  static override description = 'Reads <dir>/y_labels.csv (written by tinydata or not), checks that every file it lists is'
    + ' there with the size of its benchmark, that each matches manifest.arrow where there is one, and, where the names'
    + ' are an official set, compares each file with the pinned sha256 of the official stimulus. Exits 2 on a broken'
    + ' folder or on any difference from the official set (unless --allow-diff). With --json the result is printed'
    + ' whether it passes or not, and the exit code says which. An sww01 folder (told by its truth JSON: the runner\'s'
    + ' sww_*_test.json) is checked its own way: each JSON against the runner\'s form (wav_file present, windows sorted'
    + ' and inside length_sec), each WAV it names against the canonical form the interface board plays (44-byte header,'
    + ' 16-bit PCM, two identical channels, 16 kHz) and, where a published runner file has its name, against that'
    + ' file\'s git blob id (a difference fails unless --allow-diff). A folder named ic02 (or given --benchmark ic02) is'
    + ' checked as ic01\'s stimuli, which the v1.4 ic02 benchmark runs.'

  static override args = {
    dir: Args.string({description: 'a runner datasets folder holding y_labels.csv (for example datasets/kws01), or an sww01 folder', required: true}),
  }

  static override flags = {
    'allow-diff': Flags.boolean({
      description: 'report differences from the official set but do not fail on them (an open-division set that differs on purpose)',
      default: false,
    }),
    benchmark: Flags.option({
      description: 'the benchmark the folder is for, where its name does not say it: ic02 (v1.4) runs ic01\'s stimuli',
      options: RUNNER_BENCHMARK_IDS,
    })(),
  }

  static override examples = [
    '<%= config.bin %> <%= command.id %> datasets/kws01',
    '<%= config.bin %> <%= command.id %> ~/eembc/runner/benchmarks/ulp-mlperf/datasets/vww01 --json',
    '<%= config.bin %> <%= command.id %> open/kws01 --allow-diff',
    '<%= config.bin %> <%= command.id %> datasets/sww01',
    '<%= config.bin %> <%= command.id %> datasets/ic01 --benchmark ic02',
  ]

  async run() {
    const {args, flags} = await this.parse(Verify)
    const result = await verifyFolder(args.dir, {allowDiff: flags['allow-diff'], benchmark: flags.benchmark})
    if (this.jsonEnabled()) {
      // CI wants the details and a failing status: the result is printed as it is, with exit code 2.
      if (!result.ok) process.exitCode = USER_ERROR_EXIT
      return snakeCaseKeys(result)
    }
    for (const line of verifyReportLines(result)) this.log(line)
    if (!result.ok) throw new UserError(verifyFailureSummary(result))
    return snakeCaseKeys(result)
  }
}
