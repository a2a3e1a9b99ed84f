/**
 * What a data set and a benchmark definition are: the declarative facts the stages read (sources, checksums, lists,
 * class names, layouts, stimulus formats and the recipes' parameters). The definitions in this folder fill them in.
 */
import type {BoardWavFormat} from '../src/audio/sww-wav.js'
import type {OfficialStimuli} from '../src/formats/pinned-tables.js'
import type {SWW_TRUTH_FORMAT} from '../src/formats/sww-truth.js'

/** One file a source data set is published as (TFDS's url_checksums, in TypeScript). */
export interface SourceFile {
  name: string
  url: string
  /** Bytes, where published; undefined where no source states it. */
  size?: number
  /**
   * sha256 where published; other published digests go in `md5` or `gitBlob` (the id a git repository shows for the
   * file, which hashes the size too: give `size` with it). None: the first complete download pins a sha256.
   */
  sha256?: string
  md5?: string
  gitBlob?: string
  /** An archive, or a single file used as it is (the sww01 runner's WAVs and truth JSONs). */
  format: 'tar.gz' | 'tar' | 'zip' | 'wav' | 'json'
  /** Not needed by the benchmark itself (e.g. COCO train2017 for the open-division set). */
  optional?: boolean
  /**
   * An archive's largest legal member, in bytes, among those tinydata reads from it (with a margin where the sizes
   * vary): a larger one is refused, from its declared size, before it is read (src/archives/source-reader.ts).
   */
  largestMember?: number
}

/** A public data set the benchmarks draw from: where its bytes come from and under which terms. No feature code. */
export interface SourceDataset {
  id: string
  title: string
  homepage: string
  license: string
  citation: string
  files: readonly SourceFile[]
}

/** What every benchmark definition says: its runner folder name, its source data set and its class names by label. */
export interface BenchmarkDefinition {
  id: string
  source: SourceDataset
  /** Class names by label, as y_labels.csv numbers them. */
  classNames: readonly string[]
}

/** A benchmark whose stimuli all have one format, with their official bytes pinned by file name. */
export interface SingleFormatBenchmark extends BenchmarkDefinition {
  /** Pinned sha256 of official stimulus files, by file name (manifests/…). */
  officialStimuli: OfficialStimuli
  shape: readonly number[]
  recipe: Record<string, unknown>
}

export type KwsVariant = 'mfcc' | 'lfbe' | 'td_samples'
export const KWS_VARIANTS: readonly KwsVariant[] = ['mfcc', 'lfbe', 'td_samples']

export type KwsSubset = 'official' | 'test'

/**
 * `exact` emulates TensorFlow's float32 Eigen arithmetic (the official bytes); `float64` is plain double precision
 * with the two cheap fixes of kws-float32-parity.md §7 (a cross-check: a few values off by one, and slower than the
 * WebAssembly exact path).
 */
export type Precision = 'exact' | 'float64'

export type StimulusDtype = 'int8' | 'uint8' | 'int16'

/** How float features become stimulus bytes, and where the numbers come from. */
export interface Quantization {
  dtype: StimulusDtype
  scale: number
  zeroPoint: number
  origin: string
}

/** A feature extractor: 16000 zero-padded int16 samples in, 49 × 10 float32 values out (frame-major). */
export type KwsFeatureFunction = (samples: Int16Array) => Float32Array

export interface KwsVariantDefinition {
  description: string
  shape: readonly number[]
  quantization: Quantization
  /** undefined for td_samples, whose bytes are the samples themselves. */
  features: {exact: KwsFeatureFunction; float64: KwsFeatureFunction} | undefined
  recipe: Record<string, unknown>
}

