import {posix} from 'node:path'

import {openSource} from '../archives/source-reader.js'
import {fileError} from '../errors.js'
import {CIFAR_CLASSES, planarToHwc, readCifarBatch, type CifarBatch} from '../image/cifar.js'
import {checkSourceSha256, officialStimulusHashes, memberName, parityWithPinned, sha256Hex, type CheckedSource, type Parity} from './shared.js'
import type {StimulusRecord} from '../manifest/schema.js'
import {yLabelsCsv} from '../output/runner-folder.js'
import {TINYDATA_VERSION} from '../version.js'
import {loadIcList, type IcListEntry} from './ic-list.js'
import type {IcBenchmark, IcList, IcSubset} from './ic-types.js'
import {type ModelInputQuantization, type WrittenFolder, writePreparedFolder} from '../inference/model-format.js'

export interface PrepareIcOptions {
  /** Write the model's int8 input tensors (`--format model`) made with this quantisation, not the runner stimuli. */
  modelInput?: ModelInputQuantization
  benchmark: IcBenchmark
  /** cifar-10-binary.tar.gz (or a tar of it), or the folder it was extracted to. */
  source: string
  /** The runner's datasets folder; stimuli go to `<out>/<benchmark id>/`. */
  out: string
  list?: IcList
  subset?: IcSubset
  /** Check the archive's sha256 against the pinned one (default true). */
  verify?: boolean
}

export interface PrepareIcResult extends WrittenFolder {
  benchmark: string
  /** The official list written (null for `--subset test`). */
  list: IcList | null
  subset: IcSubset
  source: CheckedSource
  /** Member of the source holding the test batch. */
  testBatch: string
  filesWritten: number
  official: {expected: number; found: number; missing: string[]} | null
  /** Official files whose pinned bytes are known: for `test`, compared through their index into the test batch. */
  parity: Parity
  warnings: string[]
}

/** Folder of the python version of CIFAR-10, whose batches are pickles. */
const PYTHON_ARCHIVE_FOLDER = 'cifar-10-batches-py'
/** `--subset test` names: `test_<index, 5 digits>_<class>_<label>.bin`, in test-batch order. */
const TEST_INDEX_DIGITS = 5

export async function prepareIc(options: PrepareIcOptions): Promise<PrepareIcResult> {
  const {benchmark} = options
  const subset = options.subset ?? 'official'
  const list = options.list ?? benchmark.defaultList
  const batchFile = posix.basename(benchmark.testBatchMember)
  const reader = await openSource(options.source)
  const warnings: string[] = []

  let batch: {member: string; records: CifarBatch} | undefined
  // Only the test batch is read: the five training batches (30 MB each) are skipped unread.
  const isTestBatch = (path: string): boolean => {
    if (path.split('/').includes(PYTHON_ARCHIVE_FOLDER)) {
      throw fileError(options.source, `holds ${PYTHON_ARCHIVE_FOLDER}/, the python version of CIFAR-10; ic01 is made from the binary archive ${benchmark.archive.name} (${benchmark.archive.url})`)
    }
    return posix.basename(path) === batchFile
  }
  for await (const member of reader.members(isTestBatch)) {
    if (batch) {
      warnings.push(`${member.path}: a second ${batchFile}; the first, ${batch.member}, is used`)
      continue
    }
    batch = {member: member.path, records: readCifarBatch(member.bytes, benchmark.testImages, memberName(options.source, member.path))}
  }
  if (!batch) throw fileError(options.source, `holds no ${benchmark.testBatchMember}; ic01 is made from the CIFAR-10 binary archive ${benchmark.archive.name}`)
  const source = checkSourceSha256(reader, [benchmark.archive], options.verify !== false)

  const batchName = memberName(options.source, batch.member)
  const rows = subset === 'official' ? officialRows(batch.records, loadIcList(benchmark.lists[list].indexTable), list, batchName) : testRows(batch.records, benchmark, batchName)
  const records: StimulusRecord[] = rows.map(({file, index, label}) => {
    const planar = batch.records.planar(index)
    const bytes = planarToHwc(planar)
    return {
      file,
      label,
      className: benchmark.classNames[label]!,
      sourceMember: `${batch.member}#${index}`,
      sourceSha256: sha256Hex(planar),
      stimulusSha256: sha256Hex(bytes),
      dtype: benchmark.quantization.dtype,
      shape: [...benchmark.shape],
      scale: benchmark.quantization.scale,
      zeroPoint: benchmark.quantization.zeroPoint,
      subset,
      bytes,
    }
  })

  const written = await writePreparedFolder(options.out, benchmark.id, {
    records,
    yLabels: yLabelsCsv(records, benchmark.classNames.length),
    meta: {
      benchmark: benchmark.id,
      tinydataVersion: TINYDATA_VERSION,
      recipe: {...benchmark.recipe, quantization_parameters: benchmark.quantization},
      source: {file: posix.basename(options.source), kind: reader.kind, sha256: source.sha256, member: batch.member},
      subset,
      list: subset === 'official' ? list : null,
    },
  }, options.modelInput)

  const pinned = officialStimulusHashes(benchmark.officialStimuli)
  return {
    benchmark: benchmark.id,
    list: subset === 'official' ? list : null,
    subset,
    ...written,
    source,
    testBatch: batch.member,
    filesWritten: records.length,
    official: subset === 'official' ? {expected: rows.length, found: rows.length, missing: []} : null,
    parity: subset === 'official' ? parityWithPinned(records, pinned) : parityByIndex(records, benchmark, pinned),
    warnings,
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
function parityByIndex(records: readonly StimulusRecord[], benchmark: IcBenchmark, pinned: ReadonlyMap<string, string>): Parity {
  const officialAtIndex = new Map<number, string>()
  for (const {indexTable} of Object.values(benchmark.lists)) {
    for (const {file, index} of loadIcList(indexTable)) if (pinned.has(file)) officialAtIndex.set(index, file)
  }
  const renamed = [...officialAtIndex].map(([index, file]) => ({file, stimulusSha256: records[index]!.stimulusSha256}))
  return parityWithPinned(renamed, pinned)
}
