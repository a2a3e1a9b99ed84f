/**
 * vww01's training data: Silicon Labs' vw_coco2014_96 archive split as train_vww.py splits it (Keras
 * `validation_split=0.1`, src/training/keras-directory-split.ts), each image its decoded 96 × 96 × 3 uint8 RGB pixels.
 */
import {posix} from 'node:path'

import {VWW_TRAINING_SPLITS, type TrainingSplit} from '../../datasets/training.js'
import type {VwwBenchmark} from '../../datasets/types.js'
import {vwCoco2014x96} from '../../datasets/vw-coco2014-96.js'
import {fileError, UserError} from '../errors.js'
import {memberName} from '../prepare/pipeline.js'
import {isKerasImage, kerasClasses, kerasSubset} from './keras-directory-split.js'
import {recipe} from './recipes/vww-image.js'
import {runSplit, type SplitOptions, type SplitResult} from './run-split.js'
import type {StagedExample} from './split-file.js'

export interface VwwSplitOptions extends SplitOptions {
  benchmark: VwwBenchmark
  split: TrainingSplit
}

const IN_FLIGHT_PER_THREAD = 16

export async function prepareVwwSplit(options: VwwSplitOptions): Promise<SplitResult> {
  const {benchmark, split} = options
  if (split === 'test') throw new UserError('vww01 has no test split in the training code: train_vww.py makes only training and validation subsets')
  if (split === 'calibration') {
    throw new UserError('the vww01 calibration list (visual_wake_words/calibration_data.txt) is not pinned in this version; see manifests/training/README.md')
  }
  const {classNames} = benchmark
  const warnings: string[] = []
  return runSplit({
    benchmark: benchmark.id,
    split,
    classNames,
    tensor: {dtype: 'uint8', shape: benchmark.shape, scale: benchmark.quantization.scale, zeroPoint: 0},
    sourceFiles: vwCoco2014x96.files,
    recipe, setup: undefined, inFlightPerThread: IN_FLIGHT_PER_THREAD,
    wants: (path) => classFile(path) !== undefined && isKerasImage(posix.basename(path), VWW_TRAINING_SPLITS.imageExtensions),
    select(member) {
      const {className, path} = classFile(member.path)!
      const label = classNames.indexOf(className)
      if (label < 0) {
        throw fileError(options.source, `holds ${member.path} in a folder ${className}/: Keras would make it a class of its own, and the Silicon Labs archive has only ${classNames.join('/ and ')}/`)
      }
      const key = `${className}/${path}`
      // A copy with its own buffer, which moves to a worker (the reader's bytes may share a larger one).
      return [{key, member: member.path, label, task: {image: new Uint8Array(member.bytes), name: memberName(options.source, member.path), side: VWW_TRAINING_SPLITS.side}}]
    },
    arrange(examples) {
      const files = examples.map((example) => ({...example, className: example.key.split('/')[0]!, path: example.key.slice(example.key.indexOf('/') + 1)}))
      const classes = kerasClasses(files)
      if (classes.join() !== classNames.join()) {
        throw fileError(options.source, `holds the class folders ${classes.join(', ')}; train_vww.py's classes are ${classNames.join(', ')} (both must hold images)`)
      }
      return kerasSubset(files, VWW_TRAINING_SPLITS.validationSplit, split === 'train' ? 'training' : 'validation')
        .map(({key, label, sourceMember, offset}): StagedExample => ({key, label, sourceMember, offset}))
    },
    recipeMeta: {
      reference: 'train_vww.py: ImageDataGenerator(validation_split=0.1, rescale=1/255).flow_from_directory(target_size=(96, 96), color_mode="rgb")',
      decode: benchmark.recipe.decode, layout: 'HWC RGB, 27648 bytes', rescale: 'the model divides by 255 (tensor scale)',
      augmentation: 'none (train_vww.py rotates, shifts, zooms and flips at random while training)',
    },
    none: `holds no images in ${classNames.map((name) => `${name}/`).join(' or ')} folders`,
  }, options, warnings)
}

/** `[vw_coco2014_96/]<class>/<path>`: the class folder and the path below it; undefined for anything else. */
function classFile(path: string): {className: string; path: string} | undefined {
  const parts = path.split('/')
  if (parts[0] === VWW_TRAINING_SPLITS.root) parts.shift()
  if (parts.length < 2) return undefined
  return {className: parts[0]!, path: parts.slice(1).join('/')}
}
