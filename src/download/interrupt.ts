import {basename, dirname} from 'node:path'

import {Interrupted} from '../errors.js'
import {formatBytes} from './format.js'

/** A `.part` left behind on purpose: the next run resumes from it. */
export interface KeptPart {
  path: string
  bytes: number
  totalBytes: number | undefined
}

/** The downloads were stopped (Ctrl-C, or the caller's AbortSignal); every partial file is kept for resuming. */
export class DownloadInterrupted extends Interrupted {
  override name = 'DownloadInterrupted'
  constructor(readonly parts: readonly KeptPart[]) {
    super(interruptedMessage(parts))
  }
}

function interruptedMessage(parts: readonly KeptPart[]): string {
  if (parts.length === 0) return 'Interrupted before any download started; nothing was written'
  const kept = parts.map((part) => `${basename(part.path)} (${formatBytes(part.bytes)}${part.totalBytes ? ` of ${formatBytes(part.totalBytes)}` : ''})`)
  return `Interrupted: kept ${kept.join(', ')} in ${dirname(parts[0]!.path)}; run the same command again to resume`
}

/**
 * An AbortSignal that Ctrl-C fires, for the time of a download or a prepare. The handler is installed once: a second
 * Ctrl-C gets Node's default and ends the process at once (the .part files stay resumable even then, and the next
 * prepare removes what a killed one left).
 */
export function abortOnSigint(): {signal: AbortSignal; dispose(): void} {
  const controller = new AbortController()
  const abort = () => controller.abort()
  process.once('SIGINT', abort)
  return {signal: controller.signal, dispose: () => process.removeListener('SIGINT', abort)}
}
