import {Flags} from '@oclif/core'

import {vww01} from '../../datasets/vww01.js'
import {TRAINING_SPLITS} from '../../datasets/training.js'
import {vwCoco2014x96} from '../../datasets/vw-coco2014-96.js'
import {VWW_SUBSETS} from '../../datasets/types.js'
import {PrepareCommand, selectionFlags, sourceAndOutputFlags, verifyFlag} from '../../src/cli/prepare-command.js'
import {describeVwwResult} from '../../src/cli/prepare-report.js'
import {modelFlag} from '../../src/cli/stimulus-format.js'
import {prepareVww} from '../../src/prepare/vww.js'
import {checkSplitFormat, describeSplit} from '../../src/training/split-report.js'
import {prepareVwwSplit} from '../../src/training/vww.js'

export default class PrepareVww extends PrepareCommand {
  static override summary = 'Make the vww01 stimuli (uint8 96×96×3 RGB) from COCO val2017'
  static override description = `Reads the COCO images (${vww01.images.name}, streamed, or a folder of <12-digit id>.jpg) and writes <out>/vww01/: y_labels.csv, one <id>.bin per stimulus and manifest.arrow. The pixels are scikit-image 0.18's anti-aliased resize exactly as the official files were made (uint8 Gaussian, the original machine's affine parameters, bilinear warp, truncation). --subset all labels every image of the annotations by the Silicon Labs rule (the open-division data set). Needs the optional package sharp.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --source val2017.zip --out datasets',
    '<%= config.bin %> <%= command.id %> --source ./val2017 --allow-missing --no-verify',
    '<%= config.bin %> <%= command.id %> --source val2017.zip --subset all --annotations annotations_trainval2017.zip --json',
    '<%= config.bin %> <%= command.id %> --split train --source vw_coco2014_96.tar.gz --out training',
  ]

  static override flags = {
    ...sourceAndOutputFlags('vww01', `COCO image zip (${vww01.images.name}) or a folder of <12-digit id>.jpg`),
    annotations: Flags.string({description: `--subset all: ${vww01.annotationsMember}, or ${vww01.annotations.name} or its extracted folder; default: the download cache`}),
    ...modelFlag,
    subset: Flags.option({description: 'official: the 1000 official images; all: every image the Silicon Labs rule labels (open division)', options: VWW_SUBSETS, default: 'official' as const})(),
    ...verifyFlag,
    ...selectionFlags,
    split: Flags.option({
      description: 'instead of the runner folder, write <out>/vww01-<split>.arrow from the Silicon Labs training archive vw_coco2014_96.tar.gz: train or validation as train_vww.py splits it (Keras validation_split 0.1), one row per image (--subset does not apply)',
      options: TRAINING_SPLITS,
    })(),
  }

  async run() {
    const {flags} = await this.parse(PrepareVww)
    if (flags.split) {
      const {split} = flags
      checkSplitFormat(flags.format, flags.model, flags.shard)
      const archive = vwCoco2014x96.files[0]!.name
      return this.prepareWith('vww01', vwCoco2014x96, archive, flags, (options) => prepareVwwSplit({...options, benchmark: vww01, split}), describeSplit)
    }
    const annotations = flags.annotations ?? (flags.subset === 'all' ? await this.cachedSource(vww01.source, vww01.annotations.name, flags) : undefined)
    return this.prepareWith('vww01', vww01.source, vww01.images.name, flags,
      (options) => prepareVww({...options, benchmark: vww01, subset: flags.subset, annotations}), describeVwwResult)
  }
}
