/**
 * tinydata as a library: its public API. What this file exports is what a user may import from 'tinydata' and rely
 * on (the README's Library section lists it by task); every other module is internal and may change between versions.
 * Results are camelCase TypeScript objects; the commands print the same results with snake_case keys.
 */

// Errors: a UserError is a problem with the input (one line naming the file); anything else is a bug.
export {UserError} from './errors.js'

// Benchmark definitions (declarative facts: sources, checksums, class names, lists, recipe parameters) and their types.
export {ad01} from '../datasets/ad01.js'
export {sww01} from '../datasets/sww01.js'
export {ic01} from '../datasets/ic01.js'
export {kws01} from '../datasets/kws01.js'
export {vww01} from '../datasets/vww01.js'
export type {
  AdBenchmark, AdSubset, BenchmarkDefinition, IcBenchmark, IcList, IcSubset, KwsBenchmark, KwsSubset, KwsVariant, Precision,
  SingleFormatBenchmark, SourceDataset, SourceFile,
  VwwBenchmark, VwwSubset,
} from '../datasets/types.js'
export {
  BENCHMARK_IDS, type BenchmarkId, RUNNER_BENCHMARK_IDS, RUNNER_BENCHMARKS, type RunnerBenchmark, type RunnerBenchmarkId,
} from './benchmark-ids.js'

// Sources: the download cache, and a streamed reader of tar.gz, tar, zip and folders.
export {cacheStatus, downloadSourceFiles, DownloadInterrupted, ensureSourceFile, NotInCache, planDownloads} from './download/index.js'
export {openSource, type SourceMember, type SourceReader} from './archives/source-reader.js'

// Prepare: one function per benchmark, all running the shared pipeline (runPipeline, for a benchmark of your own).
export {prepareAd, type PrepareAdOptions, type PrepareAdResult} from './prepare/ad.js'
export {prepareIc, type PrepareIcOptions, type PrepareIcResult} from './prepare/ic.js'
export {prepareKws, type PrepareKwsOptions, type PrepareKwsResult} from './prepare/kws.js'
export {prepareVww, type PrepareVwwOptions, type PrepareVwwResult} from './prepare/vww.js'
export {prepareSww, type PrepareSwwOptions, type PrepareSwwResult} from './prepare/sww.js'
export {
  runPipeline, type BenchmarkPipeline, type Candidate, type Made, type PipelineOptions, type PipelineResult, type PrepareProgress, type Recipe,
} from './prepare/pipeline.js'
export type {PrepareResultBase} from './prepare/shared.js'
export {PrepareInterrupted} from './prepare/pipeline.js'

// One job on n machines (`--shard i/n`), and the parts joined again; training splits as Arrow files (`--split`).
export {parseShard, type Shard} from './merge/shard.js'
export {mergeShards, type MergeOptions, type MergeResult} from './merge/merge.js'
export {prepareKwsSplit, type KwsSplitOptions, type KwsSplitResult} from './training/kws.js'
export {prepareIcSplit, type IcSplitOptions} from './training/ic.js'
export {prepareVwwSplit, type VwwSplitOptions} from './training/vww.js'
export {prepareAdSplit, type AdSplitOptions} from './training/ad.js'
export type {SplitOptions, SplitResult} from './training/run-split.js'

// Recipes, stage by stage: the exact feature functions and casts the stimuli are made with.
export {decodeWav, encodeWav, type PcmAudio} from './audio/wav.js'
export {lfbeExact, lfbeFloat64, mfccExact, mfccFloat64} from './audio/kws-features.js'
export {adLogMelStimulus, adStimulusBytes} from './audio/ad-features.js'
export {quantizeInt8, quantizeUint8} from './quantization/quantize.js'
export {tfdsReadOrder} from './selection/tfds-read-order.js'

// The manifest (manifest.arrow): reader and writer.
export type {ManifestMetadata, ManifestRow, StimulusRecord} from './manifest/schema.js'
export {decodeManifest, readManifest, readManifestMeta, readManifestRows, type Manifest, type ManifestRows} from './manifest/reader.js'
export {encodeManifest, writeManifest} from './manifest/writer.js'

// Hand-off to the runners.
export {verifyFolder, type VerifyOptions, type VerifyResult} from './verify/verify.js'
export {exportFolder, type ExportOptions, type ExportResult} from './export/export.js'

// Models: TFLite tensors, the device's input conversions, the model format, golden runs.
export {readTfliteInput, readTfliteInputFile, readTfliteTensors, type TfliteInput, type TfliteTensor} from './quantization/tflite.js'
export {
  AD_WINDOWS, adWindowScore, dequantizeInt8, modelInputTensors, quantizeFloatToInt8, type Quantization,
} from './quantization/model-input.js'
export {modelInputQuantization, toModelFormat, type ModelInputQuantization, type StimulusFormat} from './output/prepared-folder.js'
export {inferFolder, type InferOptions, type InferResult, REFERENCE_MODELS, referenceModelPath} from './inference/infer.js'
export {formatResults, GoldenLogWriter} from './inference/golden-log.js'
export {Int8Model, tfliteRuntimeAvailable} from './inference/runtime.js'
export {inferSww, type SwwInferOptions, type SwwInferResult} from './inference/sww-golden.js'

// Scoring device logs, and what a person reads of them.
export {scoreResultPath, scoreResultToJson, writePredictions, type ScoreOptions, type ScoreResult} from './scoring/index.js'
export {againstResultToJson, type AgainstResult, compareWithGolden} from './scoring/against.js'
export {scoreReportHtml, writeScoreReport, type ScoreReportOptions} from './report/index.js'

// Checking a submission tree as MLCommons' checker does, every figure recomputed; its results table and final report.
export {
  CHECK_VERSIONS, checkTree, type CheckOptions, type CheckProblem, type CheckResult, type CheckVersion, type SummaryRow,
  type SystemSummary,
} from './check/index.js'
export {writeSummaryTable} from './check/table.js'
export {writeFinalReport} from './check/final-report.js'
export {
  contactSheetPng, decodeStimulus, labelText, renderContactSheet, renderStimulusPreview, showStimuli, stimulusPreviewPng,
  type ContactSheet, type ContactSheetEntry, type ContactSheetOptions, type PreviewOptions, type ShowOptions, type ShowResult,
  type StimulusPreview,
} from './preview/index.js'
