import {Flags} from '@oclif/core'

import {ad01} from '../../datasets/ad01.js'
import {TRAINING_SPLITS} from '../../datasets/training.js'
import {AD_SUBSETS} from '../../datasets/types.js'
import {PrepareCommand, selectionFlags, sourceAndOutputFlags} from '../../src/cli/prepare-command.js'
import {describeAdResult} from '../../src/cli/prepare-report.js'
import {modelFlag} from '../../src/cli/stimulus-format.js'
import {prepareAd} from '../../src/prepare/ad.js'
import {prepareAdSplit} from '../../src/training/ad.js'
import {checkSplitFormat, describeSplit} from '../../src/training/split-report.js'

export default class PrepareAd extends PrepareCommand {
  static override summary = 'Make the ad01 stimuli (float32 log-mel spectrograms) from the DCASE 2020 ToyCar test clips'
  static override description = `Reads ${ad01.source.files[0]!.name} (DCASE 2020 Task 2 development data) as a stream, or the folder it was extracted to, and writes <out>/ad01/: y_labels.csv, one 200 x 128 float32 .bin per stimulus and manifest.arrow. The stimuli are selected by file name from dev_data/ToyCar/test/; the librosa 0.6.0 arithmetic of the reference is reproduced so that the bytes equal the official ones.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --source dev_data_ToyCar.zip --out datasets',
    '<%= config.bin %> <%= command.id %> --source dev_data_ToyCar.zip --out datasets --subset alt',
    '<%= config.bin %> <%= command.id %> --source ./dev_data/ToyCar --subset all --json',
    '<%= config.bin %> <%= command.id %> --split train --source dev_data_ToyCar.zip --out training',
  ]

  static override flags = {
    ...sourceAndOutputFlags('ad01', `${ad01.source.files[0]!.name} (zip, tar or tar.gz) or the folder it was extracted to`),
    ...modelFlag,
    subset: Flags.option({
      description: 'official: the 248 official stimuli; alt: the 72 of y_labels_alt.csv; all: every test clip',
      options: AD_SUBSETS,
      default: 'official' as const,
    })(),
    verify: Flags.boolean({description: "check the archive's sha256 against a pinned one (none is published for ToyCar; --no-verify skips the check)", default: true, allowNo: true}),
    ...selectionFlags,
    split: Flags.option({
      description: 'instead of the runner folder, write <out>/ad01-<split>.arrow: the ToyCar training normals as 5-frame log-mel vectors (train and validation: Keras validation_split 0.1 of them; calibration: the clips of calibration.txt), one row per vector (--subset does not apply)',
      options: TRAINING_SPLITS,
    })(),
  }

  async run() {
    const {flags} = await this.parse(PrepareAd)
    if (flags.split) {
      const {split} = flags
      checkSplitFormat(flags.format, flags.model, flags.shard)
      return this.prepareWith('ad01', ad01.source, ad01.source.files[0]!.name, flags, (options) => prepareAdSplit({...options, benchmark: ad01, split}), describeSplit)
    }
    return this.prepareWith('ad01', ad01.source, ad01.source.files[0]!.name, flags,
      (options) => prepareAd({...options, benchmark: ad01, subset: flags.subset}), describeAdResult)
  }
}
