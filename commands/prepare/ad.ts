import {Flags} from '@oclif/core'

import {ad01} from '../../datasets/ad01.js'
import {TinydataCommand} from '../../src/cli/base-command.js'
import {formatFlag, modelFlag, modelInputForFormat} from '../../src/cli/stimulus-format.js'
import {prepareProgressPrinter} from '../../src/cli/progress.js'
import {cacheFlags, cachedSourceFile} from '../../src/cli/cached-source.js'
import {prepareAd, type PrepareAdResult} from '../../src/prepare/ad.js'
import {describeAdResult} from '../../src/cli/prepare-report.js'
import {AD_SUBSETS, type AdSubset} from '../../datasets/types.js'

export default class PrepareAd extends TinydataCommand {
  static override summary = 'Make the ad01 stimuli (float32 log-mel spectrograms) from the DCASE 2020 ToyCar test clips'
  static override description = `Reads ${ad01.source.files[0]!.name} (DCASE 2020 Task 2 development data) as a stream, or the folder it was extracted to, and writes <out>/ad01/: y_labels.csv, one 200 x 128 float32 .bin per stimulus and manifest.arrow. The stimuli are selected by file name from dev_data/ToyCar/test/; the librosa 0.6.0 arithmetic of the reference is reproduced so that the bytes equal the official ones.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --source dev_data_ToyCar.zip --out datasets',
    '<%= config.bin %> <%= command.id %> --source dev_data_ToyCar.zip --out datasets --subset alt',
    '<%= config.bin %> <%= command.id %> --source ./dev_data/ToyCar --subset all --json',
  ]

  static override flags = {
    source: Flags.string({description: `${ad01.source.files[0]!.name} (zip, tar or tar.gz) or the folder it was extracted to; default: the download cache (fetched if missing, see tinydata download)`}),
    ...cacheFlags,
    ...formatFlag,
    ...modelFlag,
    out: Flags.string({description: "the runner's datasets folder; stimuli go to <out>/ad01/", default: 'stimuli'}),
    subset: Flags.string({
      description: 'official: the 248 official stimuli; alt: the 72 of y_labels_alt.csv; all: every test clip',
      options: [...AD_SUBSETS],
      default: 'official',
    }),
    verify: Flags.boolean({description: "check the archive's sha256 against a pinned one (none is published for ToyCar; --no-verify skips the check)", default: true, allowNo: true}),
    'allow-missing': Flags.boolean({description: 'write the stimuli found even if the source lacks some of the list', default: false}),
    threads: Flags.integer({description: 'threads computing stimuli (default: one per CPU)', min: 1}),
  }

  async run(): Promise<PrepareAdResult> {
    const {flags} = await this.parse(PrepareAd)
    const archive = ad01.source.files[0]!.name
    const source = flags.source ?? (await cachedSourceFile(ad01.source, archive, {...flags, showProgress: this.showsProgress}))
    const progress = prepareProgressPrinter(this.showsProgress, 'ad01')
    const result = await prepareAd({
      modelInput: await modelInputForFormat('ad01', flags.format, flags.model),
      benchmark: ad01,
      source,
      out: flags.out,
      subset: flags.subset as AdSubset,
      verify: flags.verify,
      allowMissing: flags['allow-missing'],
      threads: flags.threads,
      onProgress: progress.update,
    })
    progress.done()
    if (!this.jsonEnabled()) this.log(describeAdResult(result))
    return result
  }
}
