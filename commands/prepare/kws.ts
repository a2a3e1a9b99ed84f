import {Flags} from '@oclif/core'

import {kws01} from '../../datasets/kws01.js'
import {TRAINING_SPLITS} from '../../datasets/training.js'
import {KWS_VARIANTS} from '../../datasets/types.js'
import {PrepareCommand, selectionFlags, sourceAndOutputFlags, verifyFlag} from '../../src/cli/prepare-command.js'
import {describeKwsResult} from '../../src/cli/prepare-report.js'
import {prepareKws} from '../../src/prepare/kws.js'
import {kwsSplitSource, prepareKwsSplit} from '../../src/training/kws.js'
import {checkSplitFormat, describeSplit} from '../../src/training/split-report.js'

export default class PrepareKws extends PrepareCommand {
  static override summary = 'Make the kws01 stimuli (int8 MFCC, or the kws01-open lfbe / td_samples) from Speech Commands'
  static override description = `Reads the Speech Commands v0.02 test-set archive (${kws01.source.files[0]!.name}) as a stream, or the folder it was extracted to, and writes <out>/kws01/: y_labels.csv, one .bin per stimulus and manifest.arrow. The official subset is the 1000 official clips, found by the sha256 of their samples; the float32 arithmetic of TensorFlow is emulated so that the bytes equal the official ones.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --source speech_commands_test_set_v0.02.tar.gz --out datasets',
    '<%= config.bin %> <%= command.id %> --source speech_commands_test_set_v0.02.tar.gz --out datasets --variant lfbe',
    '<%= config.bin %> <%= command.id %> --source ./speech_commands_test --subset test --no-verify --json',
    '<%= config.bin %> <%= command.id %> --split train --source speech_commands_v0.02.tar.gz --out training',
  ]

  static override flags = {
    ...sourceAndOutputFlags('kws01', 'Speech Commands test-set archive (tar.gz or tar) or the folder it was extracted to'),
    variant: Flags.option({description: 'feature variant: mfcc (kws01), lfbe or td_samples (kws01-open)', options: KWS_VARIANTS, default: 'mfcc' as const})(),
    subset: Flags.option({description: 'official: the 1000 official stimuli; test: every clip of the test split', options: ['official', 'test'] as const, default: 'official' as const})(),
    precision: Flags.option({
      description: "exact: TensorFlow's float32 arithmetic (official bytes); float64: a double-precision cross-check, a few values off by one",
      options: ['exact', 'float64'] as const,
      default: 'exact' as const,
    })(),
    ...verifyFlag,
    ...selectionFlags,
    model: Flags.string({description: "take the input scale and zero point from this .tflite model's input tensor (with --format model: the model whose input is written)"}),
    split: Flags.option({
      description: 'instead of the runner folder, write <out>/kws01-<split>.arrow: a TFDS speech_commands split (train and validation from the full archive, test from the test-set archive) or the reference calibration set, one row per example (--subset does not apply)',
      options: TRAINING_SPLITS,
    })(),
  }

  async run() {
    const {flags} = await this.parse(PrepareKws)
    if (flags.split) {
      const {split} = flags
      checkSplitFormat(flags.format, flags.model, flags.shard)
      const dataset = kwsSplitSource(split)
      return this.prepareWith('kws01', dataset, dataset.files[0]!.name, flags,
        (options) => prepareKwsSplit({...options, benchmark: kws01, split, variant: flags.variant, precision: flags.precision}),
        describeSplit)
    }
    return this.prepareWith('kws01', kws01.source, kws01.source.files[0]!.name, flags,
      (options) => prepareKws({...options, benchmark: kws01, variant: flags.variant, subset: flags.subset, precision: flags.precision, model: flags.model}),
      (result) => describeKwsResult(result, kws01.knownParityMisses[result.variant]))
  }
}
