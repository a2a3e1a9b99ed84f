/**
 * One split of a benchmark's reference training data, made into an Arrow file: the source is read once as a stream,
 * each member gives the examples it holds in the split (`select`), their tensors are made by the benchmark's recipe on
 * worker threads (the same recipes as `prepare`), staged as they come, and written in the reference's order
 * (`arrange`) once every member is read. A failure leaves no file behind.
 */
import {basename, join} from 'node:path'

import {largestMemberOf, openSource, type MemberFilter, type SourceMember} from '../archives/source-reader.js'
import type {SourceFile} from '../../datasets/types.js'
import type {TrainingSplit} from '../../datasets/training.js'
import {fileError} from '../errors.js'
import {InFlightLimit} from '../parallel/concurrently.js'
import {createTaskPool, defaultThreads} from '../parallel/task-pool.js'
import type {PrepareProgress, Recipe} from '../prepare/pipeline.js'
import {checkSourceSha256, type CheckedSource} from '../prepare/shared.js'
import {TINYDATA_VERSION} from '../version.js'
import {SplitFileWriter, tensorBytes, type StagedExample, type TensorFormat} from './split-file.js'

/**
 * What a member gives, before its tensor is made: one example, or several where the recipe's output holds several
 * tensors one after the other (ad01's 5-frame vectors of a clip: `tensorsPerCandidate: 'many'`), keyed `<key>:<NNNN>`.
 */
export interface SplitCandidate<Task> {
  key: string
  member: string
  label: number
  task: Task
}

export interface SplitPlan<Task, Setup> {
  benchmark: string
  split: TrainingSplit
  classNames: readonly string[]
  tensor: TensorFormat
  /** The archives the source may be (its sha256 is checked against theirs where one is published). */
  sourceFiles: readonly SourceFile[]
  recipe: Recipe<Task, {bytes: Uint8Array}, Setup>
  setup: Setup
  inFlightPerThread: number
  /** `many`: the recipe's output holds any number of tensors (default `one`). */
  tensorsPerCandidate?: 'one' | 'many'
  /** Threads whatever --threads says (1: a recipe too cheap for workers). */
  threads?: number
  wants?: MemberFilter
  select(member: SourceMember): SplitCandidate<Task>[]
  /** Called once every member is read: throws where the source is not what the split needs. */
  afterReading?(): void
  /** The examples in the reference's order; it may keep only some (a calibration list) and throws for a bad list. */
  arrange(examples: readonly StagedExample[]): StagedExample[]
  /** The published number of examples of this split, where there is one. */
  publishedCount?: number
  /** The feature recipe, for the file's metadata. */
  recipeMeta: Record<string, unknown>
  /** What the error says when the source held no example of the split. */
  none: string
}

export interface SplitOptions {
  source: string
  /** The Arrow file goes to `<out>/<benchmark>-<split>.arrow`. */
  out: string
  verify?: boolean
  /** Write what the source held of a calibration list it lacks part of (default false: an error). */
  allowMissing?: boolean
  threads?: number
  onProgress?: (progress: PrepareProgress) => void
}

export interface SplitResult {
  benchmark: string
  split: TrainingSplit
  /** The Arrow IPC file written. */
  output: string
  bytesWritten: number
  rows: number
  /** Rows per class, in class order (classes with none are left out). */
  classCounts: {label: number; labelName: string; rows: number}[]
  /** The published count of this split, and whether the rows match it; null where none is published. */
  published: {count: number; matches: boolean} | null
  tensor: TensorFormat
  source: CheckedSource
  warnings: string[]
}

function splitFilePath(out: string, benchmark: string, split: TrainingSplit): string {
  return join(out, `${benchmark}-${split}.arrow`)
}

