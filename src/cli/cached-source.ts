import {Flags} from '@oclif/core'

import type {SourceDataset} from '../../datasets/types.js'
import {abortOnSigint, DownloadProgressBoard, ensureSourceFile} from '../download/index.js'

/** The flags every `prepare` command takes for its source when `--source` is not given. */
export const cacheFlags = {
  offline: Flags.boolean({description: 'without --source: use the download cache only, never the network', default: false, env: 'TINYDATA_OFFLINE'}),
  mirror: Flags.string({description: 'without --source: fetch a missing archive from this base URL (http(s):// or file://) instead', env: 'TINYDATA_MIRROR'}),
}

/**
 * Without --source: the verified archive from the download cache, downloaded (or resumed) first if it is missing,
 * with a progress bar on a terminal. Ctrl-C keeps the .part (the base command reports it, exit code 130).
 */
export async function cachedSourceFile(
  dataset: SourceDataset,
  fileName: string,
  options: {offline: boolean; mirror: string | undefined; showProgress: boolean},
): Promise<string> {
  const board = options.showProgress
    ? new DownloadProgressBoard((text) => process.stderr.write(text), () => process.stderr.columns ?? 100)
    : undefined
  const interrupt = abortOnSigint()
  try {
    return await ensureSourceFile(dataset, fileName, {offline: options.offline, mirror: options.mirror, signal: interrupt.signal, onProgress: board?.update})
  } finally {
    interrupt.dispose()
    board?.clear()
  }
}
