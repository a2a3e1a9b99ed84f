import type {OfficialStimuli} from '../formats/pinned-tables.js'
import type {SourceDataset, SourceFile} from '../../datasets/types.js'
import type {Quantization} from './kws-types.js'

/** The two official ic01 lists: `v0.7` is the balanced list in use since v0.7 (20 per class), `v0.5` the first one. */
export type IcList = 'v0.7' | 'v0.5'
export const IC_LISTS: readonly IcList[] = ['v0.7', 'v0.5']

/** `official`: the 200 stimuli of a list; `test`: all 10,000 images of the test batch. */
export type IcSubset = 'official' | 'test'
export const IC_SUBSETS: readonly IcSubset[] = ['official', 'test']

export interface IcListDefinition {
  description: string
  /** Pinned table (manifests/…): file name, label and index into the test batch, in y_labels.csv order. */
  indexTable: string
}

/** ic01: a data set, the batch member holding the test images, the pinned lists and the stimulus format. */
export interface IcBenchmark {
  id: string
  source: SourceDataset
  /** The archive prepare reads (the binary one: the python one holds pickles). */
  archive: SourceFile
  /** Path of the test batch inside the archive. */
  testBatchMember: string
  testImages: number
  /** CIFAR-10 class names, by label (batches.meta.txt). */
  classNames: readonly string[]
  lists: Record<IcList, IcListDefinition>
  defaultList: IcList
  /** Pinned sha256 of official stimulus files, by file name (manifests/…). */
  officialStimuli: OfficialStimuli
  shape: readonly number[]
  quantization: Quantization
  recipe: Record<string, unknown>
}
