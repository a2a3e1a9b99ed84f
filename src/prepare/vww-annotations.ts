/**
 * COCO instances annotations and the Silicon Labs labelling rule of buildPersonDetectionDatabase.py (stimuli.md §2.1),
 * which the open-division vww data set (`--subset all`) applies to every image.
 */
import {readFile} from 'node:fs/promises'
import {posix} from 'node:path'

import {openSource} from '../archives/source-reader.js'
import {fileError} from '../errors.js'
import {sha256Hex} from '../io/hash.js'
import {memberName} from './pipeline.js'
import {checkSourceSha256, type CheckedSource} from './shared.js'
import type {PersonRule, VwwBenchmark} from '../../datasets/types.js'

/** Labels as in vww01's y_labels.csv. */
export const NON_PERSON = 0
export const PERSON = 1

/** An image the rule keeps. */
export interface LabelledImage {
  id: number
  fileName: string
  width: number
  height: number
  label: typeof NON_PERSON | typeof PERSON
}

export interface Labelling {
  /** Kept images by file name (`000000397133.jpg`). */
  kept: ReadonlyMap<string, LabelledImage>
  /** File names of images the rule skips (person boxes, all of them small). */
  skipped: ReadonlySet<string>
  images: number
}

interface CocoInstances {
  images: {id: number; file_name: string; width: number; height: number}[]
  annotations: {image_id: number; category_id: number; iscrowd: number | boolean; bbox: number[]}[]
  categories: {id: number; name: string}[]
}

/**
 * The rule: among an image's non-crowd `person` annotations (pycocotools `getAnnIds(iscrowd=False)`), one whose box
 * covers more than 2.5 % of the image makes it a person image; none at all makes it a non-person image (an image
 * whose only person annotations are crowd regions is therefore non-person, as in the original script); otherwise it
 * is skipped. The share is `w·h / (H·W)` in double precision, compared with `>` as in the script.
 */
export function labelImages(instances: CocoInstances, rule: PersonRule): Labelling {
  const category = instances.categories.find((entry) => entry.name === rule.category)!.id
  const boxAreas = new Map<number, number[]>()
  for (const annotation of instances.annotations) {
    if (annotation.category_id !== category || annotation.iscrowd) continue
    const areas = boxAreas.get(annotation.image_id) ?? []
    areas.push(annotation.bbox[2]! * annotation.bbox[3]!)
    boxAreas.set(annotation.image_id, areas)
  }
  const kept = new Map<string, LabelledImage>()
  const skipped = new Set<string>()
  for (const image of instances.images) {
    const areas = boxAreas.get(image.id)
    const imageArea = image.height * image.width
    const label = !areas ? NON_PERSON : areas.some((area) => area / imageArea > rule.minBoxShare) ? PERSON : undefined
    const fileName = posix.basename(image.file_name)
    if (label === undefined) skipped.add(fileName)
    else kept.set(fileName, {id: image.id, fileName, width: image.width, height: image.height, label})
  }
  return {kept, skipped, images: instances.images.length}
}

export interface AnnotationsSource extends CheckedSource {
  /** The member read, for an archive or folder; null for a JSON file given directly. */
  member: string | null
}

/**
 * Reads the instances annotations: a JSON file (`instances_val2017.json`, or another split's), or the annotations
 * archive / its extracted folder, from which the benchmark's member is taken. The archive is checked against its
 * pinned sha256 like any source.
 */
export async function readAnnotations(path: string, benchmark: VwwBenchmark, verify: boolean): Promise<{instances: CocoInstances; source: AnnotationsSource}> {
  if (/\.json$/i.test(path)) {
    const bytes = await readFile(path).catch(() => {
      throw fileError(path, 'does not exist or cannot be read')
    })
    return {instances: parseInstances(bytes, path, benchmark.personRule), source: {path, kind: 'json', sha256: sha256Hex(bytes), checksum: 'none (a JSON file)', member: null}}
  }
  const reader = await openSource(path, {largestMember: benchmark.annotations.largestMember})
  let found: {member: string; bytes: Uint8Array} | undefined
  // Only the one JSON is inflated: annotations_trainval2017.zip also holds train2017's (448 MB) and others.
  for await (const member of reader.members((memberPath) => posix.basename(memberPath) === benchmark.annotationsMember)) {
    found ??= {member: member.path, bytes: member.bytes}
  }
  if (!found) throw fileError(path, `holds no ${benchmark.annotationsMember} (the COCO instances annotations, as in ${benchmark.annotations.name})`)
  const checked = checkSourceSha256(reader, [benchmark.annotations], verify)
  return {instances: parseInstances(found.bytes, memberName(path, found.member), benchmark.personRule), source: {...checked, member: found.member}}
}

/** Parses and checks the parts of the instances JSON that the rule reads; anything else is a UserError naming `name`. */
function parseInstances(bytes: Uint8Array, name: string, rule: PersonRule): CocoInstances {
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
  } catch (error) {
    throw fileError(name, `is not valid JSON (${(error as Error).message})`)
  }
  const instances = json as Partial<CocoInstances>
  if (!Array.isArray(instances.images) || !Array.isArray(instances.annotations) || !Array.isArray(instances.categories)) {
    throw fileError(name, 'is not COCO instances annotations (it needs "images", "annotations" and "categories" lists)')
  }
  if (!instances.categories.some((category) => category?.name === rule.category)) {
    throw fileError(name, `has no "${rule.category}" category; vww labels images by it`)
  }
  const badImage = instances.images.find((image) => typeof image?.id !== 'number' || typeof image.file_name !== 'string' || !(image.width > 0) || !(image.height > 0))
  if (badImage !== undefined) throw fileError(name, `has an image entry without id, file_name, width and height: ${JSON.stringify(badImage).slice(0, 120)}`)
  const badAnnotation = instances.annotations.find((annotation) => typeof annotation?.image_id !== 'number' || !Array.isArray(annotation.bbox) || annotation.bbox.length !== 4)
  if (badAnnotation !== undefined) throw fileError(name, `has an annotation without image_id and a 4-number bbox: ${JSON.stringify(badAnnotation).slice(0, 120)}`)
  return instances as CocoInstances
}
