/**
 * `tinydata merge`: the n folders of `prepare --shard i/n` joined into the folder one unsharded run writes, byte for
 * byte. Nothing is written unless the shards prove the whole: one run's parts (the same benchmark, source, options and
 * selection), every part 1…n once, no file twice and none missing, each stimulus as its manifest says.
 */
import {readFile} from 'node:fs/promises'
import {join, posix} from 'node:path'

import {fileError, UserError} from '../errors.js'
import {sha256Hex} from '../io/hash.js'
import {readManifestRows} from '../manifest/reader.js'
import type {ManifestMetadata, ManifestRow, ManifestShard} from '../manifest/schema.js'
import {MANIFEST_FILE, RunnerFolderWriter, Y_LABELS_FILE} from '../output/runner-folder.js'
import {selectionSha256} from './shard.js'

export interface MergeOptions {
  /** The shard folders (`<out>/<id>-shard-<i>-of-<n>/`), in any order. */
  shards: readonly string[]
  /** The runner's datasets folder: the merged folder is `<out>/<benchmark>/`. */
  out: string
  /** Replace `<out>/<benchmark>/` even where it holds files tinydata did not write. */
  force?: boolean
}

export interface MergeResult {
  benchmark: string
  outputDir: string
  manifest: string
  filesWritten: number
  /** The source every shard was made from (as its manifest names it). */
  source: {file: string; sha256: string | null}
  shards: {path: string; index: number; files: number}[]
}

interface ShardFolder {
  path: string
  rows: ManifestRow[]
  meta: ManifestMetadata
  shard: ManifestShard
  /** File name → its y_labels.csv line, as written. */
  yLabels: Map<string, string>
}

export async function mergeShards(options: MergeOptions): Promise<MergeResult> {
  if (options.shards.length === 0) throw new UserError('merge needs the shard folders that prepare --shard i/n wrote')
  const shards: ShardFolder[] = []
  for (const path of options.shards) shards.push(await readShard(path))
  const first = shards[0]!
  checkOneRun(shards)
  checkEveryPart(shards)
  const placed = placeRows(shards)
  const meta = mergedMetadata(shards, placed)

  const writer = new RunnerFolderWriter(options.out, first.meta.benchmark, options.force)
  try {
    for (const {shard, row} of placed) {
      const path = join(shard.path, row.file)
      const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
        throw fileError(path, `cannot read it (${error.code ?? error.message}); the shard's manifest lists it`)
      })
      if (sha256Hex(bytes) !== row.stimulusSha256) throw fileError(path, `is not the stimulus its manifest lists (sha256 differs): changed or damaged since prepare`)
      await writer.add(row.file, bytes)
    }
    const rows = placed.map(({row}) => row)
    const yLabels = placed.map(({shard, row}) => shard.yLabels.get(row.file)!).join('')
    const outputDir = await writer.commit(rows.map(({file}) => ({file, staged: file})), rows, yLabels, meta)
    const source = first.meta.source as {file: string; sha256: string | null}
    return {
      benchmark: first.meta.benchmark,
      outputDir,
      manifest: posix.join(outputDir, MANIFEST_FILE),
      filesWritten: rows.length,
      source: {file: source.file, sha256: source.sha256},
      shards: [...shards].sort((a, b) => a.shard.index - b.shard.index).map(({path, rows, shard}) => ({path, index: shard.index, files: rows.length})),
    }
  } catch (error) {
    await writer.discard()
    throw error
  }
}

async function readShard(path: string): Promise<ShardFolder> {
  const {rows, meta} = await readManifestRows(join(path, MANIFEST_FILE))
  const {shard} = meta
  if (!shard) throw fileError(path, 'is not a shard: its manifest has no shard record (prepare --shard i/n writes one)')
  if (shard.positions.length !== rows.length) {
    throw fileError(join(path, MANIFEST_FILE), `its shard record places ${shard.positions.length} rows, but it has ${rows.length}`)
  }
  const yLabelsFile = join(path, Y_LABELS_FILE)
  const text = await readFile(yLabelsFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw fileError(yLabelsFile, `cannot read it (${error.code ?? error.message})`)
  })
  const yLabels = new Map(text.split(/(?<=\n)/).filter((line) => line.trim() !== '').map((line) => [line.slice(0, line.indexOf(',')), line]))
  const unlabelled = rows.find((row) => !yLabels.has(row.file))
  if (unlabelled || yLabels.size !== rows.length) {
    throw fileError(yLabelsFile, `does not list the files of ${MANIFEST_FILE} (${unlabelled ? `no row for ${unlabelled.file}` : `${yLabels.size} rows for ${rows.length} files`})`)
  }
  return {path, rows, meta, shard, yLabels}
}

/** `i/n`, as the user gave it to prepare. */
function part({shard}: ShardFolder): string {
  return `${shard.index}/${shard.count}`
}

