import {posix} from 'node:path'

import {openSource} from '../archives/source-reader.js'
import {fileError, UserError} from '../errors.js'
import {loadSharp} from '../image/decode.js'
import {checkSourceSha256, firstFew, officialStimulusHashes, memberName, parityWithPinned, readPinnedFile, sha256Hex, type CheckedSource, type Parity} from './shared.js'
import {createVwwStimulusPool, IMAGES_IN_FLIGHT_PER_THREAD} from '../image/vww-pool.js'
import {defaultThreads} from '../parallel/task-pool.js'
import {AFFINE_TABLE, KERNEL_TABLE} from '../image/vww-resize-plan.js'
import type {VwwStimulus} from '../image/vww-stimulus.js'
import type {ManifestRow} from '../manifest/schema.js'
import {yLabelsCsv} from '../output/runner-folder.js'
import {TINYDATA_VERSION} from '../version.js'
import {labelImages, PERSON, readAnnotations, type AnnotationsSource, type Labelling} from './vww-annotations.js'
import type {VwwBenchmark, VwwSubset} from './vww-types.js'
import {type ModelInputQuantization, PreparedFolderWriter, type WrittenFolder} from '../inference/model-format.js'

export interface PrepareVwwOptions {
  /** Write the model's int8 input tensors (`--format model`) made with this quantisation, not the runner stimuli. */
  modelInput?: ModelInputQuantization
  benchmark: VwwBenchmark
  /** val2017.zip (or another COCO image zip for `all`), or a folder of `<12-digit id>.jpg`. */
  source: string
  /** The runner's datasets folder; stimuli go to `<out>/<benchmark id>/`. */
  out: string
  subset?: VwwSubset
  /** `all`: instances_val2017.json, or annotations_trainval2017.zip / its extracted folder. */
  annotations?: string
  /** Write the images found even if the source lacks some (default false: that is an error). */
  allowMissing?: boolean
  /** Check the archives' sha256 against the pinned ones (default true). */
  verify?: boolean
  /** Threads that decode and resize (default: one per CPU); 1 keeps everything in the calling thread. */
  threads?: number
  onProgress?: (progress: VwwProgress) => void
}

export interface VwwProgress {
  membersRead: number
  imagesQueued: number
  stimuliMade: number
}

export interface PrepareVwwResult extends WrittenFolder {
  benchmark: string
  subset: VwwSubset
  source: CheckedSource
  /** `all`: the annotations read, what the Silicon Labs rule made of their images, and the labelled images the source lacked. */
  annotations: (AnnotationsSource & {images: number; person: number; nonPerson: number; skipped: number; missing: string[]}) | null
  imagesDecoded: number
  filesWritten: number
  /** Files labelled person (label 1); the rest are non-person. */
  person: number
  /** `official`: how many of the listed images the source held, and which it lacked. */
  official: {expected: number; found: number; missing: string[]} | null
  /** Written files with pinned official bytes (in `all` too: the official images are val2017 images). */
  parity: Parity
  /** Files made with the ideal affine parameters because their shape is not in the pinned table (also in the manifest). */
  idealAffine: string[]
  warnings: string[]
}

/** An image the selection wants: the stimulus file it becomes and its label. */
interface Wanted {
  file: string
  label: number
}

/** A stimulus made and written: its manifest row as written, and what the result reports of it. */
interface Made extends Wanted {
  row: ManifestRow
  /** sha256 of the runner-format stimulus (the pinned official hashes are of those). */
  runnerSha256: string
  affineSource: VwwStimulus['affineSource']
  kernelSource: VwwStimulus['kernelSource']
}

/** Members that can be images: COCO's are `<12-digit id>.jpg`. */
const IMAGE_NAME = /^(?<stem>[^/]+)\.(?:jpe?g|png)$/i
const STIMULUS_EXTENSION = '.bin'

export async function prepareVww(options: PrepareVwwOptions): Promise<PrepareVwwResult> {
  const {benchmark} = options
  const subset = options.subset ?? 'official'
  const verify = options.verify !== false
  const warnings: string[] = []
  await loadSharp() // a missing optional dependency is reported before any reading
  if (subset === 'official' && options.annotations) warnings.push('--annotations is read only with --subset all; the official list gives the labels')
  if (subset === 'all' && !options.annotations) {
    throw new UserError(`prepare vww --subset all needs --annotations: ${benchmark.annotationsMember}, or ${benchmark.annotations.name} (${benchmark.annotations.url})`)
  }
  const annotations = subset === 'all' ? await readAnnotations(options.annotations!, benchmark, verify) : undefined
  const labelling = annotations ? labelImages(annotations.instances, benchmark.personRule) : undefined
  const officialList = loadOfficialList(benchmark)
  const wanted: ReadonlyMap<string, Wanted> = labelling ? wantedByLabelling(labelling) : officialList

  const folder = PreparedFolderWriter.create(options.out, benchmark.id, options.modelInput)
  try {
    return await makeAndWrite(options, folder, {wanted, officialList, labelling, annotations, subset, verify, warnings})
  } catch (error) {
    await folder.discard()
    throw error
  }
}

