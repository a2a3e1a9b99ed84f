import {randomBytes} from 'node:crypto'
import {copyFile, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'

import {fileError} from '../errors.js'
import {fsFailure} from '../io/fs-error.js'
import {isAlive} from '../io/process.js'
import {makeFolder} from '../io/make-folder.js'
import {refusedWriteCode} from '../io/atomic-write.js'
import {InFlightLimit, mapConcurrently} from '../parallel/concurrently.js'
import type {ManifestMetadata, ManifestRow, StimulusRecord} from '../manifest/schema.js'
import {readManifestRows} from '../manifest/reader.js'
import {writeManifest} from '../manifest/writer.js'

export const Y_LABELS_FILE = 'y_labels.csv'
/** Files written at once: thousands of small writes go through libuv's thread pool instead of one after another. */
const WRITE_CONCURRENCY = 32
export const MANIFEST_FILE = 'manifest.arrow'

export interface RunnerFolderContents {
  records: readonly StimulusRecord[]
  yLabels: string
  meta: ManifestMetadata
}

/** A stimulus file of the output (`file`) and the name it was staged under while its final name was not known. */
export interface Placement {
  file: string
  staged: string
}

/**
 * Writes `<outRoot>/<id>/` (stimuli, y_labels.csv, manifest.arrow) as one unit: everything goes into a hidden staging
 * folder beside it, which then replaces the old folder by rename. An interrupted or failed run leaves the previous
 * folder as it was and no half-written stimulus under a final name. A previous folder holding files tinydata did not
 * write is replaced only with `force`.
 *
 * Stimuli are written as they are added (`add`), or by other threads straight into `stagingFolder()` (the prepare
 * pipeline's workers), and the manifest reads them back batch by batch, so a folder of any size is written without
 * holding its stimuli in memory.
 */
export class RunnerFolderWriter {
  private readonly writing = new InFlightLimit(WRITE_CONCURRENCY)
  private failure: unknown
  /** The staging folder, made with the first stimulus or when asked for (stagingFolder); discard() removes it. */
  private staged: Promise<void> | undefined
  /** The first folder of `outRoot` that this run created, if any, removed again by discard() where still empty. */
  private createdRoot: string | undefined
  /** Names this run's staging and set-aside folders: `.<id>.partial-<tag>`, `.<id>.old-<tag>`. */
  private readonly tag = `${process.pid}-${randomBytes(4).toString('hex')}`

  /** `force`: replace the previous folder even where it holds files tinydata did not write (`--force`). */
  constructor(
    private readonly outRoot: string,
    private readonly id: string,
    private readonly force = false,
  ) {}

  private get staging(): string {
    return join(this.outRoot, `.${this.id}.partial-${this.tag}`)
  }

  private get target(): string {
    return join(this.outRoot, this.id)
  }

  /** Writes one stimulus into the staging folder; waits while WRITE_CONCURRENCY writes are in flight. */
  async add(file: string, bytes: Uint8Array): Promise<void> {
    await this.stage()
    this.throwFailure()
    await this.writing.admit(() => writeFile(join(this.staging, file), bytes).catch((error: unknown) => {
      this.failure ??= error
    }))
  }

  /**
   * The staging folder, made if need be, for stimuli written there by other threads (the pipeline's workers write
   * what they make: a thread that made a stimulus writes it faster than a hand-over to this one).
   */
  async stagingFolder(): Promise<string> {
    await this.stage()
    return this.staging
  }

  private stage(): Promise<void> {
    this.staged ??= (async () => {
      await this.tidyAfterKilledRuns()
      // Checked before the work as well as at commit, so that a refusal does not wait for the whole run.
      if (!this.force) await refuseForeignFiles(this.target)
      this.createdRoot = await makeFolder(this.outRoot).catch((error: NodeJS.ErrnoException) => {
        throw fileError(this.outRoot, `cannot create the output folder (${fsFailure(error)})`)
      })
      await mkdir(this.staging).catch((error: unknown) => {
        throw outputError(this.outRoot, error)
      })
    })()
    return this.staged
  }

  /**
   * What runs of this benchmark that were killed (Ctrl-C, kill -9, a crash; their process is gone) left: a staging
   * folder is removed; a set-aside `.old-` folder is put back where the run killed between its two renames took it
   * from, and removed where the folder is in place again (the run was killed while deleting it).
   */
  private async tidyAfterKilledRuns(): Promise<void> {
    const pattern = new RegExp(`^\\.${this.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(partial|old)-(\\d+)-[0-9a-f]{8}$`)
    for (const name of (await readdir(this.outRoot).catch(() => [])).sort()) {
      const [, kind, pid] = pattern.exec(name) ?? []
      if (pid === undefined || isAlive(Number(pid))) continue
      const path = join(this.outRoot, name)
      if (kind === 'old' && !(await exists(this.target))) await rename(path, this.target).catch(() => undefined)
      else await rm(path, {recursive: true, force: true}).catch(() => undefined)
    }
  }

  /**
   * Gives the staged stimuli their final names (`placements`, in the rows' order: a staged file is renamed to its
   * first name and copied to any further one; one no placement names is removed), writes y_labels.csv and
   * manifest.arrow (rows in this order; a row without bytes has them read back from its file), then puts the folder
   * in place of any previous one. Returns the folder's path. After a failure, discard() removes what was staged.
   */
  async commit(placements: readonly Placement[], rows: readonly ManifestRow[], yLabels: string, meta: ManifestMetadata): Promise<string> {
    await this.stage()
    await this.writing.idle()
    this.throwFailure()
    try {
      await this.place(placements)
      await writeFile(join(this.staging, Y_LABELS_FILE), yLabels)
      await writeManifest(join(this.staging, MANIFEST_FILE), rows, meta, (row) => readFile(join(this.staging, row.file)))
      // Again: a file put there during the run would go with the folder.
      if (!this.force) await refuseForeignFiles(this.target)
      await this.swapIn()
      return this.target
    } catch (error) {
      throw outputError(this.outRoot, error)
    }
  }

  /** Puts the staging folder in place of the target: the old one is set aside, then deleted once the new one is in. */
  private async swapIn(): Promise<void> {
    const {target} = this
    const previous = join(this.outRoot, `.${this.id}.old-${this.tag}`)
    const hadPrevious = await exists(target)
    if (hadPrevious) await rename(target, previous).catch((error: unknown) => {
      throw concurrentRunError(target, error)
    })
    try {
      await rename(this.staging, target)
    } catch (error) {
      // The old folder goes back where it was, unless another run has put its own there meanwhile.
      if (hadPrevious) await rename(previous, target).catch(() => undefined)
      throw concurrentRunError(target, error)
    }
    if (hadPrevious) await rm(previous, {recursive: true, force: true})
  }

  /** Renames (or copies) each staged file to the names it is placed under, and removes those placed nowhere. */
  private async place(placements: readonly Placement[]): Promise<void> {
    const names = new Map<string, string[]>()
    for (const {file, staged} of placements) names.set(staged, [...(names.get(staged) ?? []), file])
    const unplaced = (await readdir(this.staging)).filter((staged) => !names.has(staged))
    await mapConcurrently(unplaced, WRITE_CONCURRENCY, (staged) => rm(join(this.staging, staged)))
    const path = (name: string) => join(this.staging, name)
    const moves = [...names].filter(([staged, files]) => files[0] !== staged || files.length > 1)
    const finalNames = new Set(placements.map(({file}) => file))
    if (moves.every(([staged]) => !finalNames.has(staged))) {
      // No staged name is a final name (kws01 stages under the clip's hash): each file goes straight to its names.
      await mapConcurrently(moves, WRITE_CONCURRENCY, async ([staged, files]) => {
        for (const file of files.slice(1)) await copyFile(path(staged), path(file))
        await rename(path(staged), path(files[0]!))
      })
      return
    }
    // A staged name may be another stimulus's final name (ad01, vww01 stage under the final names): copies are made
    // before any rename, and every move goes through a temporary name, so none overwrites a file still to be moved.
    const placing = (file: string) => path(`${file}.placing`)
    await mapConcurrently(moves, WRITE_CONCURRENCY, async ([staged, files]) => {
      for (const file of files.slice(1)) await copyFile(path(staged), placing(file))
    })
    await mapConcurrently(moves.filter(([staged, files]) => files[0] !== staged), WRITE_CONCURRENCY, ([staged, files]) => rename(path(staged), placing(files[0]!)))
    const arriving = moves.flatMap(([staged, files]) => files.filter((file, index) => index > 0 || file !== staged))
    await mapConcurrently(arriving, WRITE_CONCURRENCY, (file) => rename(placing(file), path(file)))
  }

  /** Removes the staging folder: for a run that failed or was interrupted before commit. */
  async discard(): Promise<void> {
    if (!this.staged) return
    // Never throws: the error that made the run discard its folder is the one to report.
    if (await this.staged.then(() => true, () => false)) {
      await this.writing.idle()
      await rm(this.staging, {recursive: true, force: true}).catch(() => undefined)
    }
    // The folders this run created up to outRoot, innermost first, while they are empty (rmdir fails otherwise).
    if (this.createdRoot === undefined) return
    const created = resolve(this.createdRoot)
    for (let folder = resolve(this.outRoot); folder.length >= created.length; folder = dirname(folder)) {
      if (!(await rmdir(folder).then(() => true, () => false))) break
    }
  }

  private throwFailure(): void {
    if (this.failure !== undefined) throw outputError(this.outRoot, this.failure)
  }
}

/**
 * Refuses to replace `target` where it holds anything but the files tinydata wrote there: y_labels.csv, manifest.arrow
 * and the files the manifest lists. The first other entry is named.
 */
async function refuseForeignFiles(target: string): Promise<void> {
  const found = await stat(target).catch(() => undefined) // none: nothing to replace (or no way there, reported on making it)
  if (!found) return
  if (!found.isDirectory()) throw fileError(target, 'is a file, where prepare writes its folder; move it away, or pass --force to replace it')
  const entries = await readdir(target, {withFileTypes: true})
  if (entries.length === 0) return
  const listed = await readManifestRows(join(target, MANIFEST_FILE)).then(({rows}) => rows.map((row) => row.file), () => [])
  const written = new Set([Y_LABELS_FILE, MANIFEST_FILE, ...listed])
  const foreign = entries.filter((entry) => !entry.isFile() || !written.has(entry.name)).map((entry) => entry.name).sort()[0]
  if (foreign !== undefined) {
    throw fileError(join(target, foreign), `tinydata did not write it (no ${MANIFEST_FILE} there lists it), and prepare replaces ${target} as a whole; move it away, or pass --force to delete it with the folder`)
  }
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/** A rename of the target that failed because another run was replacing the same folder at that moment. */
function concurrentRunError(target: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code
  if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') return error
  return fileError(target, `another run replaced it at the same time (${code}); this run's output was discarded, run it again`)
}

/** A file-system error that is the output folder's (no permission, read-only, full) as a UserError naming it. */
function outputError(outRoot: string, error: unknown): unknown {
  return refusedWriteCode(error) ? fileError(outRoot, `cannot write the output folder (${fsFailure(error)})`) : error
}
