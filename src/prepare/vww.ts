/**
 * vww01 on the shared pipeline: the official COCO val2017 images (or every image the Silicon Labs rule labels, the
 * open-division set), decoded and resized to 96 × 96 × 3 uint8 exactly as scikit-image 0.18 did.
 */
import {posix} from 'node:path'

import {fileError, UserError} from '../errors.js'
import {officialStimulusHashes, parityWithPinned, readPinnedFile, type Parity} from '../formats/pinned-tables.js'
import {parseYLabels} from '../formats/y-labels.js'
import {loadSharp} from '../image/decode.js'
import {AFFINE_TABLE, KERNEL_TABLE} from '../image/vww-resize-plan.js'
import type {VwwStimulus} from '../image/vww-stimulus.js'
import {sha256Hex} from '../io/hash.js'
import {labelImages, PERSON, readAnnotations, type AnnotationsSource, type Labelling} from './vww-annotations.js'
import type {VwwBenchmark, VwwSubset} from '../../datasets/types.js'
import {recipe} from './recipes/vww.js'
import {inListOrder, memberName, runnerHashes, runPipeline, type Made, type PipelineOptions} from './pipeline.js'
import {firstFew, type PrepareResultBase, resultBase} from './shared.js'

export interface PrepareVwwOptions extends PipelineOptions {
  benchmark: VwwBenchmark
  subset?: VwwSubset
  /** `all`: instances_val2017.json, or annotations_trainval2017.zip / its extracted folder. */
  annotations?: string
}

export interface PrepareVwwResult extends PrepareResultBase {
  subset: VwwSubset
  /** `all`: the annotations read, what the Silicon Labs rule made of their images, and the labelled images the source lacked. */
  annotations: (AnnotationsSource & {images: number; person: number; nonPerson: number; skipped: number; missing: string[]}) | null
  imagesDecoded: number
  /** Files labelled person (label 1); the rest are non-person. */
  person: number
  /** `official`: how many of the listed images the source held, and which it lacked. */
  official: {expected: number; found: number; missing: string[]} | null
  /** Written files with pinned official bytes (in `all` too: the official images are val2017 images). */
  parity: Parity
  /** Files made with the ideal affine parameters because their shape is not in the pinned table (also in the manifest). */
  idealAffine: string[]
}

type MadeImage = Made<VwwStimulus>

/** An image the selection wants: the stimulus file it becomes and its label. */
interface Wanted {
  file: string
  label: number
}

