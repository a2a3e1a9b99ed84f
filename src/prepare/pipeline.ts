/**
 * The stages every benchmark's stimuli go through: source → select → decode → features → quantize → write.
 *
 * A benchmark says only what truly differs (a `BenchmarkPipeline`): which members of the source it reads, the
 * candidates each member gives (decoded where decoding is cheap), the recipe that turns a candidate into stimulus bytes
 * (on worker threads), and how the made stimuli are named and ordered. Everything else happens here, once: reading the
 * source as a stream, the duplicate-member rule, the worker pool and its in-flight bound, writing each stimulus into
 * the staged folder as it is made, the source checksum, the none-found and --allow-missing errors, y_labels.csv, the
 * manifest, and the atomic swap of the folder. With `--shard i/n` only the shard's stimuli are made and written; every
 * shard still reads the whole source and arranges the whole selection, so it knows where its rows stand in it.
 */
import {stat} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {largestMemberOf, openSource, type MemberFilter, type SourceMember, type SourceReader} from '../archives/source-reader.js'
import type {SourceFile} from '../../datasets/types.js'
import {fileError, Interrupted} from '../errors.js'
import {formatYLabels, type YLabelsWindowing} from '../formats/y-labels.js'
import type {ManifestMetadata, ManifestRow, ManifestShard} from '../manifest/schema.js'
import {inShard, selectionSha256, shardFolderName, type Shard} from '../merge/shard.js'
import {InFlightLimit} from '../parallel/concurrently.js'
import {createTaskPool, defaultThreads} from '../parallel/task-pool.js'
import {TINYDATA_VERSION} from '../version.js'
import {checkSourceSha256, firstFew, type CheckedSource} from './shared.js'
import {makeStimulus, type MadeStimulus, type Recipe, type StimulusJob} from './make-stimulus.js'
import {PreparedFolderWriter, type ModelInputQuantization, type WrittenFolder} from '../output/prepared-folder.js'

/** Stimulus bytes the manifest rows may keep in memory (kws01's 4,890 are 2.4 MB); past it they are read back. */
const KEPT_STIMULUS_BYTES = 16 * 1024 * 1024

export type {Recipe} from './make-stimulus.js'

/** One stimulus a member gives, before its bytes are made. */
export interface Candidate<Task> {
  /**
   * Names the stimulus bytes. Candidates with the same key are one stimulus (see `sameKey`). It is the file name
   * where the name is known as the member is read; otherwise any unique name that `arrange` renames.
   */
  key: string
  member: string
  /** sha256 of the decoded source (samples, encoded image, CIFAR record): the manifest's source_sha256. */
  sourceSha256: string
  label: number
  task: Task
}

/** A candidate whose stimulus is made and staged. */
export interface Made<Output> extends Omit<Candidate<unknown>, 'task'> {
  /** The manifest row as written (in the model format with --format model), without its bytes. */
  row: ManifestRow
  /** sha256 of the runner-format stimulus: what the pinned official hashes are of. */
  runnerSha256: string
  output: Omit<Output, 'bytes'>
}

/** One file of the output, in y_labels.csv order: the made stimulus it holds, under its final name. */
export interface OutputRow<Output> {
  file: string
  made: Made<Output>
}

export interface Arrangement<Output> {
  rows: OutputRow<Output>[]
  /** Files of the selection that the source lacked. */
  missing: string[]
}

/** What the manifest records of every stimulus but its name, label and hashes. */
export interface StimulusFormat {
  dtype: string
  shape: readonly number[]
  scale: number
  zeroPoint: number
}