interface Selection {
  wanted: ReadonlyMap<string, Wanted>
  officialList: ReadonlyMap<string, Wanted>
  labelling: Labelling | undefined
  annotations: Awaited<ReturnType<typeof readAnnotations>> | undefined
  subset: VwwSubset
  verify: boolean
  warnings: string[]
}

/** Makes the stimuli into the staged folder, checks what the source held, then writes y_labels.csv and the manifest. */
async function makeAndWrite(options: PrepareVwwOptions, folder: PreparedFolderWriter, selection: Selection): Promise<PrepareVwwResult> {
  const {benchmark} = options
  const {wanted, officialList, labelling, annotations, subset, verify, warnings} = selection
  const {reader, made, seen, unlisted} = await makeStimuli(options, folder, wanted, labelling, warnings)
  const source = checkSourceSha256(reader, [benchmark.images, ...benchmark.otherImages], verify)

  const missing = [...wanted.values()].filter((want) => !seen.has(want.file)).map((want) => want.file)
  if (made.length === 0) {
    throw fileError(options.source, labelling ? `holds none of the ${wanted.size} images the annotations label (${firstFew([...wanted.keys()])})` : `holds none of the ${benchmark.officialCount} official vww01 images (<12-digit COCO id>.jpg, e.g. ${firstFew([...officialList.keys()].map((id) => `${id}.jpg`))})`)
  }
  if (missing.length > 0 && !options.allowMissing) {
    throw fileError(options.source, `holds ${wanted.size - missing.length} of the ${wanted.size} ${labelling ? 'labelled' : 'official'} images (missing ${firstFew(missing)}); --allow-missing writes the ones found`)
  }
  if (unlisted > 0) warnings.push(`${unlisted} images of the source are not in the annotations and were left out`)
  if (labelling) warnings.push(...officialLabelDisagreements(made, officialList))

  const ordered = labelling ? [...made].sort((a, b) => b.label - a.label || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)) : inListOrder(made, officialList)
  const idealAffine = ordered.filter((image) => image.affineSource === 'ideal').map((image) => image.file)
  const computedKernels = ordered.filter((image) => image.kernelSource === 'computed').map((image) => image.file)

  const written = await folder.commit(ordered.map((image) => image.row), yLabelsCsv(ordered, benchmark.classNames.length), {
    benchmark: benchmark.id,
    tinydataVersion: TINYDATA_VERSION,
    recipe: {...benchmark.recipe, affine_table: AFFINE_TABLE, kernel_table: KERNEL_TABLE, quantization_parameters: benchmark.quantization},
    source: {file: posix.basename(options.source), kind: reader.kind, sha256: source.sha256},
    annotations: annotations ? {file: posix.basename(annotations.source.path), member: annotations.source.member, sha256: annotations.source.sha256} : undefined,
    subset,
    // Shapes outside the pinned tables: their bytes come from the ideal affine parameters (about 96 % as official)
    // or from kernels computed here (exact); both lists are empty for the official images.
    ideal_affine_files: idealAffine,
    computed_kernel_files: computedKernels,
  })

  const person = ordered.filter((image) => image.label === PERSON).length
  return {
    benchmark: benchmark.id,
    subset,
    ...written,
    source,
    annotations: annotations && labelling ? {...annotations.source, images: labelling.images, ...labelCounts(labelling), missing} : null,
    imagesDecoded: made.length,
    filesWritten: ordered.length,
    person,
    official: labelling ? null : {expected: wanted.size, found: made.length, missing},
    parity: parityWithPinned(ordered.map((image) => ({file: image.file, stimulusSha256: image.runnerSha256})), officialStimulusHashes(benchmark.officialStimuli)),
    idealAffine,
    warnings,
  }
}

/**
 * Streams the source once: each member that the selection wants is decoded and resized on the pool (at most a few
 * per thread in flight, so memory stays bounded), the rest are skipped undecoded. The first bad image stops the run.
 */
