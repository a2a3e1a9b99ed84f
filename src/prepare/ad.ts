import {basename} from 'node:path'

import {AD_MIN_SAMPLES, AD_SAMPLE_RATE, frameCount} from '../audio/ad-features.js'
import {decodeWav} from '../audio/wav.js'
import {openSource} from '../archives/source-reader.js'
import {fileError} from '../errors.js'
import type {StimulusRecord} from '../manifest/schema.js'
import {TINYDATA_VERSION} from '../version.js'
import {loadAdList, type AdListEntry} from './ad-lists.js'
import {defaultThreads} from '../parallel/task-pool.js'
import {AD_IN_FLIGHT_PER_THREAD, createAdStimulusPool} from './ad-pool.js'
import {checkSourceSha256, firstFew, memberName, officialStimulusHashes, parityWithPinned, sha256Hex, type CheckedSource, type Parity} from './shared.js'
import type {AdBenchmark, AdSourceLayout, AdSubset, AdWindowing} from './ad-types.js'
import {int16LittleEndianBytes} from '../audio/little-endian.js'
import {type ModelInputQuantization, type WrittenFolder, writePreparedFolder} from '../inference/model-format.js'

export interface PrepareAdOptions {
  /** Write the model's int8 input tensors (`--format model`) made with this quantisation, not the runner stimuli. */
  modelInput?: ModelInputQuantization
  benchmark: AdBenchmark
  /** dev_data_ToyCar.zip (or a tar/tar.gz of the same files), or the folder it was extracted to. */
  source: string
  /** The runner's datasets folder; stimuli go to `<out>/<benchmark id>/`. */
  out: string
  subset?: AdSubset
  /** Check the archive's sha256 against the pinned one where one is pinned (default true). */
  verify?: boolean
  /** Accept fewer than all stimuli of the official or alt list (default false: that is an error). */
  allowMissing?: boolean
  /** Threads that compute stimuli (default: one per CPU); 1 keeps everything in the calling thread. */
  threads?: number
  onProgress?: (progress: AdProgress) => void
}

export interface AdProgress {
  /** ToyCar test clips read so far. */
  clipsRead: number
  /** Of those, the clips the subset keeps (their stimuli are being made). */
  selected: number
}

export interface PrepareAdResult extends WrittenFolder {
  benchmark: string
  subset: AdSubset
  source: CheckedSource
  /** ToyCar test clips in the source (all of them, selected or not). */
  clipsRead: number
  filesWritten: number
  /** How the runners slice each stimulus (the last two fields of y_labels.csv). */
  windowing: AdWindowing
  /** official and alt subsets: how many stimuli of the pinned list the source held. */
  official: {list: string; expected: number; found: number; missing: string[]} | null
  /** Written files whose bytes equal the official file of the same name, through the pinned sha256 values. */
  parity: Parity | null
  warnings: string[]
}

/** A ToyCar test clip of the source, as its name describes it. */
interface ToyCarClip {
  /** `normal_id_01_00000003.wav` */
  file: string
  className: string
}

interface MadeStimulus<Bytes = Uint8Array> {
  file: string
  member: string
  label: number
  className: string
  pcmSha256: string
  bytes: Bytes
}