export interface BenchmarkPipeline<Task, Output extends {bytes: Uint8Array}, Setup> {
  id: string
  classNames: readonly string[]
  subset: string
  stimulus: StimulusFormat
  /** The archives the source may be: its sha256 must be one of theirs (where one is published). */
  sourceFiles: readonly SourceFile[]
  recipe: Recipe<Task, Output, Setup>
  /** What the recipe is given besides each task (sent to every worker once). */
  setup: Setup
  /** Stimuli in the making per thread: enough to keep the threads busy while this one reads; it bounds memory. */
  inFlightPerThread: number
  /** Threads for this benchmark whatever --threads says (1: a recipe too cheap for workers). */
  threads?: number
  /** The members worth reading (the others are passed over unread); may throw for a source of the wrong kind. */
  wants?: MemberFilter
  /** The candidates one member gives (none for a member of no interest); decoding that happens here is on this thread. */
  select(member: SourceMember): Candidate<Task>[]
  /**
   * A key seen again: `share` makes one stimulus for both (kws01 clips that carry two official names), `first` keeps
   * the first and warns (a second copy of a member).
   */
  sameKey: 'share' | 'first'
  /** Called once every member is read: throws where the source held nothing of this benchmark. */
  afterReading?(): void
  /** Checks a made stimulus against its candidate (throws a UserError: the run fails, its folder is discarded). */
  check?(candidate: Candidate<Task>, output: Omit<Output, 'bytes'>): void
  /** The output files in order, and what the selection lacked. */
  arrange(made: readonly Made<Output>[]): Arrangement<Output>
  /** Shared errors: the selection found nothing (`none`), or only part of it (`selection` names the whole). */
  describe: {none(): string; selection: string}
  /** ad01: y_labels.csv rows also say how the runner slices each stimulus. */
  windowing?: YLabelsWindowing
  /** The manifest's recipe, and metadata beyond benchmark, version, source and subset. */
  recipeMeta: Record<string, unknown>
  extraMeta?(rows: readonly OutputRow<Output>[]): Record<string, unknown>
  /** The source as the manifest names it (`member`: the one member read, for ic01). */
  sourceMeta?(): Record<string, unknown>
}

export interface PipelineOptions {
  source: string
  out: string
  /** Check the source's sha256 against the pinned one (default true). */
  verify?: boolean
  /** Write what the source held of a selection it lacks part of (default false: an error). */
  allowMissing?: boolean
  /** Threads making stimuli (default: one per CPU); 1 keeps everything in the calling thread. */
  threads?: number
  /** Replace `<out>/<id>/` even where it holds files tinydata did not write (default false: an error naming one). */
  force?: boolean
  /** `--format model`: the model's int8 input tensors, made with this quantisation, instead of the runner stimuli. */
  modelInput?: ModelInputQuantization
  /** `--shard i/n`: make only this part of the selection, into `<out>/<id>-shard-<i>-of-<n>/`, for `merge` to join. */
  shard?: Shard
  onProgress?: (progress: PrepareProgress) => void
  /** Stops the run before its folder is put in place (Ctrl-C): PrepareInterrupted, the previous folder untouched. */
  signal?: AbortSignal
}

/** A prepare stopped by its signal: nothing was put in place, and what it had staged is removed. */
export class PrepareInterrupted extends Interrupted {
  override name = 'PrepareInterrupted'
  constructor(readonly folder: string, folderExists: boolean) {
    const left = folderExists ? `${folder} was not replaced (it holds what it held before)` : `nothing was written to ${folder}`
    super(`Interrupted: ${left}; the files this run had made so far were removed`)
  }
}

export interface PrepareProgress {
  membersRead: number
  /** Stimuli selected so far (their bytes are being made). */
  selected: number
  made: number
}

export interface PipelineResult<Output> extends WrittenFolder {
  source: CheckedSource
  rows: OutputRow<Output>[]
  missing: string[]
  warnings: string[]
}

