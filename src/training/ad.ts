/**
 * ad01's training data: the DCASE 2020 ToyCar training normals (`<…>/ToyCar/train/normal_id_NN_NNNNNNNN.wav`) in
 * sorted order, each clip's 5-frame log-mel vectors one example each; `train` and `validation` are Keras'
 * `fit(validation_split=0.1)` cut of that array (the first int(0.9 · n) vectors, then the rest), `calibration` the
 * vectors of the clips of anomaly_detection/calibration.txt in its order.
 */
import {posix} from 'node:path'

import {AD_TRAINING_SPLITS, type TrainingSplit} from '../../datasets/training.js'
import type {AdBenchmark} from '../../datasets/types.js'
import {AD_MEL_BANDS, AD_SAMPLE_RATE} from '../audio/ad-features.js'
import {decodeWav} from '../audio/wav.js'
import {fileError, UserError} from '../errors.js'
import {readPinnedFile} from '../formats/pinned-tables.js'
import {firstFew} from '../prepare/shared.js'
import {memberName} from '../prepare/pipeline.js'
import {recipe} from './recipes/ad-vectors.js'
import {runSplit, type SplitOptions, type SplitResult} from './run-split.js'
import type {StagedExample} from './split-file.js'

export interface AdSplitOptions extends SplitOptions {
  benchmark: AdBenchmark
  split: TrainingSplit
}

const IN_FLIGHT_PER_THREAD = 2

export async function prepareAdSplit(options: AdSplitOptions): Promise<SplitResult> {
  const {benchmark, split} = options
  const {layout} = benchmark
  if (split === 'test') throw new UserError('the ad01 test clips are the stimuli themselves: prepare ad --subset all writes every test clip')
  const calibration = split === 'calibration' ? loadCalibrationClips() : undefined
  const wanted = calibration ? new Set(calibration) : undefined
  const warnings: string[] = []
  const {frames} = AD_TRAINING_SPLITS
  return runSplit({
    benchmark: benchmark.id,
    split,
    classNames: benchmark.classNames,
    tensor: {dtype: 'float32', shape: [frames * AD_MEL_BANDS], scale: 1, zeroPoint: 0},
    sourceFiles: benchmark.source.files,
    recipe, setup: {frames}, inFlightPerThread: IN_FLIGHT_PER_THREAD, tensorsPerCandidate: 'many',
    wants(path) {
      const parts = path.split('/')
      const name = parts.at(-1)!
      return parts.at(-2) === layout.trainFolder && parts.at(-3) === layout.machine && layout.clipName.test(name) && (!wanted || wanted.has(name))
    },
    select(member) {
      const name = memberName(options.source, member.path)
      const file = posix.basename(member.path)
      const label = benchmark.classNames.indexOf(layout.clipName.exec(file)![1]!)
      const audio = decodeWav(member.bytes, name)
      if (audio.sampleRate !== AD_SAMPLE_RATE || audio.channels !== 1) {
        throw fileError(name, `is ${audio.sampleRate} Hz with ${audio.channels} channels; the ToyCar clips are 16 kHz mono 16-bit PCM`)
      }
      return [{key: file, member: member.path, label, task: audio.samples}]
    },
    arrange(examples) {
      // Keys are <clip>:<vector>: sorting them is the sorted clips' vectors in order.
      const sorted = [...examples].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      if (calibration) return calibrationRows(sorted, calibration, options)
      const cut = Math.floor(sorted.length * (1 - AD_TRAINING_SPLITS.validationSplit))
      return split === 'train' ? sorted.slice(0, cut) : sorted.slice(cut)
    },
    recipeMeta: {
      reference: 'DCASE 2020 Task 2 baseline common.py file_to_vector_array (n_mels 128, frames 5, n_fft 1024, hop 512, power 2), the ad01 log-mel arithmetic',
      vector: 'frames t…t+4 of the clip, time-major: 640 float32 values',
      split: 'keras fit(validation_split=0.1): the first int(0.9 n) vectors train, the rest validation',
      augmentation: 'none',
    },
    none: `holds no ${layout.machine}/${layout.trainFolder}/ normal clips${calibration ? ' of the calibration list' : ''}`,
  }, options, warnings)
}

/** anomaly_detection/calibration.txt: clip paths; the clips are matched by file name. */
function loadCalibrationClips(): string[] {
  return readPinnedFile(AD_TRAINING_SPLITS.calibrationList).split('\n').filter((line) => line.trim() !== '').map((line) => posix.basename(line.trim()))
}

function calibrationRows(sorted: readonly StagedExample[], clips: readonly string[], options: AdSplitOptions): StagedExample[] {
  const byClip = new Map<string, StagedExample[]>()
  for (const example of sorted) {
    const clip = example.key.slice(0, example.key.lastIndexOf(':'))
    byClip.set(clip, [...(byClip.get(clip) ?? []), example])
  }
  const missing = clips.filter((clip) => !byClip.has(clip))
  if (missing.length > 0 && !options.allowMissing) {
    throw fileError(options.source, `holds ${clips.length - missing.length} of the ${clips.length} clips of ${AD_TRAINING_SPLITS.calibrationList} (missing ${firstFew(missing)}); --allow-missing writes the ones found`)
  }
  return clips.flatMap((clip) => byClip.get(clip) ?? [])
}