export async function prepareAd(options: PrepareAdOptions): Promise<PrepareAdResult> {
  const {benchmark} = options
  const {layout, windowing} = benchmark
  const subset = options.subset ?? 'official'
  const listPath = subset === 'all' ? undefined : benchmark.lists[subset]
  const list = listPath === undefined ? undefined : loadAdList(listPath, benchmark.classNames.length, windowing.bytes, windowing.strideBytes)
  const listed = new Map(list?.map((entry) => [entry.file, entry]))
  const reader = await openSource(options.source)
  const sourceFile = benchmark.source.files[0]!
  const warnings: string[] = []

  const maker = createAdStimulusPool(options.threads ?? defaultThreads())
  const making: MadeStimulus<Promise<Uint8Array>>[] = []
  const seen = new Map<string, string>()
  let clipsRead = 0
  let trainingClips = 0
  let made: MadeStimulus[]
  try {
    // Only the test clips the selection wants are read: the training clips (most of dev_data_ToyCar.zip) and the
    // test clips off the list are counted, never inflated.
    const isWantedClip = (path: string): boolean => {
      const place = toyCarPlace(path, layout)
      if (place === 'training') trainingClips++
      if (place === undefined || place === 'training') return false
      if (place.machine !== undefined) {
        throw fileError(options.source, `holds ${place.machine} clips (${path}); ${benchmark.id} is made from the ${layout.machine} clips of ${sourceFile.name}`)
      }
      clipsRead++
      return list === undefined || listed.has(stimulusName(place.clip.file, layout))
    }
    for await (const member of reader.members(isWantedClip)) {
      const {clip} = toyCarPlace(member.path, layout) as {clip: ToyCarClip}
      const earlier = seen.get(clip.file)
      if (earlier !== undefined) {
        warnings.push(`${member.path}: a second copy of ${clip.file} (first at ${earlier}); the first is used`)
        continue
      }
      seen.set(clip.file, member.path)
      const file = stimulusName(clip.file, layout)
      const entry = listed.get(file)
      const name = memberName(options.source, member.path)
      const samples = decodeClip(member.bytes, name)
      const pcmSha256 = sha256Hex(int16LittleEndianBytes(samples))
      await maker.whenBelow(maker.threads * AD_IN_FLIGHT_PER_THREAD)
      // The list's label where there is a list (the official y_labels.csv), else the class the name says.
      const label = entry?.label ?? benchmark.classNames.indexOf(clip.className)
      making.push({
        file,
        member: member.path,
        label,
        className: benchmark.classNames[label]!,
        pcmSha256,
        bytes: maker.run(samples),
      })
      options.onProgress?.({clipsRead, selected: making.length})
    }
    made = await Promise.all(making.map(async (stimulus) => ({...stimulus, bytes: await stimulus.bytes})))
  } finally {
    await maker.close()
  }

  if (clipsRead === 0) {
    const expected = `${layout.testFolder}/{normal,anomaly}_id_NN_NNNNNNNN.wav under dev_data/${layout.machine}/`
    throw fileError(
      options.source,
      trainingClips > 0
        ? `holds only training clips (${layout.trainFolder}/); ${benchmark.id} is made from the ${layout.machine} test clips (${expected}) of ${sourceFile.name}`
        : `holds no DCASE 2020 ${layout.machine} test clips (${expected}); ${benchmark.id} is made from ${sourceFile.name}`,
    )
  }

  const source = checkSourceSha256(reader, [sourceFile], options.verify !== false)
  if (source.checksum === 'not verified (no published checksum)') {
    warnings.push(`${basename(options.source)}: not verified, because no checksum of ${sourceFile.name} is published (DCASE gives none); this file's sha256 is ${source.sha256}`)
  }

  const ordered = list ? inListOrder(made, list) : {stimuli: inOfficialOrder(made), missing: []}
  if (list && ordered.stimuli.length === 0) {
    const example = list[0]!.file
    throw fileError(options.source, `holds none of the ${list.length} ${subset} ${benchmark.id} clips (selected by name: ${example} is made from ${layout.testFolder}/${clipName(example, layout)})`)
  }
  if (list && ordered.missing.length > 0 && !options.allowMissing) {
    const {missing} = ordered
    throw fileError(options.source, `holds ${list.length - missing.length} of the ${list.length} ${subset} ${benchmark.id} clips (missing ${firstFew(missing)}); --allow-missing writes the ones found`)
  }

  const records: StimulusRecord[] = ordered.stimuli.map((stimulus) => ({
    file: stimulus.file,
    label: stimulus.label,
    className: stimulus.className,
    sourceMember: stimulus.member,
    sourceSha256: stimulus.pcmSha256,
    stimulusSha256: sha256Hex(stimulus.bytes),
    dtype: benchmark.dtype,
    shape: [...benchmark.shape],
    // The values are stored as they are: the device quantises them itself (recipe.device_quantization).
    scale: 1,
    zeroPoint: 0,
    subset,
    bytes: stimulus.bytes,
  }))

  const written = await writePreparedFolder(options.out, benchmark.id, {
    records,
    yLabels: adLabelsCsv(records, benchmark),
    meta: {
      benchmark: benchmark.id,
      tinydataVersion: TINYDATA_VERSION,
      recipe: benchmark.recipe,
      source: {file: basename(options.source), kind: reader.kind, sha256: source.sha256},
      subset,
      window: {frames: windowing.frames, bytes: windowing.bytes, stride_bytes: windowing.strideBytes, per_stimulus: windowing.perStimulus},
    },
  }, options.modelInput)

  return {
    benchmark: benchmark.id,
    subset,
    ...written,
    source,
    clipsRead,
    filesWritten: records.length,
    windowing,
    official: list && listPath ? {list: basename(listPath), expected: list.length, found: records.length, missing: ordered.missing} : null,
    parity: someParity(parityWithPinned(records, officialStimulusHashes(benchmark.officialStimuli))),
    warnings,
  }
}