/** A benchmark binds a source data set, a pinned selection, feature recipes and the runner folder name. */
export interface KwsBenchmark extends BenchmarkDefinition {
  officialHashes: string
  officialCount: number
  /** Official files the exact path is known not to reproduce (the parity ceiling), by variant. */
  knownParityMisses: Record<KwsVariant, readonly string[]>
  defaultVariant: KwsVariant
  variants: Record<KwsVariant, KwsVariantDefinition>
}

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
export interface AdBenchmark extends SingleFormatBenchmark {
  layout: AdSourceLayout
  /** Package paths (or absolute paths) of the y_labels lists: rows `file,2,label,2560,512`. */
  lists: Record<AdListSubset, string>
  windowing: AdWindowing
  dtype: 'float32'
}

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
export interface IcBenchmark extends SingleFormatBenchmark {
  /** The archive prepare reads (the binary one: the python one holds pickles). */
  archive: SourceFile
  /** Path of the test batch inside the archive. */
  testBatchMember: string
  testImages: number
  lists: Record<IcList, IcListDefinition>
  defaultList: IcList
  quantization: Quantization
}

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
export interface VwwBenchmark extends SingleFormatBenchmark {
  /** The image archive the official list's ids come from (val2017.zip). */
  images: SourceFile
  /** The other image archives `--subset all` may read (train2017.zip), checked against their pinned sha256 too. */
  otherImages: readonly SourceFile[]
  annotations: SourceFile
  /** The member of the annotations archive that `--subset all` reads. */
  annotationsMember: string
  /** The official y_labels.csv (manifests/…): `<12-digit id>.bin,2,<label>`, person rows first. */
  officialList: string
  officialCount: number
  personRule: PersonRule
  quantization: Quantization
}

/** One file of the sww01 runner's folders in mlcommons/tiny. `name` is its name in the download cache. */
export interface SwwRunnerFile extends SourceFile {
  /** Its name in the runner's folder and on the SD card (what a truth JSON's `wav_file` says). */
  runnerName: string
  /** Its path in the repository, below benchmark/runner/. */
  repositoryPath: string
  /** Every runner file is pinned by the git blob id the repository shows for it. */
  gitBlob: string
}

/** sww01: the runner's files (truth JSONs and WAVs, pinned by git blob id), the truth format and the board's WAV form. */
export interface SwwBenchmark {
  id: 'sww01'
  /** The files `tinydata download sww` fetches besides the speech and noise archives, as a data set of their own. */
  runnerSource: SourceDataset
  /** The same files, with their names in the runner's folders. */
  runnerFiles: readonly SwwRunnerFile[]
  /** The runner's truth JSON (stimuli.md §0.3): its keys and the one sample rate it may give. */
  truthFormat: typeof SWW_TRUTH_FORMAT
  boardWav: BoardWavFormat
  /** How the test WAVs are built from Speech Commands and MUSAN (stimuli.md §5.1-5.2: `prepare sww`). */
  build: SwwBuildDefinition
}

/** One official build: its spec and the names the runner knows its WAV and truth JSON by (runner/sww_data_dir/). */
export interface SwwOfficialBuild {
  spec: string
  wavFile: string
  truthFile: string
  /** Git blob ids of the published WAVs of this build (stimuli.md §0.3): what the result is compared with. */
  publishedBlobIds: readonly string[]
}

export interface SwwBuildDefinition {
  /** The spec placeholders and the data set each one stands for. */
  sources: {speechCommands: SourceDataset; musan: SourceDataset}
  placeholders: {speechCommands: string; musan: string}
  /** The folder MUSAN's tar holds everything under (`musan/music/…`); an extracted copy may lack it. */
  musanRoot: string
  official: {short: SwwOfficialBuild; long: SwwOfficialBuild}
  /** Speech Commands clips the reference refuses as wakewords (build_long_wav_def.py): a user spec is warned. */
  badWakewords: string
  recipe: {sampleRate: number; relativeThreshold: number}
}

export type SwwOfficialName = keyof SwwBuildDefinition['official']
export const SWW_OFFICIAL_NAMES: readonly SwwOfficialName[] = ['short', 'long']