async function makeStimuli(
  options: PrepareVwwOptions, folder: PreparedFolderWriter, wanted: ReadonlyMap<string, Wanted>, labelling: Labelling | undefined, warnings: string[],
) {
  const {benchmark} = options
  const reader = await openSource(options.source)
  const maker = createVwwStimulusPool(options.threads ?? defaultThreads())
  const making: Promise<Made>[] = []
  /** Stimulus file → the member it is made from. */
  const seen = new Map<string, string>()
  const progress: VwwProgress = {membersRead: 0, imagesQueued: 0, stimuliMade: 0}
  let unlisted = 0
  let failure: unknown
  try {
    const wantOf = (path: string): Wanted | undefined => {
      const basename = posix.basename(path)
      const stem = IMAGE_NAME.exec(basename)?.groups!.stem
      return stem === undefined ? undefined : wanted.get(labelling ? basename : stem)
    }
    // Only the selected images are read: the other 4000 of val2017.zip are counted, never inflated.
    const isWanted = (path: string): boolean => {
      progress.membersRead++
      const want = wantOf(path)
      const basename = posix.basename(path)
      if (!want && labelling && IMAGE_NAME.test(basename) && !labelling.skipped.has(basename)) unlisted++
      return want !== undefined
    }
    for await (const member of reader.members(isWanted)) {
      if (failure) throw failure
      const want = wantOf(member.path)!
      const first = seen.get(want.file)
      if (first !== undefined) {
        warnings.push(`${member.path}: a second copy of ${first}; the first is used`)
        continue
      }
      seen.set(want.file, member.path)
      await maker.whenBelow(maker.threads * IMAGES_IN_FLIGHT_PER_THREAD)
      const name = memberName(options.source, member.path)
      const sourceSha256 = sha256Hex(member.bytes)
      const annotated = labelling?.kept.get(posix.basename(member.path))
      // A copy with its own buffer, which may move to a worker (the reader's bytes may share a pooled one).
      const job = maker.run({image: new Uint8Array(member.bytes), name}).then(async (stimulus): Promise<Made> => {
        if (annotated && (stimulus.width !== annotated.width || stimulus.height !== annotated.height)) {
          throw fileError(name, `is ${stimulus.width}×${stimulus.height} pixels, but the annotations say ${annotated.width}×${annotated.height} (annotations of another image set?)`)
        }
        const runnerSha256 = sha256Hex(stimulus.bytes)
        // Written at once, and only the manifest row is kept (not its bytes): memory does not grow with the images.
        const {bytes: _dropped, ...row} = await folder.add({
          file: want.file,
          label: want.label,
          className: benchmark.classNames[want.label]!,
          sourceMember: member.path,
          sourceSha256,
          stimulusSha256: runnerSha256,
          dtype: benchmark.quantization.dtype,
          shape: [...benchmark.shape],
          scale: benchmark.quantization.scale,
          zeroPoint: benchmark.quantization.zeroPoint,
          subset: options.subset ?? 'official',
          bytes: stimulus.bytes,
        })
        progress.stimuliMade++
        options.onProgress?.(progress)
        return {...want, row, runnerSha256, affineSource: stimulus.affineSource, kernelSource: stimulus.kernelSource}
      })
      job.catch((error: unknown) => (failure ??= error))
      making.push(job)
      progress.imagesQueued++
      options.onProgress?.(progress)
    }
    // Every job settles before a failure is thrown, so none writes into the staging folder once it is discarded.
    const settled = await Promise.allSettled(making)
    if (failure) throw failure
    return {reader, made: settled.map((job) => (job as PromiseFulfilledResult<Made>).value), seen, unlisted}
  } finally {
    await maker.close()
  }
}

/** The official list by COCO id (the stimulus file's stem), in y_labels.csv order. */
function loadOfficialList(benchmark: VwwBenchmark): ReadonlyMap<string, Wanted> {
  const rows = readPinnedFile(benchmark.officialList).trim().split('\n')
  return new Map(
    rows.map((row) => {
      const [file, , label] = row.split(',') as [string, string, string]
      return [file.slice(0, -STIMULUS_EXTENSION.length), {file, label: Number(label)}]
    }),
  )
}

function wantedByLabelling(labelling: Labelling): ReadonlyMap<string, Wanted> {
  return new Map([...labelling.kept].map(([fileName, image]) => [fileName, {file: fileName.replace(/\.[^.]+$/, STIMULUS_EXTENSION), label: image.label}]))
}

function labelCounts(labelling: Labelling) {
  const person = [...labelling.kept.values()].filter((image) => image.label === PERSON).length
  return {person, nonPerson: labelling.kept.size - person, skipped: labelling.skipped.size}
}

function inListOrder(made: readonly Made[], list: ReadonlyMap<string, Wanted>): Made[] {
  const position = new Map([...list.values()].map((want, index) => [want.file, index]))
  return [...made].sort((a, b) => position.get(a.file)! - position.get(b.file)!)
}

/** `all`: official images whose label by the rule differs from the official list's (a check on the rule and the annotations). */
function officialLabelDisagreements(made: readonly Made[], list: ReadonlyMap<string, Wanted>): string[] {
  const official = new Map([...list.values()].map((want) => [want.file, want.label]))
  const differing = made.filter((image) => official.has(image.file) && official.get(image.file) !== image.label).map((image) => image.file)
  return differing.length ? [`${differing.length} official images get another label by the rule than in the official list: ${firstFew(differing)}`] : []
}