export async function runPipeline<Task, Output extends {bytes: Uint8Array}, Setup>(
  pipeline: BenchmarkPipeline<Task, Output, Setup>, options: PipelineOptions, warnings: string[],
): Promise<PipelineResult<Output>> {
  const reader = await openSource(options.source, {largestMember: largestMemberOf(pipeline.sourceFiles)})
  const {shard} = options
  const folderName = shard ? shardFolderName(pipeline.id, shard) : pipeline.id
  const folder = PreparedFolderWriter.create(options.out, pipeline.id, options.modelInput, options.force, folderName)
  try {
    const made = await makeStimuli(pipeline, options, reader, folder, warnings)
    // Once the folder is being put in place, the run finishes: a Ctrl-C then changes nothing.
    if (options.signal?.aborted) {
      const target = join(options.out, pipeline.id)
      throw new PrepareInterrupted(target, await stat(target).then(() => true, () => false))
    }
    pipeline.afterReading?.()
    const source = checkSourceSha256(reader, pipeline.sourceFiles, options.verify !== false)
    const {rows: selection, missing} = pipeline.arrange(made)
    if (selection.length === 0) throw fileError(options.source, pipeline.describe.none())
    if (missing.length > 0 && !options.allowMissing) {
      const expected = selection.length + missing.length
      throw fileError(options.source, `holds ${selection.length} of the ${expected} ${pipeline.describe.selection} (missing ${firstFew(missing)}); --allow-missing writes the ones found`)
    }
    const {rows, shardMeta} = shard ? shardRows(selection, shard, options.source) : {rows: selection, shardMeta: undefined}
    const manifestRows = rows.map(({file, made}): ManifestRow => ({
      ...made.row, file, label: made.label, className: pipeline.classNames[made.label]!, sourceMember: made.member, sourceSha256: made.sourceSha256,
    }))
    const written = await folder.commit(
      rows.map(({file, made}) => ({file, staged: made.key})),
      manifestRows,
      formatYLabels(manifestRows, pipeline.classNames.length, pipeline.windowing),
      {
        benchmark: pipeline.id,
        tinydataVersion: TINYDATA_VERSION,
        recipe: pipeline.recipeMeta,
        source: {file: basename(options.source), kind: reader.kind, sha256: source.sha256, ...pipeline.sourceMeta?.()},
        subset: pipeline.subset,
        ...pipeline.extraMeta?.(rows),
        // Last, so that merge, dropping it, writes the metadata of one unsharded run byte for byte.
        shard: shardMeta,
      } satisfies ManifestMetadata,
    )
    return {...written, source, rows, missing, warnings}
  } catch (error) {
    await folder.discard()
    throw error
  }
}

/**
 * A shard's rows of the whole selection, and what its manifest records for `merge`: where each row stands in the
 * whole, and the whole's size and file names (the same in every shard of the same source and options).
 */
function shardRows<Output>(selection: readonly OutputRow<Output>[], shard: Shard, source: string): {rows: OutputRow<Output>[]; shardMeta: ManifestShard} {
  const positions: number[] = []
  selection.forEach((row, position) => {
    if (inShard(row.made.key, shard)) positions.push(position)
  })
  if (positions.length === 0) {
    // A manifest needs a row (its bytes column takes their width); so few stimuli need fewer shards anyway.
    throw fileError(source, `shard ${shard.index}/${shard.count} gets none of the ${selection.length} files of the selection (stimuli go to shards by a hash of each); use fewer shards`)
  }
  return {
    rows: positions.map((position) => selection[position]!),
    shardMeta: {
      index: shard.index,
      count: shard.count,
      selection: {files: selection.length, sha256: selectionSha256(selection.map((row) => row.file))},
      positions,
    },
  }
}

/**
 * A candidate that another shard makes. It still takes its place in the arrangement, which orders and names the
 * selection by who each stimulus is (key, member, label, source hash); it has no made fields (its `output` is empty)
 * and is never written here.
 */
function madeElsewhere<Output>(identity: Omit<Candidate<unknown>, 'task'>): Made<Output> {
  return {...identity, row: undefined, runnerSha256: undefined, output: {}} as unknown as Made<Output>
}

/**
 * Streams the source once: each member the benchmark wants gives its candidates, whose stimuli are made on the pool
 * (a bounded number in flight, so memory stays flat) and staged as they come. The first failure stops the run, once
 * every job has settled (none may write into a folder that is being discarded).
 */