/** The shards must be one run's parts: everything their manifests say of the whole must agree. */
function checkOneRun(shards: readonly ShardFolder[]): void {
  const [first, ...others] = shards as [ShardFolder, ...ShardFolder[]]
  for (const other of others) {
    const differs = (what: string) => fileError(other.path, `is not a part of the same run as ${first.path}: ${what} (another source, or other options)`)
    if (other.meta.benchmark !== first.meta.benchmark) throw differs(`a ${other.meta.benchmark} shard, not ${first.meta.benchmark}`)
    if (other.shard.count !== first.shard.count) throw differs(`shard ${part(other)}, where that one is ${part(first)}`)
    for (const key of new Set([...Object.keys(first.meta), ...Object.keys(other.meta)])) {
      if (key === 'shard' || isJoinedList(key, shards)) continue
      if (JSON.stringify(other.meta[key]) !== JSON.stringify(first.meta[key])) throw differs(`its manifest's ${key} differs`)
    }
    if (JSON.stringify(other.shard.selection) !== JSON.stringify(first.shard.selection)) throw differs(`its manifest's selection differs`)
  }
}

/** Every part 1…n exactly once. */
function checkEveryPart(shards: readonly ShardFolder[]): void {
  const {count} = shards[0]!.shard
  const byIndex = new Map<number, ShardFolder>()
  for (const shard of shards) {
    const twice = byIndex.get(shard.shard.index)
    if (twice) throw fileError(shard.path, `is shard ${part(shard)}, as is ${twice.path}: each part is merged once`)
    byIndex.set(shard.shard.index, shard)
  }
  const missing = Array.from({length: count}, (_, index) => index + 1).filter((index) => !byIndex.has(index))
  if (missing.length > 0) {
    throw new UserError(`merge is missing shard ${missing.map((index) => `${index}/${count}`).join(', ')} of ${shards[0]!.path}'s run (given: ${[...byIndex.keys()].sort((a, b) => a - b).map((index) => `${index}/${count}`).join(', ')})`)
  }
}

/** A row and the shard folder it is in, at its place in the whole. */
interface Placed {
  shard: ShardFolder
  row: ManifestRow
}

/** Every row at its position in the whole: no position or file twice, none missing, the names the selection's. */
function placeRows(shards: readonly ShardFolder[]): Placed[] {
  const {selection} = shards[0]!.shard
  const placed = Array.from<Placed | undefined>({length: selection.files})
  const files = new Map<string, ShardFolder>()
  for (const shard of shards) {
    shard.rows.forEach((row, index) => {
      const position = shard.shard.positions[index]!
      const there = position < selection.files ? placed[position] : undefined
      if (position >= selection.files) throw fileError(shard.path, `${row.file} is at position ${position} of a selection of ${selection.files} files`)
      if (there) throw fileError(shard.path, `${row.file} takes position ${position}, which ${there.row.file} of ${there.shard.path} has: the shards overlap`)
      const twice = files.get(row.file)
      if (twice) throw fileError(shard.path, `holds ${row.file}, as does ${twice.path}: the shards overlap`)
      files.set(row.file, shard)
      placed[position] = {shard, row}
    })
  }
  const hole = placed.findIndex((row) => row === undefined)
  if (hole >= 0) {
    const holes = placed.filter((row) => row === undefined).length
    throw new UserError(`the shards of ${shards[0]!.path}'s run hold ${selection.files - holes} of the ${selection.files} files of their selection (${holes} missing, the first at position ${hole})`)
  }
  const whole = placed as Placed[]
  if (selectionSha256(whole.map(({row}) => row.file)) !== selection.sha256) {
    throw new UserError(`the files of the shards of ${shards[0]!.path}'s run are not their selection (the sha256 of their names in order differs from the one their manifests record)`)
  }
  return whole
}

/**
 * A metadata key whose value is, in every shard, a list of that shard's own files (vww01's ideal_affine_files, say):
 * each shard knows it of its own files only, so the lists differ and are joined in the merged folder's order.
 */
function isJoinedList(key: string, shards: readonly ShardFolder[]): boolean {
  return shards.every(({meta, rows}) => {
    const value = meta[key]
    const own = new Set(rows.map((row) => row.file))
    return Array.isArray(value) && value.every((file) => typeof file === 'string' && own.has(file))
  })
}

/** The first shard's metadata without its shard record, each joined list of files in the merged order. */
function mergedMetadata(shards: readonly ShardFolder[], placed: readonly Placed[]): ManifestMetadata {
  const meta: ManifestMetadata = {...shards[0]!.meta}
  delete meta.shard
  for (const key of Object.keys(meta)) {
    if (!isJoinedList(key, shards)) continue
    const listed = new Set(shards.flatMap((shard) => shard.meta[key] as string[]))
    meta[key] = placed.map(({row}) => row.file).filter((file) => listed.has(file))
  }
  return meta
}
