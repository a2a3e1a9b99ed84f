import {Args, Flags} from '@oclif/core'

import {ALL_BENCHMARKS} from '../datasets/index.js'
import {TinydataCommand} from '../src/cli/base-command.js'
import {
  abortOnSigint,
  BENCHMARK_NAMES,
  cachePaths,
  cacheStatus,
  DownloadProgressBoard,
  downloadSourceFiles,
  formatBytes,
  HOME_ENV,
  planDownloads,
  shortDigest,
  type CachedFile,
  type CachePaths,
  type CacheStatus,
  type PlannedFile,
} from '../src/download/index.js'
import {type DownloadJson, type DownloadListJson, downloadListToJson, downloadToJson} from '../src/download/json.js'
import {UserError} from '../src/errors.js'

const NAMES = `${BENCHMARK_NAMES.join(', ')} or ${ALL_BENCHMARKS}`

export default class Download extends TinydataCommand {
  static override summary = 'Download the source data sets into the cache: resumable, verified, from the publisher or a mirror'
  static override description = `Fetches the source archives of the named benchmarks (${NAMES}) into $${HOME_ENV}/downloads/ (default: your cache folder). Each file is written as <name>.part, resumed with HTTP Range (and If-Range, so a file replaced meanwhile is fetched whole again) after an interruption, retried on dropped connections and 5xx answers, and renamed to its final name only once its size and published checksum (sha256, md5, or the git blob id of a file in a git repository) are right. Where no checksum is published (the DCASE ToyCar archive), the first download pins its sha256 in the cache's lock file and later downloads must match it. Ctrl-C keeps the .part files for the next run. Proxies come from http_proxy, https_proxy, all_proxy and no_proxy, as for curl.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> kws',
    '<%= config.bin %> <%= command.id %> kws ic vww ad',
    '<%= config.bin %> <%= command.id %> all --mirror http://lab-server/tinydata/',
    '<%= config.bin %> <%= command.id %> vww --mirror file:///mnt/datasets/',
    '<%= config.bin %> <%= command.id %> all --offline',
    '<%= config.bin %> <%= command.id %> --list',
  ]

  static override strict = false
  static override args = {
    names: Args.string({description: `the benchmarks whose source files to fetch: ${NAMES}`}),
  }

  static override flags = {
    list: Flags.boolean({description: 'show each file of the named benchmarks (default all): size, checksum, whether it is cached', default: false}),
    mirror: Flags.string({description: 'fetch the same file names from this base URL instead: http(s)://…/ or file:///folder/ (or a folder path)', env: 'TINYDATA_MIRROR'}),
    offline: Flags.boolean({description: 'use the cache only: fail, naming the file, if something is missing', default: false, env: 'TINYDATA_OFFLINE'}),
    'include-optional': Flags.boolean({description: 'also fetch the files the stimuli do not need (the full Speech Commands archive for kws, COCO train2017, the CIFAR-10 python archive)', default: false}),
    concurrency: Flags.integer({description: 'files downloaded at the same time', default: 3, min: 1}),
  }

  async run(): Promise<DownloadJson | DownloadListJson> {
    const {flags, argv} = await this.parse(Download)
    const names = argv as string[]
    if (flags.list) return this.list(names.length > 0 ? names : [ALL_BENCHMARKS])
    if (names.length === 0) throw new UserError(`name the data sets to download: ${NAMES} (tinydata download --list shows their files)`)

    const planned = planDownloads(names, {includeOptional: flags['include-optional']})
    const paths = cachePaths()
    const board = this.showsProgress ? new DownloadProgressBoard((text) => process.stderr.write(text), () => process.stderr.columns ?? 100) : undefined
    const interrupt = abortOnSigint()
    let files: CachedFile[]
    try {
      files = await downloadSourceFiles(planned, {
        mirror: flags.mirror,
        offline: flags.offline,
        concurrency: flags.concurrency,
        signal: interrupt.signal,
        onProgress: board?.update,
      })
    } finally {
      interrupt.dispose()
      board?.clear()
    }
    if (!this.jsonEnabled()) this.log(describeDownloads(paths, flags.mirror, files))
    return downloadToJson(paths, flags.mirror ?? null, files, planned)
  }

  private async list(names: string[]): Promise<DownloadListJson> {
    const planned = planDownloads(names, {includeOptional: true})
    const paths = cachePaths()
    const statuses = await cacheStatus(planned)
    if (!this.jsonEnabled()) this.log(describeList(paths.home, statuses, planned))
    return downloadListToJson(paths, statuses, planned)
  }
}

function describeDownloads(paths: CachePaths, mirror: string | undefined, files: readonly CachedFile[]): string {
  const width = Math.max(...files.map((file) => file.name.length))
  const lines = [`Cache ${paths.home} (${HOME_ENV}):`]
  for (const file of files) {
    let what = 'cached'
    if (file.status === 'downloaded') {
      what = `downloaded${mirror ? ` from ${file.url}` : ''} in ${file.seconds.toFixed(1)} s`
      if (file.seconds > 0) what += ` (${formatBytes(file.bytesTransferred / file.seconds)}/s)`
      if (file.resumedFrom > 0) what += `, resumed after ${formatBytes(file.resumedFrom)}`
      if (file.retries > 0) what += `, ${file.retries} ${file.retries === 1 ? 'retry' : 'retries'}`
    }
    lines.push(`  ${file.name.padEnd(width)}  ${formatBytes(file.size).padStart(9)}  ${what}; ${checksumNote(file, paths.lockFile)}`)
  }
  return lines.join('\n')
}

function checksumNote(file: CachedFile, lockFile: string): string {
  switch (file.checksum) {
    case 'published sha256':
      return 'sha256 as published'
    case 'published md5':
      return 'md5 as published'
    case 'published git blob':
      return 'git blob id as published'
    case 'pinned sha256':
      return `sha256 as pinned on its first download (none is published)`
    case 'pinned now':
      return `sha256 ${shortDigest(file.sha256)} pinned on first download, not published (recorded in ${lockFile}; later downloads must match it)`
  }
}

/** `statuses[i]` is the cache status of `planned[i]`. */
function describeList(home: string, files: readonly CacheStatus[], planned: readonly PlannedFile[]): string {
  const rows = files.map((file, index) => [
    `${planned[index]!.benchmarks.join(',')}${planned[index]!.optional ? '*' : ''}`,
    file.name,
    file.size === null ? 'unknown' : formatBytes(file.size),
    file.sha256 ? `sha256 ${shortDigest(file.sha256)}` : file.md5 ? `md5 ${shortDigest(file.md5)}` : file.gitBlob ? `git blob ${shortDigest(file.gitBlob)}` : file.pinnedSha256 ? `sha256 ${shortDigest(file.pinnedSha256)} (pinned)` : 'none published (pinned on first download)',
    file.status === 'partial' ? `partial: ${formatBytes(file.partialBytes)}${file.size ? ` (${Math.floor((100 * file.partialBytes) / file.size)}%)` : ''}` : file.status === 'unverified' ? 'unverified (checked on next download)' : file.status,
  ])
  const header = ['benchmark', 'file', 'size', 'checksum', 'status']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const format = (row: string[]) => `  ${row.map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ')}`.trimEnd()
  const total = files.reduce((sum, file) => sum + (file.size ?? 0), 0)
  const unknown = files.filter((file) => file.size === null).length
  return [
    `Cache ${home} (${HOME_ENV}); * marks files the stimuli do not need (--include-optional)`,
    format(header),
    ...rows.map(format),
    `  ${files.filter((file) => file.status === 'cached').length} of ${files.length} cached; ${formatBytes(total)} in all${unknown ? ` + ${unknown} of unknown size` : ''}`,
  ].join('\n')
}
