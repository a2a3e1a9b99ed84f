import {basename, posix} from 'node:path'

import {CLIP_SAMPLES, SAMPLE_RATE} from '../audio/kws-features.js'
import {decodeWav} from '../audio/wav.js'
import {openSource} from '../archives/source-reader.js'
import {fileError, UserError} from '../errors.js'
import {BACKGROUND_NOISE_FOLDER} from '../../datasets/speech-commands.js'
import type {StimulusRecord} from '../manifest/schema.js'
import {yLabelsCsv} from '../output/runner-folder.js'
import {readTfliteInputFile} from '../quantization/tflite.js'
import {SPEECH_COMMANDS_TEST_READ, tfdsReadOrder} from '../selection/tfds-read-order.js'
import {TINYDATA_VERSION} from '../version.js'
import {loadKwsOfficialTable, type KwsOfficialEntry} from './kws-official.js'
import {int16LittleEndianBytes} from '../audio/little-endian.js'
import {checkSourceSha256, firstFew, memberName, parityWithPinned, sha256Hex, type CheckedSource, type Parity} from './shared.js'
import {defaultThreads} from '../parallel/task-pool.js'
import {createKwsStimulusPool, IN_FLIGHT_PER_THREAD} from './stimulus-pool.js'
import type {KwsBenchmark, KwsSubset, KwsVariant, Precision, Quantization} from './kws-types.js'
import {type ModelInputQuantization, type WrittenFolder, writePreparedFolder} from '../inference/model-format.js'

export interface PrepareKwsOptions {
  /** Write the model's int8 input tensors (`--format model`) made with this quantisation, not the runner stimuli. */
  modelInput?: ModelInputQuantization
  benchmark: KwsBenchmark
  /** A tar.gz / tar of the Speech Commands test set, or the folder it was extracted to. */
  source: string
  /** The runner's datasets folder; stimuli go to `<out>/<benchmark id>/`. */
  out: string
  variant?: KwsVariant
  subset?: KwsSubset
  precision?: Precision
  /** Check the archive's sha256 against the pinned one (default true). */
  verify?: boolean
  /** Accept fewer than all official stimuli (default false: that is an error). */
  allowMissing?: boolean
  /** Take the input scale and zero point from this TFLite model instead of the pinned ones. */
  model?: string
  /** Threads that compute stimuli (default: one per CPU); 1 keeps everything in the calling thread. */
  threads?: number
  onProgress?: (progress: PrepareProgress) => void
}

export interface PrepareProgress {
  clipsRead: number
  selected: number
}

export interface PrepareKwsResult extends WrittenFolder {
  benchmark: string
  variant: KwsVariant
  subset: KwsSubset
  precision: Precision
  source: CheckedSource
  quantization: Quantization
  clipsRead: number
  filesWritten: number
  /** Official subset: how many of the official stimuli the source held. */
  official: {expected: number; found: number; missing: string[]} | null
  /** Written files whose bytes equal the official file of the same name and clip (null where no official bytes are pinned). */
  parity: Parity | null
  /** Test subset: positions 0…999 of the derived TFDS order whose clip is the official clip of that number. */
  tfdsOrder: {checked: number; matching: number} | null
  warnings: string[]
}

