import {Args, Flags} from '@oclif/core'

import {RUNNER_BENCHMARK_IDS} from '../src/benchmark-ids.js'
import {TinydataCommand} from '../src/cli/base-command.js'
import {closedDivisionWarning} from '../src/cli/official-bytes-warning.js'
import {exportFolder, exportReportLines, RUNNERS} from '../src/export/export.js'
import {snakeCaseKeys} from '../src/formats/json-case.js'

export default class Export extends TinydataCommand {
  static override summary = 'Copy a prepared folder into the layout a runner reads (EEMBC EnergyRunner, MLCommons runner, or the sww01 interface board\'s SD card)'

  static override description = 'Copies (or hard-links with --link) y_labels.csv and every file it lists to'
    + ' <root>/eembc/runner/benchmarks/ulp-mlperf/datasets/<id>/ (eembc; <root> is the root= of ~/.eembc.ini, your home'
    + ' folder by default) or <to>/<id>/ (mlcommons, where <to> is main.py\'s --dataset_path). An ic02 folder (v1.4: ic01\'s'
    + ' stimuli, named ic02 or given --benchmark ic02) goes to …/datasets/ic02/ for the EnergyRunner, which reads the folder'
    + ' the device\'s model names, and to <to>/ic01/ for the MLCommons runner, whose tests_*.yaml read ic02\'s stimuli there.'
    + ' Each file is written under a temporary name, checked (size and sha256) and then renamed.'
    + ' An existing identical file is kept; a different one is only replaced with --force. A folder with missing or'
    + ' wrong-sized files is not exported. An sww01 folder (the runner\'s truth JSON and the WAVs it names) goes to'
    + ' <to>/sww01/ for the MLCommons runner, or, with --runner sd-card, its WAVs go to <to>, the root of the interface'
    + ' board\'s SD card; it is exported only if every WAV has the canonical form the board plays.'
    + ' Files that differ from the official bytes (an open-division set) are exported with a warning, as a closed-division'
    + ' submission needs identical files; --require-official refuses such a folder instead.'

  static override args = {
    dir: Args.string({description: 'the prepared folder holding y_labels.csv (for example datasets/kws01), or an sww01 folder', required: true}),
  }

  static override flags = {
    runner: Flags.option({description: 'the runner whose layout to write', options: RUNNERS, required: true})(),
    to: Flags.string({
      description: 'the datasets root: files go to <to>/<id>/ (required for mlcommons; eembc default <root>/eembc/runner/benchmarks/ulp-mlperf/datasets, <root> from ~/.eembc.ini); for sd-card, the card\'s root',
      helpValue: 'DIR',
    }),
    benchmark: Flags.option({
      description: 'the benchmark the folder is for, where its name does not say it: ic02 (v1.4) runs ic01\'s stimuli',
      options: RUNNER_BENCHMARK_IDS,
    })(),
    force: Flags.boolean({description: 'replace existing files that differ', default: false}),
    link: Flags.boolean({description: 'hard-link instead of copying (same file system only)', default: false}),
    'require-official': Flags.boolean({description: 'refuse a folder whose stimuli are not byte-identical to the official ones (a closed-division submission)', default: false}),
  }

  static override examples = [
    '<%= config.bin %> <%= command.id %> datasets/kws01 --runner eembc',
    '<%= config.bin %> <%= command.id %> datasets/vww01 --runner mlcommons --to ~/tiny/benchmark/runner/datasets --link',
    '<%= config.bin %> <%= command.id %> datasets/ic01 --runner eembc --benchmark ic02',
    '<%= config.bin %> <%= command.id %> datasets/sww01 --runner sd-card --to /media/SDCARD',
  ]

  async run() {
    const {args, flags} = await this.parse(Export)
    const result = await exportFolder({
      source: args.dir, runner: flags.runner, to: flags.to, benchmark: flags.benchmark, force: flags.force, link: flags.link,
      requireOfficial: flags['require-official'],
    })
    if (!this.jsonEnabled()) for (const line of exportReportLines(result)) this.log(line)
    const warning = closedDivisionWarning(result.source, result.officialBytes)
    if (warning) this.warn(warning)
    return snakeCaseKeys(result)
  }
}
