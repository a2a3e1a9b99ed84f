import {Args, Flags} from '@oclif/core'

import {TinydataCommand} from '../src/cli/base-command.js'
import {snakeCaseKeys} from '../src/formats/json-case.js'
import {mergeShards} from '../src/merge/merge.js'

export default class Merge extends TinydataCommand {
  static override summary = 'Join the folders of prepare --shard i/n into the folder one prepare writes'

  static override description = 'Reads each shard folder\'s manifest.arrow and y_labels.csv and writes <out>/<benchmark>/:'
    + ' the stimuli, y_labels.csv and manifest.arrow in the official order, byte for byte what one unsharded prepare of'
    + ' the same source writes. It refuses, writing nothing, unless the shards are the parts 1…n of one run (the same'
    + ' benchmark, source sha256, options and selection), no file is in two shards, none of the selection is missing,'
    + ' and every stimulus has the sha256 its manifest lists.'

  static override strict = false

  static override args = {
    shards: Args.string({description: 'the shard folders prepare --shard wrote (<out>/<benchmark>-shard-<i>-of-<n>), in any order', required: true}),
  }

  static override flags = {
    out: Flags.string({description: "the runner's datasets folder; the merged folder is <out>/<benchmark>/", default: 'stimuli'}),
    force: Flags.boolean({description: 'replace <out>/<benchmark>/ even where it holds files tinydata did not write (they are deleted with it)', default: false}),
  }

  static override examples = [
    '<%= config.bin %> <%= command.id %> stimuli/kws01-shard-*-of-4 --out stimuli',
    '<%= config.bin %> <%= command.id %> part1/vww01-shard-1-of-2 part2/vww01-shard-2-of-2 --out datasets --json',
  ]

  async run() {
    const {argv, flags} = await this.parse(Merge)
    const result = await mergeShards({shards: argv as string[], out: flags.out, force: flags.force})
    if (!this.jsonEnabled()) {
      const parts = result.shards.map(({path, files}) => `${path} (${files})`).join(', ')
      this.log(`Merged ${result.shards.length} shards of ${result.benchmark} into ${result.outputDir}/: ${result.filesWritten} files with y_labels.csv and manifest.arrow`)
      this.log(`  shards     ${parts}: nothing twice, nothing missing, every stimulus as its manifest lists`)
      this.log(`  source     ${result.source.file}${result.source.sha256 ? ` (sha256 ${result.source.sha256})` : ''}`)
    }
    return snakeCaseKeys(result)
  }
}