/** A clip of the source that the selection keeps, with its stimulus bytes. */
interface SelectedClip<Stimulus = Uint8Array> {
  member: string
  folder: string
  label: number
  pcmSha256: string
  stimulus: Stimulus
}

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
  const reader = await openSource(options.source)
  const labelOfFolder = speechCommandsLabels(benchmark)
  const warnings: string[] = []

  const maker = createKwsStimulusPool(benchmark, {variant: variantName, quantization, precision}, options.threads ?? defaultThreads())
  const reading: SelectedClip<Promise<Uint8Array>>[] = []
  const stimulusByPcm = new Map<string, Promise<Uint8Array>>()
  let clipsRead = 0
  let selected: SelectedClip[]
  try {
    for await (const member of reader.members()) {
      const location = memberLocation(member.path)
      if (!location) continue // top-level files such as LICENSE or README.md
      const name = memberName(options.source, member.path)
      if (location.folder === BACKGROUND_NOISE_FOLDER) {
        throw fileError(options.source, `holds ${location.folder}/, so it is the full Speech Commands archive; kws01 is made from the test-set archive ${benchmark.source.files[0]!.name}`)
      }
      if (!member.path.endsWith(MEMBER_EXTENSION)) throw fileError(name, 'is not a .wav clip (every file in a label folder must be one)')
      const samples = decodeClip(member.bytes, name)
      clipsRead++
      const pcmSha256 = sha256Hex(int16LittleEndianBytes(samples))
      const label = labelOfFolder(location.folder)
      const officialEntries = official.byPcmSha256.get(pcmSha256)
      if (subset === 'official' && !officialEntries) continue
      if (officialEntries && officialEntries[0]!.label !== label) {
        warnings.push(`${member.path}: is official ${officialEntries[0]!.file} but lies in folder ${location.folder}/ (label ${label}); the official label is kept`)
      }
      let stimulus = stimulusByPcm.get(pcmSha256)
      if (!stimulus) {
        await maker.whenBelow(maker.threads * IN_FLIGHT_PER_THREAD)
        stimulus = maker.run(samples)
        stimulusByPcm.set(pcmSha256, stimulus)
      }
      reading.push({member: member.path, folder: location.folder, label: officialEntries?.[0]!.label ?? label, pcmSha256, stimulus})
      options.onProgress?.({clipsRead, selected: reading.length})
    }
    selected = await Promise.all(reading.map(async (clip) => ({...clip, stimulus: await clip.stimulus})))
  } finally {
    await maker.close()
  }
  if (clipsRead === 0) {
    throw fileError(options.source, 'holds no .wav clips in Speech Commands label folders (<word>/<clip>.wav)')
  }

  const source = checkSourceSha256(reader, [benchmark.source.files[0]!], options.verify !== false)

  const named = subset === 'official' ? nameOfficial(selected, official.entries) : nameTestSplit(selected, benchmark, official.entries)
  const records: StimulusRecord[] = named.rows.map(({file, clip}) => ({
    file,
    label: clip.label,
    className: benchmark.classNames[clip.label]!,
    sourceMember: clip.member,
    sourceSha256: clip.pcmSha256,
    stimulusSha256: sha256Hex(clip.stimulus),
    dtype: quantization.dtype,
    shape: [...variant.shape],
    scale: quantization.scale,
    zeroPoint: quantization.zeroPoint,
    subset,
    bytes: clip.stimulus,
  }))

  if (records.length === 0) {
    throw fileError(options.source, `holds none of the ${benchmark.officialCount} official clips (selected by the sha256 of their samples)`)
  }
  if (subset === 'official' && named.missing.length > 0 && !options.allowMissing) {
    throw fileError(options.source, `holds ${benchmark.officialCount - named.missing.length} of the ${benchmark.officialCount} official clips (missing ${firstFew(named.missing)}); --allow-missing writes the ones found`)
  }

  const written = await writePreparedFolder(options.out, benchmark.id, {
    records,
    yLabels: yLabelsCsv(records, benchmark.classNames.length),
    meta: {
      benchmark: benchmark.id,
      tinydataVersion: TINYDATA_VERSION,
      recipe: {variant: variantName, precision, ...variant.recipe, quantization_parameters: quantization},
      source: {file: basename(options.source), kind: reader.kind, sha256: source.sha256},
      subset,
    },
  }, options.modelInput)

  return {
    benchmark: benchmark.id,
    variant: variantName,
    subset,
    precision,
    ...written,
    source,
    quantization,
    clipsRead,
    filesWritten: records.length,
    official: subset === 'official' ? {expected: benchmark.officialCount, found: records.length, missing: named.missing} : null,
    // Official bytes are pinned for the pinned quantisation only; another model's scale makes other bytes.
    parity: options.model ? null : parityWithOfficial(records, official.entries, variantName),
    tfdsOrder: named.orderCheck ?? null,
    warnings,
  }
}

