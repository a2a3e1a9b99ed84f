/**
 * kws01 on the shared pipeline: Speech Commands clips selected by the sha256 of their samples (the official subset)
 * or all of them in TFDS read order (`test`), made into int8 MFCC, uint8 LFBE or the raw int16 samples.
 */
import {basename, posix} from 'node:path'

import {BACKGROUND_NOISE_FOLDER} from '../../datasets/speech-commands.js'
import {int16LittleEndianBytes} from '../audio/little-endian.js'
import {decodeSpeechCommandsWav, oneSecondClip} from '../audio/speech-commands-clip.js'
import {fileError, UserError} from '../errors.js'
import {sha256Hex} from '../io/hash.js'
import {readTfliteInputFile} from '../quantization/tflite.js'
import {SPEECH_COMMANDS_TEST_READ, tfdsReadOrder} from '../selection/tfds-read-order.js'
import type {KwsBenchmark, KwsSubset, KwsVariant, Precision, Quantization} from '../../datasets/types.js'
import {loadKwsOfficialTable, type KwsOfficialEntry} from './kws-official.js'
import {recipe} from './recipes/kws.js'
import {memberName, runnerHashes, runPipeline, type Arrangement, type Made, type PipelineOptions, type PipelineResult} from './pipeline.js'
import {parityWithPinned, type Parity} from '../formats/pinned-tables.js'
import {type PrepareResultBase, resultBase} from './shared.js'

export interface PrepareKwsOptions extends PipelineOptions {
  benchmark: KwsBenchmark
  variant?: KwsVariant
  subset?: KwsSubset
  precision?: Precision
  /** Take the input scale and zero point from this TFLite model instead of the pinned ones. */
  model?: string
}

export interface PrepareKwsResult extends PrepareResultBase {
  variant: KwsVariant
  subset: KwsSubset
  precision: Precision
  quantization: Quantization
  clipsRead: number
  /** Official subset: how many of the official stimuli the source held. */
  official: {expected: number; found: number; missing: string[]} | null
  /** Written files whose bytes equal the official file of the same name and clip (null where no official bytes are pinned). */
  parity: Parity | null
  /** Test subset: positions 0…999 of the derived TFDS order whose clip is the official clip of that number. */
  tfdsOrder: {checked: number; matching: number} | null
}

/** Clips in flight per thread: enough to keep every thread busy while the main thread reads the archive. */
const IN_FLIGHT_PER_THREAD = 8
const MEMBER_EXTENSION = '.wav'

export async function prepareKws(options: PrepareKwsOptions): Promise<PrepareKwsResult> {
  const {benchmark} = options
  const variantName = options.variant ?? benchmark.defaultVariant
  const variant = benchmark.variants[variantName]
  const subset = options.subset ?? 'official'
  const precision = options.precision ?? 'exact'
  if (options.modelInput && variantName !== 'mfcc') {
    throw new UserError(`--format model writes the reference model's input, made from the mfcc stimuli, not ${variantName}`)
  }
  const quantization = options.model ? await modelQuantization(options.model, variantName, variant.shape) : variant.quantization
  const official = loadKwsOfficialTable(benchmark.officialHashes)
  const labelOfFolder = speechCommandsLabels(benchmark)
  const warnings: string[] = []
  let clipsRead = 0
  let tfdsOrder: PrepareKwsResult['tfdsOrder'] = null

  const result = await runPipeline({
    id: benchmark.id,
    classNames: benchmark.classNames,
    subset,
    stimulus: {dtype: quantization.dtype, shape: variant.shape, scale: quantization.scale, zeroPoint: quantization.zeroPoint},
    sourceFiles: [benchmark.source.files[0]!],
    recipe, setup: {variant: variantName, quantization, precision}, inFlightPerThread: IN_FLIGHT_PER_THREAD,
    select(member) {
      const folder = clipFolder(member.path)
      if (folder === undefined) return [] // top-level files such as LICENSE or README.md
      if (folder === BACKGROUND_NOISE_FOLDER) {
        throw fileError(options.source, `holds ${folder}/, so it is the full Speech Commands archive; kws01 is made from the test-set archive ${benchmark.source.files[0]!.name}`)
      }
      const name = memberName(options.source, member.path)
      if (!member.path.endsWith(MEMBER_EXTENSION)) throw fileError(name, 'is not a .wav clip (every file in a label folder must be one)')
      const samples = oneSecondClip(decodeSpeechCommandsWav(member.bytes, name), name)
      clipsRead++
      const pcmSha256 = sha256Hex(int16LittleEndianBytes(samples))
      const label = labelOfFolder(folder)
      const officialEntry = official.byPcmSha256.get(pcmSha256)?.[0]
      if (subset === 'official' && !officialEntry) return []
      if (officialEntry && officialEntry.label !== label) {
        warnings.push(`${member.path}: is official ${officialEntry.file} but lies in folder ${folder}/ (label ${label}); the official label is kept`)
      }
      // Staged under the clip's content: the same clip read twice is made once, and named once every clip is read.
      return [{key: `${pcmSha256}.pcm`, member: member.path, sourceSha256: pcmSha256, label: officialEntry?.label ?? label, task: samples}]
    },
    sameKey: 'share',
    afterReading() {
      if (clipsRead === 0) throw fileError(options.source, 'holds no .wav clips in Speech Commands label folders (<word>/<clip>.wav)')
    },
    arrange(made) {
      if (subset === 'official') return nameOfficial(made, official.entries)
      const named = nameTestSplit(made, benchmark, official.entries)
      tfdsOrder = named.orderCheck
      return named
    },
    describe: {
      none: () => `holds none of the ${benchmark.officialCount} official clips (selected by the sha256 of their samples)`,
      selection: 'official clips',
    },
    recipeMeta: {variant: variantName, precision, ...variant.recipe, quantization_parameters: quantization},
  }, options, warnings)

  return {
    ...resultBase(benchmark.id, result),
    variant: variantName,
    subset,
    precision,
    quantization,
    clipsRead,
    official: subset === 'official' ? {expected: benchmark.officialCount, found: result.rows.length, missing: result.missing} : null,
    // Official bytes are pinned for the pinned quantisation only; another model's scale makes other bytes.
    parity: options.model ? null : parityWithOfficial(result, official.entries, variantName),
    tfdsOrder,
  }
}

