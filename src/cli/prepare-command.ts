/**
 * What every `prepare` command shares: its flags (source or the download cache, output folder, format, checksum,
 * --allow-missing, threads), the source resolution, the progress line, the summary and the snake_case JSON.
 */
import {Flags} from '@oclif/core'

import type {SourceDataset} from '../../datasets/types.js'
import type {BenchmarkId} from '../benchmark-ids.js'
import {abortOnSigint} from '../download/index.js'
import type {Parity} from '../formats/pinned-tables.js'
import {parseShard} from '../merge/shard.js'
import type {WrittenFolder} from '../output/prepared-folder.js'
import {type OfficialBytes, officialBytes} from '../verify/official-bytes.js'
import {closedDivisionWarning} from './official-bytes-warning.js'
import type {PipelineOptions} from '../prepare/pipeline.js'
import {TinydataCommand} from './base-command.js'
import {cacheFlags, cachedSourceFile} from './cached-source.js'
import {snakeCaseKeys, type SnakeCased} from '../formats/json-case.js'
import {prepareProgressPrinter} from './progress.js'
import {formatFlag, modelInputForFormat} from './stimulus-format.js'

/** `--source`, the cache flags used without it, `--out`, `--force` and `--format`: every prepare command but sww's takes them. */
export function sourceAndOutputFlags(id: BenchmarkId, source: string) {
  return {
    source: Flags.string({description: `${source}; default: the download cache (fetched if missing, see tinydata download)`}),
    ...cacheFlags,
    ...formatFlag,
    out: Flags.string({description: `the runner's datasets folder; stimuli go to <out>/${id}/`, default: 'stimuli'}),
    force: Flags.boolean({description: `replace <out>/${id}/ even where it holds files tinydata did not write (they are deleted with it)`, default: false}),
    shard: Flags.string({description: `make only part i of n of the selection (i/n, 1 ≤ i ≤ n), into <out>/${id}-shard-<i>-of-<n>/; tinydata merge joins the n parts`}),
  }
}

export const verifyFlag = {
  verify: Flags.boolean({description: "check the archive's sha256 against the pinned one (--no-verify skips it)", default: true, allowNo: true}),
}

/** `--allow-missing` and `--threads`, for the benchmarks that select from a stream of members. */
export const selectionFlags = {
  'allow-missing': Flags.boolean({description: 'write the stimuli found even if the source lacks some of the selection', default: false}),
  threads: Flags.integer({description: 'threads making stimuli (default: one per CPU)', min: 1}),
}

interface ParsedPrepareFlags {
  source?: string
  offline: boolean
  mirror?: string
  out: string
  force: boolean
  format: 'runner' | 'model'
  model?: string
  verify: boolean
  'allow-missing'?: boolean
  threads?: number
  shard?: string
}

/** What prepareWith reads of a prepare result: the folder, its files and their parity with the official bytes. */
interface PreparedStimuli extends WrittenFolder {
  filesWritten: number
  parity: Parity | null
}

export abstract class PrepareCommand extends TinydataCommand {
  /**
   * Resolves the source (`--source`, else the download cache), runs `prepare` with the options every pipeline takes,
   * prints the summary (or nothing in --json mode) and returns the result with snake_case keys for --json.
   */
  protected async prepareWith<Result extends object>(
    id: BenchmarkId,
    dataset: SourceDataset,
    archive: string,
    flags: ParsedPrepareFlags,
    prepare: (options: PipelineOptions) => Promise<Result>,
    describe: (result: Result) => string,
  ): Promise<SnakeCased<Result> | SnakeCased<Result & {officialBytes: OfficialBytes}>> {
    const shard = flags.shard === undefined ? undefined : parseShard(flags.shard)
    const source = flags.source ?? (await this.cachedSource(dataset, archive, flags))
    const progress = prepareProgressPrinter(this.showsProgress, id)
    // Ctrl-C stops the run cleanly (PrepareInterrupted): the previous folder stays, the staged files go.
    const interrupt = abortOnSigint()
    const result = await prepare({
      modelInput: await modelInputForFormat(id, flags.format, flags.model),
      source,
      out: flags.out,
      force: flags.force,
      verify: flags.verify,
      allowMissing: flags['allow-missing'],
      threads: flags.threads,
      shard,
      onProgress: progress.update,
      signal: interrupt.signal,
    }).finally(() => {
      interrupt.dispose()
      progress.done()
    })
    const shardLine = shard ? `\n  shard      part ${shard.index} of ${shard.count}; tinydata merge joins the ${shard.count} parts` : ''
    // a training split (--split) is an Arrow file of examples, not stimulus files the runner sends: no official bytes
    if (!isPreparedFolder(result)) {
      if (!this.jsonEnabled()) this.log(describe(result) + shardLine)
      return snakeCaseKeys(result)
    }
    const bytes = officialBytes(result.filesWritten, {identical: result.parity?.identical ?? 0, differing: result.parity?.differing.length ?? 0})
    if (!this.jsonEnabled()) {
      this.log(describe(result) + shardLine)
      // Model-input tensors are never the runner's files: no closed-division note for them; nor a part of a --shard run.
      const warning = result.format === 'runner' && !shard ? closedDivisionWarning(result.outputDir, bytes) : undefined
      if (warning) this.warn(warning)
    }
    return snakeCaseKeys({...result, officialBytes: bytes})
  }

  protected cachedSource(dataset: SourceDataset, file: string, flags: {offline: boolean; mirror?: string}): Promise<string> {
    return cachedSourceFile(dataset, file, {offline: flags.offline, mirror: flags.mirror, showProgress: this.showsProgress})
  }
}

function isPreparedFolder(result: object): result is PreparedStimuli {
  return 'filesWritten' in result && 'parity' in result && 'outputDir' in result
}
