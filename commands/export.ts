import {Args, Flags} from '@oclif/core'

import {TinydataCommand} from '../src/cli/base-command.js'
import {exportFolder, exportReportLines, RUNNERS} from '../src/export/export.js'
import {snakeCaseKeys} from '../src/formats/json-case.js'

export default class Export extends TinydataCommand {
  static override summary = 'Copy a prepared folder into the layout a runner reads (EEMBC EnergyRunner, MLCommons runner, or the sww01 interface board\'s SD card)'

  static override description = 'Copies (or hard-links with --link) y_labels.csv and every file it lists to'
    + ' ~/eembc/runner/benchmarks/ulp-mlperf/datasets/<id>/ (eembc) or <to>/<id>/ (mlcommons, where <to> is main.py\'s'
    + ' --dataset_path). Each file is written under a temporary name, checked (size and sha256) and then renamed.'
    + ' An existing identical file is kept; a different one is only replaced with --force. A folder with missing or'
    + ' wrong-sized files is not exported. An sww01 folder (the runner\'s truth JSON and the WAVs it names) goes to'
    + ' <to>/sww01/ for the MLCommons runner, or, with --runner sd-card, its WAVs go to <to>, the root of the interface'
    + ' board\'s SD card; it is exported only if every WAV has the canonical form the board plays.'

  static override args = {
    dir: Args.string({description: 'the prepared folder holding y_labels.csv (for example datasets/kws01), or an sww01 folder', required: true}),
  }

  static override flags = {
    runner: Flags.option({description: 'the runner whose layout to write', options: RUNNERS, required: true})(),
    to: Flags.string({
      description: 'the datasets root: files go to <to>/<id>/ (required for mlcommons; eembc default ~/eembc/runner/benchmarks/ulp-mlperf/datasets); for sd-card, the card\'s root',
      helpValue: 'DIR',
    }),
    force: Flags.boolean({description: 'replace existing files that differ', default: false}),
    link: Flags.boolean({description: 'hard-link instead of copying (same file system only)', default: false}),
  }

  static override examples = [
    '<%= config.bin %> <%= command.id %> datasets/kws01 --runner eembc',
    '<%= config.bin %> <%= command.id %> datasets/vww01 --runner mlcommons --to ~/tiny/benchmark/runner/datasets --link',
    '<%= config.bin %> <%= command.id %> datasets/sww01 --runner sd-card --to /media/SDCARD',
  ]

  async run() {
    const {args, flags} = await this.parse(Export)
    const result = await exportFolder({source: args.dir, runner: flags.runner, to: flags.to, force: flags.force, link: flags.link})
    if (!this.jsonEnabled()) for (const line of exportReportLines(result)) this.log(line)
    return snakeCaseKeys(result)
  }
}