/** The label folder of a member (`<folder>/<clip>`); undefined for files at the top of the archive. */
function clipFolder(path: string): string | undefined {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.')
  return parts.length >= 2 ? parts.at(-2)! : undefined
}

/**
 * Label of a clip from its folder, as TFDS speech_commands does: the ten words are 0–9, `_silence_` is 10, and every
 * other folder (`_unknown_` in the test set) is 11.
 */
function speechCommandsLabels(benchmark: KwsBenchmark): (folder: string) => number {
  const words = benchmark.classNames.slice(0, 10).map((name) => name.toLowerCase())
  const silence = benchmark.classNames.indexOf('Silence')
  const unknown = benchmark.classNames.indexOf('Unknown')
  return (folder) => {
    const word = words.indexOf(folder)
    if (word >= 0) return word
    return folder === '_silence_' ? silence : unknown
  }
}

type MadeClip = Made<object>

/**
 * The official subset in official order. A clip found twice in the source serves its two official names in turn;
 * found once, it serves both (the six duplicated clips have identical bytes under both names).
 */
function nameOfficial(made: readonly MadeClip[], entries: readonly KwsOfficialEntry[]): Arrangement<object> {
  const byPcm = new Map<string, MadeClip[]>()
  for (const clip of made) byPcm.set(clip.sourceSha256, [...(byPcm.get(clip.sourceSha256) ?? []), clip])
  const seen = new Map<string, number>()
  const rows: Arrangement<object>['rows'] = []
  const missing: string[] = []
  for (const entry of entries) {
    const clips = byPcm.get(entry.pcmSha256)
    if (!clips) {
      missing.push(entry.file)
      continue
    }
    const occurrence = seen.get(entry.pcmSha256) ?? 0
    seen.set(entry.pcmSha256, occurrence + 1)
    rows.push({file: entry.file, made: clips[Math.min(occurrence, clips.length - 1)]!})
  }
  return {rows, missing}
}

/**
 * Every clip, numbered in TFDS read order as make_bin_files.py numbered them: `tst_NNNNNN_<Name>_<label>.bin`.
 * The derived order is checked against the official list: position n must hold the official clip n.
 */
function nameTestSplit(made: readonly MadeClip[], benchmark: KwsBenchmark, entries: readonly KwsOfficialEntry[]) {
  const ordered = tfdsReadOrder(made, (clip) => `${clipFolder(clip.member)}_${posix.basename(clip.member)}`, SPEECH_COMMANDS_TEST_READ)
  const rows = ordered.map((clip, n) => ({
    file: `tst_${String(n).padStart(6, '0')}_${benchmark.classNames[clip.label]}_${clip.label}.bin`,
    made: clip,
  }))
  const checked = Math.min(rows.length, entries.length)
  let matching = 0
  for (let n = 0; n < checked; n++) if (rows[n]!.made.sourceSha256 === entries[n]!.pcmSha256) matching++
  return {rows, missing: [], orderCheck: {checked, matching}}
}

/**
 * Compares written bytes with the official file of the same name through the pinned sha256 values, where the name
 * holds the same clip (always in the official subset; in the test subset only where the derived order agrees).
 */
function parityWithOfficial(result: PipelineResult<object>, entries: readonly KwsOfficialEntry[], variant: KwsVariant): Parity {
  const byFile = new Map(entries.map((entry) => [entry.file, entry]))
  const pinnedHash = (entry: KwsOfficialEntry) =>
    variant === 'mfcc' ? entry.mfccSha256 : variant === 'lfbe' ? entry.lfbeSha256 : entry.pcmSha256
  const sameClip = runnerHashes(result.rows.filter(({file, made}) => byFile.get(file)?.pcmSha256 === made.sourceSha256))
  return parityWithPinned(sameClip, new Map(entries.map((entry) => [entry.file, pinnedHash(entry)])))
}

/** `--model`: the input tensor's scale and zero point, checked against what the variant produces. */
async function modelQuantization(model: string, variant: KwsVariant, shape: readonly number[]): Promise<Quantization> {
  if (variant === 'td_samples') throw new UserError(`--model does not apply to td_samples: its bytes are the raw int16 samples`)
  const input = await readTfliteInputFile(model)
  if ((input.type !== 'int8' && input.type !== 'uint8') || input.scale === undefined || input.zeroPoint === undefined) {
    throw fileError(model, `input tensor ${input.name} is ${input.type} without quantisation; --model needs an int8 or uint8 model`)
  }
  const elements = input.shape.reduce((a, b) => a * b, 1)
  const expected = shape.reduce((a, b) => a * b, 1)
  if (elements !== expected) {
    throw fileError(model, `input tensor ${input.name} has shape [${input.shape}], not ${expected} values like the ${variant} stimuli [${shape}]`)
  }
  return {dtype: input.type, scale: input.scale, zeroPoint: input.zeroPoint, origin: `${basename(model)} input tensor`}
}
