/** tinydata as a library: the building blocks behind the CLI. */
export {UserError} from './errors.js'
export {openSource, type SourceMember, type SourceReader} from './archives/source-reader.js'
export {decodeWav, encodeWav, type PcmAudio} from './audio/wav.js'
export {lfbeExact, lfbeFloat64, mfccExact, mfccFloat64} from './audio/kws-features.js'
export {quantizeInt8, quantizeUint8} from './quantization/quantize.js'
export {readTfliteInput, readTfliteInputFile, readTfliteTensors, type TfliteInput, type TfliteTensor} from './quantization/tflite.js'
export {tfdsReadOrder} from './selection/tfds-read-order.js'
export type {ManifestMetadata, ManifestRow, StimulusRecord} from './manifest/schema.js'
export {decodeManifest, readManifest, readManifestMeta, readManifestRows, type Manifest, type ManifestRows} from './manifest/reader.js'
export {encodeManifest, writeManifest} from './manifest/writer.js'
export {prepareKws, type PrepareKwsOptions, type PrepareKwsResult} from './prepare/kws.js'
export type {KwsBenchmark, KwsSubset, KwsVariant, Precision} from '../datasets/types.js'
export {kws01} from '../datasets/kws01.js'
export {scoreResultPath, scoreResultToJson, writePredictions, type ScoreResult, type ScoreOptions} from './scoring/index.js'
export {prepareIc, type PrepareIcOptions, type PrepareIcResult} from './prepare/ic.js'
export {prepareVww, type PrepareVwwOptions, type PrepareVwwResult} from './prepare/vww.js'
export {prepareAd, type PrepareAdOptions, type PrepareAdResult} from './prepare/ad.js'
export {adLogMelStimulus, adStimulusBytes} from './audio/ad-features.js'
export {slaneyMelBasis, type SlaneyMelBasis} from './audio/slaney-mel.js'
export {
  cacheStatus,
  downloadSourceFiles,
  DownloadInterrupted,
  ensureSourceFile,
  NotInCache,
  planDownloads,
} from './download/index.js'
export {ic01} from '../datasets/ic01.js'
export {vww01} from '../datasets/vww01.js'
export {ad01} from '../datasets/ad01.js'
export {verifyFolder, type VerifyOptions, type VerifyResult} from './verify/verify.js'
export {exportFolder, type ExportOptions, type ExportResult} from './export/export.js'
export {
  contactSheetPng, decodeStimulus, labelText, renderContactSheet, renderStimulusPreview, showStimuli, stimulusPreviewPng,
  type ContactSheet, type ContactSheetEntry, type ContactSheetOptions, type PreviewOptions, type ShowOptions, type ShowResult,
  type StimulusPreview,
} from './preview/index.js'
export {scoreReportHtml, writeScoreReport, type ScoreReportOptions} from './report/index.js'
export {inferFolder, type InferOptions, type InferResult, REFERENCE_MODELS, referenceModelPath} from './inference/infer.js'
export {
  AD_WINDOWS, adWindowScore, dequantizeInt8, modelInputTensors, quantizeFloatToInt8, type Quantization,
} from './quantization/model-input.js'
export {modelInputQuantization, toModelFormat, type ModelInputQuantization, type StimulusFormat} from './output/prepared-folder.js'
export {formatResults, GoldenLogWriter} from './inference/golden-log.js'
export {Int8Model, tfliteRuntimeAvailable} from './inference/runtime.js'
export {againstResultToJson, type AgainstResult, compareWithGolden} from './scoring/against.js'
