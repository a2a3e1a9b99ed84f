/**
 * ic01's training data: CIFAR-10 as image_classification/train.py loads it, the five training batches in order
 * (train) and the test batch (test), each image the ic01 stimulus bytes (32 × 32 × 3 uint8 HWC RGB).
 */
import {posix} from 'node:path'

import {CIFAR10_SPLITS, type TrainingSplit} from '../../datasets/training.js'
import type {IcBenchmark} from '../../datasets/types.js'
import {CIFAR_CLASSES, readCifarBatch} from '../image/cifar.js'
import {fileError, UserError} from '../errors.js'
import {memberName} from '../prepare/pipeline.js'
import {recipe} from '../prepare/recipes/ic.js'
import {runSplit, type SplitOptions, type SplitResult} from './run-split.js'

export interface IcSplitOptions extends SplitOptions {
  benchmark: IcBenchmark
  split: TrainingSplit
}

export async function prepareIcSplit(options: IcSplitOptions): Promise<SplitResult> {
  const {benchmark, split} = options
  if (split === 'validation') {
    throw new UserError('ic01 has no validation split: image_classification/train.py validates on the test batch (--split test)')
  }
  if (split === 'calibration') {
    throw new UserError('the ic01 calibration list (image_classification/calibration_samples_idxs.npy, indices into the test batch) is not pinned in this version; see manifests/training/README.md')
  }
  const batches: readonly string[] = split === 'train' ? CIFAR10_SPLITS.trainBatches : [CIFAR10_SPLITS.testBatch]
  const batchNames = batches.map((path) => posix.basename(path))
  const found = new Set<string>()
  const warnings: string[] = []
  return runSplit({
    benchmark: benchmark.id,
    split,
    classNames: benchmark.classNames,
    tensor: {dtype: 'uint8', shape: benchmark.shape, scale: benchmark.quantization.scale, zeroPoint: benchmark.quantization.zeroPoint},
    sourceFiles: [benchmark.archive],
    recipe, setup: undefined, inFlightPerThread: 64, threads: 1,
    wants: (path) => batchNames.includes(posix.basename(path)),
    select(member) {
      const name = memberName(options.source, member.path)
      const batch = readCifarBatch(member.bytes, CIFAR10_SPLITS.imagesPerBatch, name)
      found.add(posix.basename(member.path))
      return Array.from({length: batch.count}, (_, index) => {
        const label = batch.label(index)
        if (label >= CIFAR_CLASSES) throw fileError(name, `image ${index} has label ${label}; CIFAR-10 labels are 0–${CIFAR_CLASSES - 1}`)
        return {key: `${posix.basename(member.path)}:${String(index).padStart(4, '0')}`, member: member.path, label, task: batch.planar(index).slice()}
      })
    },
    afterReading() {
      const missing = batchNames.filter((name) => !found.has(name))
      if (missing.length > 0) throw fileError(options.source, `holds no ${missing.join(', ')}; the ${split} split is read from the CIFAR-10 binary archive ${benchmark.archive.name}`)
    },
    // Batch by batch in their order, each batch's records in file order (train.py concatenates them so).
    arrange: (examples) => [...examples].sort((a, b) => {
      const [batchA, batchB] = [batchNames.indexOf(a.key.split(':')[0]!), batchNames.indexOf(b.key.split(':')[0]!)]
      return batchA - batchB || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
    }),
    publishedCount: CIFAR10_SPLITS.counts[split],
    recipeMeta: {...benchmark.recipe, quantization_parameters: benchmark.quantization, augmentation: 'none'},
    none: `holds none of ${batchNames.join(', ')}`,
  }, options, warnings)
}