async function makeStimuli<Task, Output extends {bytes: Uint8Array}, Setup>(
  pipeline: BenchmarkPipeline<Task, Output, Setup>, options: PipelineOptions, reader: SourceReader,
  folder: PreparedFolderWriter, warnings: string[],
): Promise<Made<Output>[]> {
  const {recipe, setup} = pipeline
  const staging = await folder.staging()
  const pool = createTaskPool<StimulusJob<Task>, MadeStimulus<Output>>({
    workerScript: new URL('./recipe-worker.js', import.meta.url),
    setup: {module: recipe.module.href, setup, staging},
    threads: pipeline.threads ?? options.threads ?? defaultThreads(),
    runInThread: (job) => makeStimulus(recipe, job, setup, staging),
    transferOf: (job) => recipe.transferOfTask(job.task),
  })
  const progress: PrepareProgress = {membersRead: 0, selected: 0, made: 0}
  const jobs: Promise<Made<Output> | undefined>[] = []
  /** Key → the member it was first read from, and its job (shared by the candidates of the same key). */
  const byKey = new Map<string, {member: string; job: Promise<Made<Output>>}>()
  const active = new InFlightLimit(pool.threads * pipeline.inFlightPerThread)
  let failure: unknown
  let keptBytes = 0
  const wanted: MemberFilter = (path) => {
    progress.membersRead++
    return pipeline.wants?.(path) ?? true
  }
  try {
    for await (const member of reader.members(wanted)) {
      if (failure) throw failure
      if (options.signal?.aborted) break // the stimuli in the making are let finish, then the caller stops
      let copyOf: string | undefined
      for (const candidate of pipeline.select(member)) {
        const first = byKey.get(candidate.key)
        if (first && pipeline.sameKey === 'first') {
          copyOf ??= first.member
          continue
        }
        if (first) {
          const shared = first.job.then((made) => ({...made, member: candidate.member, sourceSha256: candidate.sourceSha256, label: candidate.label}))
          shared.catch(() => undefined) // the first job's failure is the one reported
          jobs.push(shared)
          continue
        }
        const {task, ...identity} = candidate
        if (options.shard && !inShard(candidate.key, options.shard)) {
          const elsewhere = Promise.resolve(madeElsewhere<Output>(identity))
          byKey.set(candidate.key, {member: candidate.member, job: elsewhere})
          jobs.push(elsewhere)
          continue
        }
        const record = {
          file: candidate.key,
          label: candidate.label,
          className: pipeline.classNames[candidate.label]!,
          sourceMember: candidate.member,
          sourceSha256: candidate.sourceSha256,
          dtype: pipeline.stimulus.dtype,
          shape: [...pipeline.stimulus.shape],
          scale: pipeline.stimulus.scale,
          zeroPoint: pipeline.stimulus.zeroPoint,
          subset: pipeline.subset,
        }
        let job!: Promise<Made<Output>>
        // A job ends once its stimulus is written: bounding jobs bounds both the pool's queue and the writes.
        await active.admit(() => (job = pool.run({task, record}).then(({output, runnerSha256, written}): Made<Output> => {
          pipeline.check?.(candidate, output)
          progress.made++
          options.onProgress?.(progress)
          // The row keeps its bytes only while they fit a small budget (all of kws01 and ic01), so the manifest need
          // not read those files back, and memory does not grow with the stimuli past it.
          const {bytes, ...row} = written
          const kept = keptBytes + bytes.byteLength <= KEPT_STIMULUS_BYTES
          if (kept) keptBytes += bytes.byteLength
          return {...identity, row: kept ? {...row, bytes} : row, runnerSha256, output}
        })))
        job.catch((error: unknown) => (failure ??= error))
        byKey.set(candidate.key, {member: candidate.member, job})
        jobs.push(job)
        progress.selected++
        options.onProgress?.(progress)
      }
      if (copyOf !== undefined) warnings.push(`${member.path}: a second copy of ${copyOf}; the first is used`)
    }
    const settled = await Promise.allSettled(jobs)
    if (failure) throw failure
    return settled.map((job) => (job as PromiseFulfilledResult<Made<Output>>).value)
  } finally {
    await pool.close()
  }
}

/** The files written and the sha256 of their runner-format bytes (what the pinned official hashes are of). */
export function runnerHashes(rows: readonly OutputRow<unknown>[]): {file: string; stimulusSha256: string}[] {
  return rows.map(({file, made}) => ({file, stimulusSha256: made.runnerSha256}))
}

/** The made stimuli named by their keys, in the order of a pinned list of files, and the files none was made for. */
export function inListOrder<Output>(made: readonly Made<Output>[], files: Iterable<string>): Arrangement<Output> {
  const byKey = new Map(made.map((stimulus) => [stimulus.key, stimulus]))
  const rows: OutputRow<Output>[] = []
  const missing: string[] = []
  for (const file of files) {
    const stimulus = byKey.get(file)
    if (stimulus) rows.push({file, made: stimulus})
    else missing.push(file)
  }
  return {rows, missing}
}

/** `<source>: <member path>`: how errors name a member. */
export function memberName(source: string, member: string): string {
  return `${source}: ${member}`
}
