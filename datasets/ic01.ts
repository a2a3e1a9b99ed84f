import type {IcBenchmark} from './types.js'
import {OFFICIAL_STIMULI_TABLE} from '../src/formats/pinned-tables.js'
import {cifar10} from './cifar10.js'

/**
 * ic01: image classification on 200 CIFAR-10 test images, 32 × 32 × 3 uint8 HWC RGB (spec stimuli.md §3). The images
 * are picked by index into the test batch, in y_labels.csv order, from one of two official lists.
 */
export const ic01: IcBenchmark = {
  id: 'ic01',
  source: cifar10,
  archive: cifar10.files.find((file) => file.name === 'cifar-10-binary.tar.gz')!,
  testBatchMember: 'cifar-10-batches-bin/test_batch.bin',
  testImages: 10_000,
  classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  lists: {
    'v0.7': {
      description: 'the balanced list, 20 images per class (mlcommons/tiny since 7a738cd, 2022-02-15)',
      indexTable: 'manifests/ic01/ic01_test_batch_index.tsv',
    },
    'v0.5': {
      description: 'the first list (eembc/energyrunner ef399b9), still used by some v0.7–v1.3 submissions',
      indexTable: 'manifests/ic01/ic01_v0.5_test_batch_index.tsv',
    },
  },
  defaultList: 'v0.7',
  /** Official bytes are pinned for the v0.5 list (three of its files are in the v0.7 list too). */
  officialStimuli: {table: OFFICIAL_STIMULI_TABLE, set: 'ic01_v0.5'},
  shape: [32, 32, 3],
  // pretrainedResnet_quant.tflite input: int8, scale 1, zero point −128; the device sends byte − 128, so the model
  // sees the byte itself (stimuli.md §3).
  quantization: {dtype: 'uint8', scale: 1, zeroPoint: 0, origin: 'pretrainedResnet_quant.tflite input tensor (scale 1, zero point −128) after the device subtracts 128'},
  recipe: {
    source: 'CIFAR-10 binary test batch: 1 label byte + 1024 R + 1024 G + 1024 B per record',
    layout: 'HWC RGB: out[(y*32+x)*3+c] = planar[c*1024+y*32+x]',
    resize: 'none',
    normalisation: 'none (the device subtracts 128)',
  },
}