/** `<folder>/<clip>` of a member path; undefined for files at the top of the archive. */
function memberLocation(path: string): {folder: string} | undefined {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.')
  return parts.length >= 2 ? {folder: parts.at(-2)!} : undefined
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

/** A Speech Commands clip is at most one second; shorter ones are zero-padded at the end (stimuli.md §1.3 step 3). */
function decodeClip(bytes: Uint8Array, name: string): Int16Array {
  const audio = decodeWav(bytes, name)
  if (audio.sampleRate !== SAMPLE_RATE || audio.channels !== 1) {
    throw fileError(name, `is ${audio.sampleRate} Hz with ${audio.channels} channels; Speech Commands clips are 16 kHz mono 16-bit PCM`)
  }
  if (audio.samples.length > CLIP_SAMPLES) {
    throw fileError(name, `has ${audio.samples.length} samples, more than the ${CLIP_SAMPLES} of a one-second clip`)
  }
  const padded = new Int16Array(CLIP_SAMPLES)
  padded.set(audio.samples)
  return padded
}

/**
 * The official subset in official order. A clip found twice in the source serves its two official names in turn;
 * found once, it serves both (the six duplicated clips have identical bytes under both names).
 */
function nameOfficial(selected: readonly SelectedClip[], entries: readonly KwsOfficialEntry[]) {
  const byPcm = new Map<string, SelectedClip[]>()
  for (const clip of selected) byPcm.set(clip.pcmSha256, [...(byPcm.get(clip.pcmSha256) ?? []), clip])
  const seen = new Map<string, number>()
  const rows: {file: string; clip: SelectedClip}[] = []
  const missing: string[] = []
  for (const entry of entries) {
    const clips = byPcm.get(entry.pcmSha256)
    if (!clips) {
      missing.push(entry.file)
      continue
    }
    const occurrence = seen.get(entry.pcmSha256) ?? 0
    seen.set(entry.pcmSha256, occurrence + 1)
    rows.push({file: entry.file, clip: clips[Math.min(occurrence, clips.length - 1)]!})
  }
  return {rows, missing, orderCheck: undefined}
}

/**
 * Every clip, numbered in TFDS read order as make_bin_files.py numbered them: `tst_NNNNNN_<Name>_<label>.bin`.
 * The derived order is checked against the official list: position n must hold the official clip n.
 */
function nameTestSplit(selected: readonly SelectedClip[], benchmark: KwsBenchmark, entries: readonly KwsOfficialEntry[]) {
  const ordered = tfdsReadOrder(selected, (clip) => `${clip.folder}_${posix.basename(clip.member)}`, SPEECH_COMMANDS_TEST_READ)
  const rows = ordered.map((clip, n) => ({
    file: `tst_${String(n).padStart(6, '0')}_${benchmark.classNames[clip.label]}_${clip.label}.bin`,
    clip,
  }))
  const checked = Math.min(rows.length, entries.length)
  let matching = 0
  for (let n = 0; n < checked; n++) if (rows[n]!.clip.pcmSha256 === entries[n]!.pcmSha256) matching++
  return {rows, missing: [] as string[], orderCheck: {checked, matching}}
}

/**
 * Compares written bytes with the official file of the same name through the pinned sha256 values, where the name
 * holds the same clip (always in the official subset; in the test subset only where the derived order agrees).
 */
function parityWithOfficial(records: readonly StimulusRecord[], entries: readonly KwsOfficialEntry[], variant: KwsVariant): Parity {
  const byFile = new Map(entries.map((entry) => [entry.file, entry]))
  const pinnedHash = (entry: KwsOfficialEntry) =>
    variant === 'mfcc' ? entry.mfccSha256 : variant === 'lfbe' ? entry.lfbeSha256 : entry.pcmSha256
  const sameClip = records.filter((record) => byFile.get(record.file)?.pcmSha256 === record.sourceSha256)
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

