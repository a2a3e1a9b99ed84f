import type {OfficialStimuli} from '../formats/pinned-tables.js'
import type {SourceDataset} from '../../datasets/types.js'

export type AdSubset = 'official' | 'alt' | 'all'
export const AD_SUBSETS: readonly AdSubset[] = ['official', 'alt', 'all']

/** The subsets that are a pinned list of stimuli (y_labels.csv rows), as opposed to every test clip. */
export type AdListSubset = Exclude<AdSubset, 'all'>

/**
 * The runner's view of an ad01 stimulus: it sends windows of `frames` consecutive frames (`bytes` bytes) starting
 * every `strideBytes` bytes, which is what the last two fields of a y_labels.csv row say (stimuli.md §4.2 step 6).
 */
export interface AdWindowing {
  frames: number
  bytes: number
  strideBytes: number
  /** Windows per stimulus: (stimulus bytes − window bytes) / stride + 1. */
  perStimulus: number
}

/** Where the clips sit in the source, and what their names mean (stimuli.md §4.1). */
export interface AdSourceLayout {
  /** The folder that holds the stimulus clips (`dev_data/ToyCar/test/`). */
  testFolder: string
  /** The training clips' folder: same names, never stimuli. */
  trainFolder: string
  /** `<normal|anomaly>_id_<NN>_<NNNNNNNN>.wav`; the first group is a class name. */
  clipName: RegExp
  /** The folder above `test/` in the DCASE archives, and the other machines' names there (not ad01 clips). */
  machine: string
  otherMachines: readonly string[]
  /** A stimulus is named after its clip: `.wav` becomes this suffix (`common.py` l.207-210). */
  stimulusSuffix: string
}

/** A benchmark binds the source data set, the pinned lists, the layout and the stimulus format (ad01). */
export interface AdBenchmark {
  id: string
  source: SourceDataset
  /** Label of a class is its index: normal 0, anomaly 1. */
  classNames: readonly string[]
  layout: AdSourceLayout
  /** Package paths (or absolute paths) of the y_labels lists: rows `file,2,label,2560,512`. */
  lists: Record<AdListSubset, string>
  /** Package path of `file<TAB>sha256` for the official stimuli (public facts), or absolute. */
  officialStimuli: OfficialStimuli
  windowing: AdWindowing
  dtype: 'float32'
  shape: readonly number[]
  recipe: Record<string, unknown>
}