/** Images in flight per thread: enough to keep decoding and resizing busy while the main thread reads the archive. */
export const IMAGES_IN_FLIGHT_PER_THREAD = 2

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
  const wantOf = (path: string): Wanted | undefined => {
    const basename = posix.basename(path)
    const stem = IMAGE_NAME.exec(basename)?.groups!.stem
    return stem === undefined ? undefined : wanted.get(labelling ? basename : stem)
  }
  let unlisted = 0
  let idealAffine: string[] = []

  const result = await runPipeline({
    id: benchmark.id,
    classNames: benchmark.classNames,
    subset,
    stimulus: {dtype: benchmark.quantization.dtype, shape: benchmark.shape, scale: benchmark.quantization.scale, zeroPoint: benchmark.quantization.zeroPoint},
    sourceFiles: [benchmark.images, ...benchmark.otherImages],
    recipe, setup: undefined, inFlightPerThread: IMAGES_IN_FLIGHT_PER_THREAD,
    // Only the selected images are read: the other 4000 of val2017.zip are counted, never inflated.
    wants(path) {
      const want = wantOf(path)
      const basename = posix.basename(path)
      if (!want && labelling && IMAGE_NAME.test(basename) && !labelling.skipped.has(basename)) unlisted++
      return want !== undefined
    },
    select(member) {
      const want = wantOf(member.path)!
      // A copy with its own buffer, which may move to a worker (the reader's bytes may share a pooled one).
      const task = {image: new Uint8Array(member.bytes), name: memberName(options.source, member.path)}
      return [{key: want.file, member: member.path, sourceSha256: sha256Hex(member.bytes), label: want.label, task}]
    },
    sameKey: 'first',
    check({member, task}, stimulus) {
      const annotated = labelling?.kept.get(posix.basename(member))
      if (annotated && (stimulus.width !== annotated.width || stimulus.height !== annotated.height)) {
        throw fileError(task.name, `is ${stimulus.width}×${stimulus.height} pixels, but the annotations say ${annotated.width}×${annotated.height} (annotations of another image set?)`)
      }
    },
    arrange(made) {
      if (unlisted > 0) warnings.push(`${unlisted} images of the source are not in the annotations and were left out`)
      if (labelling) warnings.push(...officialLabelDisagreements(made, officialList))
      // The official list's order; for `all`, person images first, each class by file name.
      const files = labelling
        ? [...wanted.values()].sort((a, b) => b.label - a.label || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)).map((want) => want.file)
        : [...officialList.values()].map((want) => want.file)
      const arranged = inListOrder(made, files)
      idealAffine = arranged.rows.filter(({made: image}) => image.output.affineSource === 'ideal').map(({file}) => file)
      return arranged
    },
    describe: {
      none: () => labelling
        ? `holds none of the ${wanted.size} images the annotations label (${firstFew([...wanted.keys()])})`
        : `holds none of the ${benchmark.officialCount} official vww01 images (<12-digit COCO id>.jpg, e.g. ${firstFew([...officialList.keys()].map((id) => `${id}.jpg`))})`,
      selection: `${labelling ? 'labelled' : 'official'} images`,
    },
    recipeMeta: {...benchmark.recipe, affine_table: AFFINE_TABLE, kernel_table: KERNEL_TABLE, quantization_parameters: benchmark.quantization},
    extraMeta: (rows) => ({
      annotations: annotations ? {file: posix.basename(annotations.source.path), member: annotations.source.member, sha256: annotations.source.sha256} : undefined,
      // Shapes outside the pinned tables: their bytes come from the ideal affine parameters (about 96 % as official)
      // or from kernels computed here (exact); both lists are empty for the official images.
      ideal_affine_files: idealAffine,
      computed_kernel_files: rows.filter(({made}) => made.output.kernelSource === 'computed').map(({file}) => file),
    }),
  }, options, warnings)

  const person = result.rows.filter(({made}) => made.label === PERSON).length
  return {
    ...resultBase(benchmark.id, result),
    subset,
    annotations: annotations && labelling ? {...annotations.source, images: labelling.images, ...labelCounts(labelling), missing: result.missing} : null,
    imagesDecoded: result.rows.length,
    person,
    official: labelling ? null : {expected: wanted.size, found: result.rows.length, missing: result.missing},
    parity: parityWithPinned(runnerHashes(result.rows), officialStimulusHashes(benchmark.officialStimuli)),
    idealAffine,
  }
}

/** The official list by COCO id (the stimulus file's stem), in y_labels.csv order. */
function loadOfficialList(benchmark: VwwBenchmark): ReadonlyMap<string, Wanted> {
  const {classes} = parseYLabels(readPinnedFile(benchmark.officialList), benchmark.officialList)
  return new Map([...classes].map(([file, label]): [string, Wanted] => [file.slice(0, -STIMULUS_EXTENSION.length), {file, label}]))
}

function wantedByLabelling(labelling: Labelling): ReadonlyMap<string, Wanted> {
  return new Map([...labelling.kept].map(([fileName, image]) => [fileName, {file: fileName.replace(/\.[^.]+$/, STIMULUS_EXTENSION), label: image.label}]))
}

function labelCounts(labelling: Labelling) {
  const person = [...labelling.kept.values()].filter((image) => image.label === PERSON).length
  return {person, nonPerson: labelling.kept.size - person, skipped: labelling.skipped.size}
}

/** `all`: official images whose label by the rule differs from the official list's (a check on the rule and the annotations). */
function officialLabelDisagreements(made: readonly MadeImage[], list: ReadonlyMap<string, Wanted>): string[] {
  const official = new Map([...list.values()].map((want) => [want.file, want.label]))
  const differing = made.filter((image) => official.has(image.key) && official.get(image.key) !== image.label).map((image) => image.key)
  return differing.length ? [`${differing.length} official images get another label by the rule than in the official list: ${firstFew(differing)}`] : []
}
