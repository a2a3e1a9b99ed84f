/**
 * The reference training splits and calibration sets (issue 18): which examples each split holds, where the published
 * counts and lists come from. The stages in src/training/ apply these rules; nothing here is code.
 */
import {SPEECH_COMMANDS_TEST_READ, type TfdsReadOrderOptions} from '../src/selection/tfds-read-order.js'

export type TrainingSplit = 'train' | 'validation' | 'test' | 'calibration'
export const TRAINING_SPLITS: readonly TrainingSplit[] = ['train', 'validation', 'test', 'calibration']

/**
 * TFDS `speech_commands` 0.0.2 (tensorflow_datasets/audio/speech_commands.py; shard lengths from
 * testing/metadata/speech_commands/0.0.2/dataset_info.json; 0.0.3 changed only the dtype and has the same shards), read
 * by keyword_spotting/get_dataset.py.
 */
export const SPEECH_COMMANDS_SPLITS = {
  /** The main archive's two lists; every other `.wav` of the archive is in the train split. */
  validationList: 'validation_list.txt',
  testingList: 'testing_list.txt',
  /** Added to the validation list by the TFDS builder ("original validation files did include silence"). */
  validationNoise: '_background_noise_/running_tap.wav',
  /** Background clips are cut into one-second windows every half second: starts 0, 8000, … while start < n − 16000. */
  silenceWindow: 16_000,
  silenceHop: 8_000,
  /** The published example counts (dataset_info.json numExamples). */
  counts: {train: 85_511, validation: 10_102, test: 4_890},
  /** How TFDS reads each split back: its shards, and `ReadConfig`'s interleave (cycle 16, block 16). */
  read: {
    train: {split: 'train', shards: 64, blockLength: 16, cycleLength: 16},
    validation: {split: 'validation', shards: 8, blockLength: 16, cycleLength: 16},
    test: SPEECH_COMMANDS_TEST_READ,
  } satisfies Record<'train' | 'validation' | 'test', TfdsReadOrderOptions>,
  /** keyword_spotting/quant_cal_idxs.txt: positions in the validation split's read order (sorted before use). */
  calibrationIndices: 'manifests/training/kws_quant_cal_idxs.txt',
} as const

/**
 * CIFAR-10 as image_classification/train.py loads it: the five training batches in order (records 0–9999 of
 * data_batch_1, then data_batch_2, …), the test batch as the test split; train.py validates on the test batch, so
 * there is no validation split of its own.
 */
export const CIFAR10_SPLITS = {
  trainBatches: [1, 2, 3, 4, 5].map((n) => `cifar-10-batches-bin/data_batch_${n}.bin`),
  testBatch: 'cifar-10-batches-bin/test_batch.bin',
  imagesPerBatch: 10_000,
  counts: {train: 50_000, test: 10_000},
} as const

/**
 * The Silicon Labs archive as train_vww.py reads it: Keras `flow_from_directory` with `validation_split=0.1`. The
 * classes are the sorted sub-folders (non_person 0, person 1); in each, the image files in sorted order, the first
 * int(0.1 × n) of them for `validation` and the rest for `training`. Random augmentation (rotation, shifts, zoom,
 * flips) is applied by train_vww.py while training and is left out here.
 */
export const VWW_TRAINING_SPLITS = {
  root: 'vw_coco2014_96',
  validationSplit: 0.1,
  side: 96,
  /** Keras' white-listed image extensions (lower-cased file name endings). */
  imageExtensions: ['png', 'jpg', 'jpeg', 'bmp', 'ppm', 'tif', 'tiff'],
} as const

/**
 * The DCASE 2020 Task 2 baseline as anomaly_detection/00_train.py uses it: the machine's `train/` clips in sorted
 * order, each cut into 5-frame log-mel vectors (frames t…t+4, time-major: 640 float32 values), every vector one
 * training example. baseline.yaml's `fit.validation_split: 0.1` is Keras' cut: the last 10 % of the vectors (taken
 * from the DCASE baseline's baseline.yaml; mlcommons/tiny's copy was not readable here).
 */
export const AD_TRAINING_SPLITS = {
  frames: 5,
  validationSplit: 0.1,
  calibrationList: 'manifests/training/ad_calibration.txt',
} as const
