/**
 * ad01 on the shared pipeline: the DCASE 2020 ToyCar test clips of a pinned list (or all of them), made into float32
 * log-mel spectrograms of 200 frames × 128 bands that the runners send in 5-frame windows.
 */
import {basename} from 'node:path'

import {AD_MIN_SAMPLES, AD_SAMPLE_RATE, frameCount} from '../audio/ad-features.js'
import {int16LittleEndianBytes} from '../audio/little-endian.js'
import {decodeWav} from '../audio/wav.js'
import {fileError} from '../errors.js'
import {officialStimulusHashes, parityWithPinned, type Parity} from '../formats/pinned-tables.js'
import {sha256Hex} from '../io/hash.js'
import {loadAdList} from './ad-lists.js'
import type {AdBenchmark, AdSourceLayout, AdSubset, AdWindowing} from '../../datasets/types.js'
import {recipe} from './recipes/ad.js'
import {inListOrder, memberName, runnerHashes, runPipeline, type Arrangement, type Made, type PipelineOptions} from './pipeline.js'
import {someParity, type PrepareResultBase, resultBase} from './shared.js'

export interface PrepareAdOptions extends PipelineOptions {
  benchmark: AdBenchmark
  subset?: AdSubset
}

export interface PrepareAdResult extends PrepareResultBase {
  subset: AdSubset
  /** ToyCar test clips in the source (all of them, selected or not). */
  clipsRead: number
  /**
   * How the runners slice each runner stimulus (the last two fields of its y_labels.csv). With --format model each
   * window is its own int8 tensor, and y_labels.csv says 640,640 instead.
   */
  windowing: AdWindowing
  /** official and alt subsets: how many stimuli of the pinned list the source held. */
  official: {list: string; expected: number; found: number; missing: string[]} | null
  /** Written files whose bytes equal the official file of the same name, through the pinned sha256 values. */
  parity: Parity | null
}

/** A ToyCar test clip of the source, as its name describes it. */
interface ToyCarClip {
  /** `normal_id_01_00000003.wav` */
  file: string
  className: string
}

/** Clips in flight per thread: enough to keep every thread busy while the main thread reads and inflates the archive. */
const IN_FLIGHT_PER_THREAD = 4

export async function prepareAd(options: PrepareAdOptions): Promise<PrepareAdResult> {
  const {benchmark} = options
  const {layout, windowing} = benchmark
  const subset = options.subset ?? 'official'
  const listPath = subset === 'all' ? undefined : benchmark.lists[subset]
  const list = listPath === undefined ? undefined : loadAdList(listPath, benchmark.classNames.length, windowing.bytes, windowing.strideBytes)
  const listed = new Map(list?.map((entry) => [entry.file, entry]))
  const sourceFile = benchmark.source.files[0]!
  const warnings: string[] = []
  let clipsRead = 0
  let trainingClips = 0

  const result = await runPipeline({
    id: benchmark.id,
    classNames: benchmark.classNames,
    subset,
    // The values are stored as they are: the device quantises them itself (recipe.device_quantization).
    stimulus: {dtype: benchmark.dtype, shape: benchmark.shape, scale: 1, zeroPoint: 0},
    sourceFiles: [sourceFile],
    recipe, setup: undefined, inFlightPerThread: IN_FLIGHT_PER_THREAD,
    // Only the test clips the selection wants are read: the training clips (most of dev_data_ToyCar.zip) and the
    // test clips off the list are counted, never inflated.
    wants(path) {
      const place = toyCarPlace(path, layout)
      if (place === 'training') trainingClips++
      if (place === undefined || place === 'training') return false
      if (place.machine !== undefined) {
        throw fileError(options.source, `holds ${place.machine} clips (${path}); ${benchmark.id} is made from the ${layout.machine} clips of ${sourceFile.name}`)
      }
      clipsRead++
      return list === undefined || listed.has(stimulusName(place.clip.file, layout))
    },
    select(member) {
      const {clip} = toyCarPlace(member.path, layout) as {clip: ToyCarClip}
      const file = stimulusName(clip.file, layout)
      const samples = decodeClip(member.bytes, memberName(options.source, member.path))
      // The list's label where there is a list (the official y_labels.csv), else the class the name says.
      const label = listed.get(file)?.label ?? benchmark.classNames.indexOf(clip.className)
      return [{key: file, member: member.path, sourceSha256: sha256Hex(int16LittleEndianBytes(samples)), label, task: samples}]
    },
    sameKey: 'first',
    afterReading() {
      if (clipsRead > 0) return
      const expected = `${layout.testFolder}/{normal,anomaly}_id_NN_NNNNNNNN.wav under dev_data/${layout.machine}/`
      throw fileError(
        options.source,
        trainingClips > 0
          ? `holds only training clips (${layout.trainFolder}/); ${benchmark.id} is made from the ${layout.machine} test clips (${expected}) of ${sourceFile.name}`
          : `holds no DCASE 2020 ${layout.machine} test clips (${expected}); ${benchmark.id} is made from ${sourceFile.name}`,
      )
    },
    arrange: (made) => (list ? inListOrder(made, list.map((entry) => entry.file)) : {rows: inOfficialOrder(made), missing: []}),
    describe: {
      none: () => `holds none of the ${list!.length} ${subset} ${benchmark.id} clips (selected by name: ${list![0]!.file} is made from ${layout.testFolder}/${clipName(list![0]!.file, layout)})`,
      selection: `${subset} ${benchmark.id} clips`,
    },
    windowing,
    recipeMeta: benchmark.recipe,
    extraMeta: () => ({window: {frames: windowing.frames, bytes: windowing.bytes, stride_bytes: windowing.strideBytes, per_stimulus: windowing.perStimulus}}),
  }, options, warnings)

  if (result.source.checksum === 'not verified (no published checksum)') {
    warnings.push(`${basename(options.source)}: not verified, because no checksum of ${sourceFile.name} is published (DCASE gives none); this file's sha256 is ${result.source.sha256}`)
  }
  return {
    ...resultBase(benchmark.id, result),
    subset,
    clipsRead,
    windowing,
    official: list && listPath ? {list: basename(listPath), expected: list.length, found: result.rows.length, missing: result.missing} : null,
    parity: someParity(parityWithPinned(runnerHashes(result.rows), officialStimulusHashes(benchmark.officialStimuli))),
  }
}

