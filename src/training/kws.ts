/**
 * kws01's training data: the TFDS `speech_commands` train, validation and test splits and the reference calibration
 * set, each clip made into the same stimulus bytes as `prepare kws` (int8 MFCC by default, or lfbe / td_samples), in
 * TFDS read order.
 */
import {posix} from 'node:path'

import {speechCommands, speechCommandsTest} from '../../datasets/speech-commands.js'
import {SPEECH_COMMANDS_SPLITS, type TrainingSplit} from '../../datasets/training.js'
import type {KwsBenchmark, KwsVariant, Precision, Quantization} from '../../datasets/types.js'
import {openSource} from '../archives/source-reader.js'
import {CLIP_SAMPLES} from '../audio/kws-features.js'
import {decodeSpeechCommandsWav, oneSecondClip} from '../audio/speech-commands-clip.js'
import {fileError} from '../errors.js'
import {readPinnedFile} from '../formats/pinned-tables.js'
import {memberName} from '../prepare/pipeline.js'
import {recipe, type KwsSetup} from '../prepare/recipes/kws.js'
import {tfdsReadOrder} from '../selection/tfds-read-order.js'
import {runSplit, type SplitOptions, type SplitResult} from './run-split.js'
import type {StagedExample} from './split-file.js'
import {
  isBackgroundNoise, silenceWindowStarts, speechCommandsKey, speechCommandsLabel, speechCommandsLists, speechCommandsSplitOf,
  type SpeechCommandsLists,
} from './speech-commands-splits.js'

export interface KwsSplitOptions extends SplitOptions {
  benchmark: KwsBenchmark
  split: TrainingSplit
  variant?: KwsVariant
  precision?: Precision
}

export interface KwsSplitResult extends SplitResult {
  variant: KwsVariant
  precision: Precision
  quantization: Quantization
}

/** Clips in flight per thread, as `prepare kws`. */
const IN_FLIGHT_PER_THREAD = 8

/** The archive each split is read from: the test split is the test-set archive, the others the full one. */
export function kwsSplitSource(split: TrainingSplit) {
  return split === 'test' ? speechCommandsTest : speechCommands
}

export async function prepareKwsSplit(options: KwsSplitOptions): Promise<KwsSplitResult> {
  const {benchmark, split} = options
  const variantName = options.variant ?? benchmark.defaultVariant
  const variant = benchmark.variants[variantName]
  const precision = options.precision ?? 'exact'
  const quantization = variant.quantization
  const sourceFile = kwsSplitSource(split).files[0]!
  const calibration = split === 'calibration' ? loadCalibrationIndices() : undefined
  const lists = split === 'test' ? undefined : await readLists(options.source, sourceFile.name, split)
  // The calibration examples are positions in the validation split: that split is made, then the positions kept.
  const member = split === 'calibration' ? 'validation' : split
  const warnings: string[] = []
  let clips = 0

  const setup: KwsSetup = {variant: variantName, quantization, precision}
  const result = await runSplit({
    benchmark: benchmark.id,
    split,
    classNames: benchmark.classNames,
    tensor: {dtype: quantization.dtype, shape: variant.shape, scale: quantization.scale, zeroPoint: quantization.zeroPoint},
    sourceFiles: [sourceFile],
    recipe, setup, inFlightPerThread: IN_FLIGHT_PER_THREAD,
    wants(path) {
      if (!lists && isBackgroundNoise(path)) {
        throw fileError(options.source, `holds ${path}, so it is the full Speech Commands archive; the test split is the test-set archive ${sourceFile.name}`)
      }
      return path.endsWith('.wav') && (!lists || speechCommandsSplitOf(path, lists) === member)
    },
    select(clip) {
      const name = memberName(options.source, clip.path)
      const folder = posix.basename(posix.dirname(clip.path))
      if (folder === '.' || folder === '') return [] // a .wav at the top of the archive is no clip of a label folder
      clips++
      const label = speechCommandsLabel(folder)
      const samples = decodeSpeechCommandsWav(clip.bytes, name)
      if (isBackgroundNoise(clip.path)) {
        return silenceWindowStarts(samples.length).map((start) => ({
          key: speechCommandsKey(clip.path, start), member: clip.path, label, task: samples.slice(start, start + CLIP_SAMPLES),
        }))
      }
      return [{key: speechCommandsKey(clip.path), member: clip.path, label, task: oneSecondClip(samples, name)}]
    },
    arrange(examples) {
      const ordered = tfdsReadOrder(examples, (example) => example.key, SPEECH_COMMANDS_SPLITS.read[member])
      return calibration ? calibrationRows(ordered, calibration, options.source) : ordered
    },
    publishedCount: split === 'calibration' ? calibration!.length : SPEECH_COMMANDS_SPLITS.counts[member],
    recipeMeta: {variant: variantName, precision, ...variant.recipe, quantization_parameters: quantization, augmentation: 'none'},
    none: `holds no .wav clips of the ${member} split in Speech Commands label folders (<word>/<clip>.wav)`,
  }, options, warnings)
  if (clips === 0) throw fileError(options.source, 'holds no clips')
  return {...result, variant: variantName, precision, quantization}
}

/**
 * The two list files of the full archive, read before the clips (their place in the archive is not known, and every
 * clip's split depends on them): the reading stops as soon as both are found.
 */
async function readLists(source: string, archive: string, split: TrainingSplit): Promise<SpeechCommandsLists> {
  const {validationList, testingList} = SPEECH_COMMANDS_SPLITS
  const wanted = new Set<string>([validationList, testingList])
  const found = new Map<string, string>()
  const reader = await openSource(source, {largestMember: speechCommands.files[0]!.largestMember})
  for await (const member of reader.members((path) => wanted.has(posix.basename(path)) && !path.includes('/'))) {
    found.set(posix.basename(member.path), new TextDecoder().decode(member.bytes))
    if (found.size === wanted.size) break
  }
  const missing = [...wanted].filter((name) => !found.has(name))
  if (missing.length > 0) {
    throw fileError(source, `holds no ${missing.join(' or ')} at its top: the ${split} split is decided by the lists of the full Speech Commands archive (${archive})`)
  }
  return speechCommandsLists(found.get(validationList)!, found.get(testingList)!)
}

/** keyword_spotting/quant_cal_idxs.txt, sorted as get_dataset.py sorts it. */
export function loadCalibrationIndices(): number[] {
  const path = SPEECH_COMMANDS_SPLITS.calibrationIndices
  const indices = readPinnedFile(path).split('\n').filter((line) => line.trim() !== '').map((line, row) => {
    if (!/^\s*\d+\s*$/.test(line)) throw fileError(path, `line ${row + 1} is "${line}", not an index`)
    return Number(line)
  })
  return indices.sort((a, b) => a - b)
}

/** The validation examples at the (sorted) calibration indices; an index past the end is a UserError naming the list. */
export function calibrationRows(validation: readonly StagedExample[], indices: readonly number[], source: string): StagedExample[] {
  const last = indices.at(-1)!
  if (last >= validation.length) {
    throw fileError(SPEECH_COMMANDS_SPLITS.calibrationIndices, `index ${last} is past the end of the validation split (${validation.length} examples in ${source})`)
  }
  return indices.map((index) => validation[index]!)
}

