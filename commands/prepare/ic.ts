import {Flags} from '@oclif/core'

import {ic01} from '../../datasets/ic01.js'
import {TRAINING_SPLITS} from '../../datasets/training.js'
import {IC_LISTS, IC_SUBSETS} from '../../datasets/types.js'
import {PrepareCommand, sourceAndOutputFlags, verifyFlag} from '../../src/cli/prepare-command.js'
import {describeIcResult} from '../../src/cli/prepare-report.js'
import {modelFlag} from '../../src/cli/stimulus-format.js'
import {prepareIc} from '../../src/prepare/ic.js'
import {prepareIcSplit} from '../../src/training/ic.js'
import {checkSplitFormat, describeSplit} from '../../src/training/split-report.js'

export default class PrepareIc extends PrepareCommand {
  static override summary = 'Make the ic01 stimuli (uint8 32×32×3 RGB) from the CIFAR-10 binary archive'
  static override description = `Reads ${ic01.testBatchMember} from the CIFAR-10 binary archive (${ic01.archive.name}) as a stream, or from the folder it was extracted to, and writes <out>/ic01/: y_labels.csv, one .bin per stimulus (the test image's planes interleaved to HWC) and manifest.arrow. The official images are picked by their index into the test batch, from the pinned v0.7 (balanced, current) or v0.5 list.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --source cifar-10-binary.tar.gz --out datasets',
    '<%= config.bin %> <%= command.id %> --source cifar-10-binary.tar.gz --out datasets --list v0.5',
    '<%= config.bin %> <%= command.id %> --source ./cifar-10-batches-bin --subset test --json',
    '<%= config.bin %> <%= command.id %> --split train --source cifar-10-binary.tar.gz --out training',
  ]

  static override flags = {
    ...sourceAndOutputFlags('ic01', 'the CIFAR-10 binary archive (tar.gz or tar) or the folder it was extracted to'),
    ...modelFlag,
    list: Flags.option({description: 'official list: v0.7 (balanced, 20 per class; current) or v0.5 (the first list)', options: IC_LISTS, default: ic01.defaultList})(),
    subset: Flags.option({description: 'official: the 200 images of the list; test: all 10,000 test images (test_NNNNN_<class>_<label>.bin)', options: IC_SUBSETS, default: 'official' as const})(),
    ...verifyFlag,
    split: Flags.option({
      description: 'instead of the runner folder, write <out>/ic01-<split>.arrow: train (data_batch_1…5, 50,000 images) or test (the test batch), one row per image (--list and --subset do not apply)',
      options: TRAINING_SPLITS,
    })(),
  }

  async run() {
    const {flags} = await this.parse(PrepareIc)
    if (flags.split) {
      const {split} = flags
      checkSplitFormat(flags.format, flags.model, flags.shard)
      return this.prepareWith('ic01', ic01.source, ic01.archive.name, flags, (options) => prepareIcSplit({...options, benchmark: ic01, split}), describeSplit)
    }
    return this.prepareWith('ic01', ic01.source, ic01.archive.name, flags,
      (options) => prepareIc({...options, benchmark: ic01, list: flags.list, subset: flags.subset}), describeIcResult)
  }
}