/**
 * Where a member sits in the DCASE layout `dev_data/<machine>/{train,test}/<clip>.wav`: a test clip (of another
 * machine when `machine` is set), a training clip, or nothing of ad01's (undefined). Clips at the top of a folder
 * count as test clips, for a `--source` that points at `test/` itself.
 */
function toyCarPlace(path: string, layout: AdSourceLayout): 'training' | {clip: ToyCarClip; machine: string | undefined} | undefined {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.')
  const file = parts.at(-1)!
  const match = layout.clipName.exec(file)
  if (!match) return undefined
  const folder = parts.at(-2)
  if (folder === layout.trainFolder) return 'training'
  if (folder !== undefined && folder !== layout.testFolder) return undefined
  const machine = parts.at(-3)
  return {
    clip: {file, className: match[1]!},
    machine: machine !== undefined && layout.otherMachines.includes(machine) ? machine : undefined,
  }
}

/** `normal_id_01_00000003.wav` → `normal_id_01_00000003_hist_librosa.bin`, and back. */
function stimulusName(clipFile: string, layout: AdSourceLayout): string {
  return clipFile.replace(/\.wav$/, layout.stimulusSuffix)
}

function clipName(stimulusFile: string, layout: AdSourceLayout): string {
  return `${stimulusFile.slice(0, -layout.stimulusSuffix.length)}.wav`
}

/** A ToyCar clip: 16 kHz mono 16-bit PCM, long enough for frames 50–249 (stimuli.md §4.1, §4.2 step 4). */
function decodeClip(bytes: Uint8Array, name: string): Int16Array {
  const audio = decodeWav(bytes, name)
  if (audio.sampleRate !== AD_SAMPLE_RATE || audio.channels !== 1) {
    throw fileError(name, `is ${audio.sampleRate} Hz with ${audio.channels} channels; DCASE ToyCar clips are 16 kHz mono 16-bit PCM`)
  }
  if (audio.samples.length < AD_MIN_SAMPLES) {
    throw fileError(name, `has ${audio.samples.length} samples (${frameCount(audio.samples.length)} frames); ad01 keeps frames 50-249, so a clip needs at least ${AD_MIN_SAMPLES} samples (250 frames)`)
  }
  return audio.samples
}

/**
 * Every test clip in the order of the official list (stimuli.md §4.1): normal before anomaly, then by machine id,
 * then by clip number; the zero-padded names sort that way within a class.
 */
function inOfficialOrder(made: readonly Made<object>[]): Arrangement<object>['rows'] {
  return [...made].sort((a, b) => a.label - b.label || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((stimulus) => ({file: stimulus.key, made: stimulus}))
}

