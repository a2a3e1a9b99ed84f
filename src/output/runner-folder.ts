import {randomBytes} from 'node:crypto'
import {mkdir, rename, rm, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {fileError} from '../errors.js'
import type {ManifestMetadata, StimulusRecord} from '../manifest/schema.js'
import {writeManifest} from '../manifest/writer.js'

export const Y_LABELS_FILE = 'y_labels.csv'
/** Files written at once: thousands of small writes go through libuv's thread pool instead of one after another. */
const WRITE_CONCURRENCY = 32
export const MANIFEST_FILE = 'manifest.arrow'

/** One row of y_labels.csv: `file,num_classes,true_class` with no spaces and LF endings (stimuli.md §0.2). */
export function yLabelsCsv(records: readonly Pick<StimulusRecord, 'file' | 'label'>[], numClasses: number): string {
  return records.map((r) => `${r.file},${numClasses},${r.label}\n`).join('')
}

export interface RunnerFolderContents {
  records: readonly StimulusRecord[]
  yLabels: string
  meta: ManifestMetadata
}

/**
 * Writes `<outRoot>/<id>/` (stimuli, y_labels.csv, manifest.arrow) as one unit: everything goes into a hidden staging
 * folder beside it, which then replaces the old folder by rename. An interrupted or failed run leaves the previous
 * folder as it was and no half-written stimulus under a final name.
 */
export async function writeRunnerFolder(outRoot: string, id: string, contents: RunnerFolderContents): Promise<string> {
  await mkdir(outRoot, {recursive: true}).catch((error: NodeJS.ErrnoException) => {
    throw fileError(outRoot, `cannot create the output folder (${error.code ?? error.message})`)
  })
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`
  const staging = join(outRoot, `.${id}.partial-${tag}`)
  const target = join(outRoot, id)
  const previous = join(outRoot, `.${id}.old-${tag}`)
  try {
    await mkdir(staging)
    await forEachConcurrently(contents.records, WRITE_CONCURRENCY, (record) => writeFile(join(staging, record.file), record.bytes))
    await writeFile(join(staging, Y_LABELS_FILE), contents.yLabels)
    await writeManifest(join(staging, MANIFEST_FILE), [...contents.records], contents.meta)
    const hadPrevious = await stat(target).then(
      () => true,
      () => false,
    )
    if (hadPrevious) await rename(target, previous)
    try {
      await rename(staging, target)
    } catch (error) {
      if (hadPrevious) await rename(previous, target) // put the old folder back where it was
      throw error
    }
    if (hadPrevious) await rm(previous, {recursive: true, force: true})
    return target
  } catch (error) {
    await rm(staging, {recursive: true, force: true})
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC') {
      throw fileError(outRoot, `cannot write the output folder (${code})`)
    }
    throw error
  }
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure is thrown once all have settled. */
async function forEachConcurrently<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lanes = Array.from({length: Math.min(limit, items.length)}, async () => {
    while (next < items.length) await task(items[next++]!)
  })
  const results = await Promise.allSettled(lanes)
  const failed = results.find((result) => result.status === 'rejected')
  if (failed) throw (failed as PromiseRejectedResult).reason
}
