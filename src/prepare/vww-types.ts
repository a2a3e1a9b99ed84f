import type {OfficialStimuli} from '../formats/pinned-tables.js'
import type {SourceDataset, SourceFile} from '../../datasets/types.js'
import type {Quantization} from './kws-types.js'

/** `official`: the 1000 images of the official list; `all`: every val2017 image the Silicon Labs rule labels. */
export type VwwSubset = 'official' | 'all'
export const VWW_SUBSETS: readonly VwwSubset[] = ['official', 'all']

/**
 * The labelling rule of Silicon Labs' buildPersonDetectionDatabase.py (stimuli.md §2.1): among the image's non-crowd
 * annotations of `category`, one whose bounding box covers more than `minBoxShare` of the image makes it a person
 * image; no such annotation at all makes it a non-person image; otherwise the image is skipped.
 */
export interface PersonRule {
  category: string
  minBoxShare: number
}

/** vww01: the COCO files, the pinned list and hashes, the labelling rule and the stimulus format. */
export interface VwwBenchmark {
  id: string
  source: SourceDataset
  /** The image archive the official list's ids come from (val2017.zip). */
  images: SourceFile
  /** The other image archives `--subset all` may read (train2017.zip), checked against their pinned sha256 too. */
  otherImages: readonly SourceFile[]
  annotations: SourceFile
  /** The member of the annotations archive that `--subset all` reads. */
  annotationsMember: string
  /** By label: 0 non-person, 1 person. */
  classNames: readonly string[]
  /** The official y_labels.csv (manifests/…): `<12-digit id>.bin,2,<label>`, person rows first. */
  officialList: string
  officialCount: number
  /** Pinned sha256 of official stimulus files, by file name (manifests/…). */
  officialStimuli: OfficialStimuli
  personRule: PersonRule
  shape: readonly number[]
  quantization: Quantization
  recipe: Record<string, unknown>
}