export async function runSplit<Task, Setup>(plan: SplitPlan<Task, Setup>, options: SplitOptions, warnings: string[]): Promise<SplitResult> {
  const reader = await openSource(options.source, {largestMember: largestMemberOf(plan.sourceFiles)})
  const output = splitFilePath(options.out, plan.benchmark, plan.split)
  const writer = await SplitFileWriter.create(output, plan.tensor)
  const pool = createTaskPool<Task, {bytes: Uint8Array}>({
    workerScript: new URL('../prepare/recipe-worker.js', import.meta.url),
    setup: {module: plan.recipe.module.href, setup: plan.setup},
    threads: plan.threads ?? options.threads ?? defaultThreads(),
    runInThread: (task) => plan.recipe.make(task, plan.setup),
    transferOf: (task) => plan.recipe.transferOfTask(task),
  })
  // Each candidate's staged examples, in the order the candidates were read (a slot each, filled as they are made):
  // on the Speech Commands train split that is 85,511 of them, so no promise or closure is kept per candidate.
  const staged: StagedExample[][] = []
  const tensorWidth = tensorBytes(plan.tensor)
  const active = new InFlightLimit(pool.threads * plan.inFlightPerThread)
  try {
    const progress: PrepareProgress = {membersRead: 0, selected: 0, made: 0}
    const seen = new Map<string, string>()
    let failure: unknown
    const wanted: MemberFilter = (path) => {
      progress.membersRead++
      return plan.wants?.(path) ?? true
    }
    for await (const member of reader.members(wanted)) {
      if (failure) throw failure
      for (const {task, ...identity} of plan.select(member)) {
        const first = seen.get(identity.key)
        if (first !== undefined) {
          warnings.push(`${member.path}: a second copy of ${first}; the first is used`)
          continue
        }
        seen.set(identity.key, identity.member)
        const slot = staged.push([]) - 1
        await active.admit(() => pool.run(task).then(async ({bytes}) => {
          staged[slot] = await stageTensors(writer, bytes, identity, tensorWidth, plan.tensorsPerCandidate === 'many')
          progress.made++
          options.onProgress?.(progress)
        }).catch((error: unknown) => {
          failure ??= error
        }))
        progress.selected++
        options.onProgress?.(progress)
      }
    }
    await active.idle()
    // The workers' memory is given back before the file is written, the run's other peak.
    await pool.close()
    if (failure) throw failure
    plan.afterReading?.()
    const source = checkSourceSha256(reader, plan.sourceFiles, options.verify !== false)
    const made = staged.flat()
    if (made.length === 0) throw fileError(options.source, plan.none)
    const rows = plan.arrange(made)
    const {bytes} = await writer.commit(rows, {
      benchmark: plan.benchmark,
      split: plan.split,
      classNames: plan.classNames,
      tensor: plan.tensor,
      metadata: {
        tinydata_version: TINYDATA_VERSION,
        recipe: plan.recipeMeta,
        source: {file: basename(source.path), kind: source.kind, sha256: source.sha256},
      },
    })
    const published = plan.publishedCount === undefined ? null : {count: plan.publishedCount, matches: rows.length === plan.publishedCount}
    if (published && !published.matches) {
      warnings.push(`${rows.length} examples in the ${plan.split} split, not the published ${published.count} (a partial or different source)`)
    }
    return {
      benchmark: plan.benchmark, split: plan.split, output, bytesWritten: bytes, rows: rows.length, classCounts: countByClass(rows, plan.classNames),
      published, tensor: plan.tensor, source, warnings,
    }
  } catch (error) {
    await active.idle() // none may stage into a file being removed
    await writer.discard()
    throw error
  } finally {
    await pool.close()
  }
}

async function stageTensors(
  writer: SplitFileWriter, bytes: Uint8Array, {key, member, label}: {key: string; member: string; label: number}, width: number, many: boolean,
): Promise<StagedExample[]> {
  const count = bytes.byteLength / width
  if (!Number.isInteger(count) || count === 0 || (!many && count !== 1)) {
    throw new Error(`${key}: the recipe made ${bytes.byteLength} bytes, not ${many ? 'a whole number of' : 'one'} ${width}-byte tensor${many ? 's' : ''}`)
  }
  if (!many) return [{key, label, sourceMember: member, offset: await writer.stage(bytes)}]
  const staged: StagedExample[] = []
  for (let index = 0; index < count; index++) {
    const offset = await writer.stage(bytes.subarray(index * width, (index + 1) * width))
    staged.push({key: `${key}:${String(index).padStart(4, '0')}`, label, sourceMember: member, offset})
  }
  return staged
}

function countByClass(rows: readonly StagedExample[], classNames: readonly string[]): SplitResult['classCounts'] {
  const counts = new Array<number>(classNames.length).fill(0)
  for (const row of rows) counts[row.label]!++
  return classNames.flatMap((labelName, label) => (counts[label]! > 0 ? [{label, labelName, rows: counts[label]!}] : []))
}