/**
 * Where a member sits in the DCASE layout `dev_data/<machine>/{train,test}/<clip>.wav`: a test clip (of another
 * machine when `machine` is set), a training clip, or nothing of ad01's (undefined). Clips at the top of a folder
 * count as test clips, for a `--source` that points at `test/` itself.
 */
function toyCarPlace(path: string, layout: AdSourceLayout): 'training' | {clip: ToyCarClip; machine: string | undefined} | undefined {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.')
  const file = parts.at(-1)!
  const match = layout.clipName.exec(file)
  if (!match) return undefined
  const folder = parts.at(-2)
  if (folder === layout.trainFolder) return 'training'
  if (folder !== undefined && folder !== layout.testFolder) return undefined
  const machine = parts.at(-3)
  return {
    clip: {file, className: match[1]!},
    machine: machine !== undefined && layout.otherMachines.includes(machine) ? machine : undefined,
  }
}

/** `normal_id_01_00000003.wav` → `normal_id_01_00000003_hist_librosa.bin`, and back. */
function stimulusName(clipFile: string, layout: AdSourceLayout): string {
  return clipFile.replace(/\.wav$/, layout.stimulusSuffix)
}

function clipName(stimulusFile: string, layout: AdSourceLayout): string {
  return `${stimulusFile.slice(0, -layout.stimulusSuffix.length)}.wav`
}

/** A ToyCar clip: 16 kHz mono 16-bit PCM, long enough for frames 50–249 (stimuli.md §4.1, §4.2 step 4). */
function decodeClip(bytes: Uint8Array, name: string): Int16Array {
  const audio = decodeWav(bytes, name)
  if (audio.sampleRate !== AD_SAMPLE_RATE || audio.channels !== 1) {
    throw fileError(name, `is ${audio.sampleRate} Hz with ${audio.channels} channels; DCASE ToyCar clips are 16 kHz mono 16-bit PCM`)
  }
  if (audio.samples.length < AD_MIN_SAMPLES) {
    throw fileError(name, `has ${audio.samples.length} samples (${frameCount(audio.samples.length)} frames); ad01 keeps frames 50-249, so a clip needs at least ${AD_MIN_SAMPLES} samples (250 frames)`)
  }
  return audio.samples
}

/** The stimuli of a pinned list in its order, and the list's files the source did not hold. */
function inListOrder(made: readonly MadeStimulus[], list: readonly AdListEntry[]) {
  const byFile = new Map(made.map((stimulus) => [stimulus.file, stimulus]))
  const stimuli: MadeStimulus[] = []
  const missing: string[] = []
  for (const entry of list) {
    const stimulus = byFile.get(entry.file)
    if (stimulus) stimuli.push(stimulus)
    else missing.push(entry.file)
  }
  return {stimuli, missing}
}

/**
 * Every test clip in the order of the official list (stimuli.md §4.1): normal before anomaly, then by machine id,
 * then by clip number; the zero-padded names sort that way within a class.
 */
function inOfficialOrder(made: readonly MadeStimulus[]): MadeStimulus[] {
  return [...made].sort((a, b) => a.label - b.label || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

/** y_labels.csv rows `file,classes,label,window bytes,stride bytes` with LF endings (stimuli.md §4.2 step 6). */
function adLabelsCsv(records: readonly Pick<StimulusRecord, 'file' | 'label'>[], benchmark: AdBenchmark): string {
  const {bytes, strideBytes} = benchmark.windowing
  return records.map((record) => `${record.file},${benchmark.classNames.length},${record.label},${bytes},${strideBytes}\n`).join('')
}

/** Parity where the official list pins any of the written files; null where none of them is official. */
function someParity(parity: Parity): Parity | null {
  return parity.compared > 0 ? parity : null
}
