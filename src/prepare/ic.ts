/**
 * ic01 on the shared pipeline: 200 images of the CIFAR-10 binary test batch picked by index from an official list (or
 * all 10,000), their planar records interleaved into 32 × 32 × 3 uint8 HWC.
 */
import {posix} from 'node:path'

import {fileError} from '../errors.js'
import {officialStimulusHashes, parityWithPinned, type Parity} from '../formats/pinned-tables.js'
import {CIFAR_CLASSES, readCifarBatch, type CifarBatch} from '../image/cifar.js'
import {sha256Hex} from '../io/hash.js'
import {loadIcList, type IcListEntry} from './ic-list.js'
import type {IcBenchmark, IcList, IcSubset} from '../../datasets/types.js'
import {recipe} from './recipes/ic.js'
import {memberName, runnerHashes, runPipeline, type PipelineOptions} from './pipeline.js'
import {type PrepareResultBase, resultBase} from './shared.js'

export interface PrepareIcOptions extends Omit<PipelineOptions, 'allowMissing' | 'threads'> {
  benchmark: IcBenchmark
  list?: IcList
  subset?: IcSubset
}

export interface PrepareIcResult extends PrepareResultBase {
  /** The official list written (null for `--subset test`). */
  list: IcList | null
  subset: IcSubset
  /** Member of the source holding the test batch. */
  testBatch: string
  official: {expected: number; found: number; missing: string[]} | null
  /** Official files whose pinned bytes are known: for `test`, compared through their index into the test batch. */
  parity: Parity
}

/** Folder of the python version of CIFAR-10, whose batches are pickles. */
const PYTHON_ARCHIVE_FOLDER = 'cifar-10-batches-py'
/** `--subset test` names: `test_<index, 5 digits>_<class>_<label>.bin`, in test-batch order. */
const TEST_INDEX_DIGITS = 5

/** Images made at once in the calling thread: each is written as it is made, so this bounds the writes in flight. */
const IN_FLIGHT = 32

export async function prepareIc(options: PrepareIcOptions): Promise<PrepareIcResult> {
  const {benchmark} = options
  const subset = options.subset ?? 'official'
  const list = options.list ?? benchmark.defaultList
  const batchFile = posix.basename(benchmark.testBatchMember)
  const warnings: string[] = []
  let testBatch: string | undefined

  const result = await runPipeline({
    id: benchmark.id,
    classNames: benchmark.classNames,
    subset,
    stimulus: {dtype: benchmark.quantization.dtype, shape: benchmark.shape, scale: benchmark.quantization.scale, zeroPoint: benchmark.quantization.zeroPoint},
    sourceFiles: [benchmark.archive],
    recipe, setup: undefined, inFlightPerThread: IN_FLIGHT, threads: 1,
    // Only the test batch is read: the five training batches (30 MB each) are skipped unread.
    wants(path) {
      if (path.split('/').includes(PYTHON_ARCHIVE_FOLDER)) {
        throw fileError(options.source, `holds ${PYTHON_ARCHIVE_FOLDER}/, the python version of CIFAR-10; ic01 is made from the binary archive ${benchmark.archive.name} (${benchmark.archive.url})`)
      }
      return posix.basename(path) === batchFile
    },
    select(member) {
      const name = memberName(options.source, member.path)
      const batch = readCifarBatch(member.bytes, benchmark.testImages, name)
      testBatch ??= member.path
      const rows = subset === 'official' ? officialRows(batch, loadIcList(benchmark.lists[list].indexTable), list, name) : testRows(batch, benchmark, name)
      return rows.map(({file, index, label}) => {
        const planar = batch.planar(index)
        return {key: file, member: `${member.path}#${index}`, sourceSha256: sha256Hex(planar), label, task: planar}
      })
    },
    sameKey: 'first',
    afterReading() {
      if (!testBatch) throw fileError(options.source, `holds no ${benchmark.testBatchMember}; ic01 is made from the CIFAR-10 binary archive ${benchmark.archive.name}`)
    },
    // In the order they were selected: the list's, or the test batch's.
    arrange: (made) => ({rows: made.map((image) => ({file: image.key, made: image})), missing: []}),
    describe: {none: () => `holds no images of the ${list} list`, selection: `images of the ${list} list`},
    recipeMeta: {...benchmark.recipe, quantization_parameters: benchmark.quantization},
    sourceMeta: () => ({member: testBatch}),
    extraMeta: () => ({list: subset === 'official' ? list : null}),
  }, options, warnings)

  const pinned = officialStimulusHashes(benchmark.officialStimuli)
  const written = runnerHashes(result.rows)
  return {
    ...resultBase(benchmark.id, result),
    list: subset === 'official' ? list : null,
    subset,
    testBatch: testBatch!,
    official: subset === 'official' ? {expected: written.length, found: written.length, missing: []} : null,
    parity: subset === 'official' ? parityWithPinned(written, pinned) : parityByIndex(written, benchmark, pinned),
  }
}

interface Row {
  file: string
  index: number
  label: number
}

/** The list's images in y_labels.csv order. A label that disagrees with the list means another data set. */
function officialRows(batch: CifarBatch, entries: readonly IcListEntry[], list: IcList, batchName: string): Row[] {
  return entries.map(({file, label, index}) => {
    const found = batch.label(index)
    if (found !== label) {
      throw fileError(batchName, `image ${index} has label ${found}, but the ${list} list has ${file} there with label ${label} (not the CIFAR-10 test batch?)`)
    }
    return {file, index, label}
  })
}

/** Every image of the test batch, named by its index since the binary archive holds no file names. */
function testRows(batch: CifarBatch, benchmark: IcBenchmark, batchName: string): Row[] {
  return Array.from({length: batch.count}, (_, index) => {
    const label = batch.label(index)
    if (label >= CIFAR_CLASSES) throw fileError(batchName, `image ${index} has label ${label}; CIFAR-10 labels are 0–${CIFAR_CLASSES - 1}`)
    return {file: `test_${String(index).padStart(TEST_INDEX_DIGITS, '0')}_${benchmark.classNames[label]}_${label}.bin`, index, label}
  })
}

/** `--subset test`: each official file with pinned bytes is compared with the test image at its index. */
function parityByIndex(records: readonly {file: string; stimulusSha256: string}[], benchmark: IcBenchmark, pinned: ReadonlyMap<string, string>): Parity {
  const officialAtIndex = new Map<number, string>()
  for (const {indexTable} of Object.values(benchmark.lists)) {
    for (const {file, index} of loadIcList(indexTable)) if (pinned.has(file)) officialAtIndex.set(index, file)
  }
  // By the index in each name (test_<index>_…): a --shard folder holds only some of the test images.
  const writtenAt = new Map(records.map(({file, stimulusSha256}) => [Number(file.split('_')[1]), stimulusSha256]))
  const renamed = [...officialAtIndex].flatMap(([index, file]) => {
    const stimulusSha256 = writtenAt.get(index)
    return stimulusSha256 === undefined ? [] : [{file, stimulusSha256}]
  })
  return parityWithPinned(renamed, pinned)
}
