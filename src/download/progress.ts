import type {DownloadProgress} from './download-file.js'
import {formatBytes, formatDuration} from './format.js'

const REDRAW_INTERVAL_MS = 200
/** The rate is measured over the last few seconds, so the ETA follows a connection that speeds up or slows down. */
const RATE_WINDOW_MS = 5000
const BAR_WIDTH = 24
const NAME_WIDTH = 38

interface FileState {
  progress: DownloadProgress
  samples: {time: number; bytes: number}[]
}

/**
 * One progress bar per file (bytes, rate, ETA), redrawn in place on a terminal. It only builds text: the command
 * gives it the function that writes to stderr, and gives it nothing when progress is not wanted.
 */
export class DownloadProgressBoard {
  private readonly files = new Map<string, FileState>()
  private linesDrawn = 0
  private lastDraw = 0

  constructor(
    private readonly write: (text: string) => void,
    private readonly columns: () => number = () => 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  update = (progress: DownloadProgress): void => {
    const time = this.now()
    const state = this.files.get(progress.file) ?? {progress, samples: []}
    if (progress.phase !== state.progress.phase) state.samples = []
    state.progress = progress
    state.samples.push({time, bytes: progress.bytes})
    while (state.samples.length > 2 && time - state.samples[0]!.time > RATE_WINDOW_MS) state.samples.shift()
    this.files.set(progress.file, state)
    if (time - this.lastDraw >= REDRAW_INTERVAL_MS || progress.phase === 'done') this.draw(time)
  }

  /** Removes the bars, leaving the terminal as it was for the summary that follows. */
  clear(): void {
    if (this.linesDrawn > 0) this.write(`\u001B[${this.linesDrawn}A\r\u001B[J`)
    this.linesDrawn = 0
  }

  private draw(time: number): void {
    this.lastDraw = time
    const width = Math.max(40, this.columns() - 1)
    const lines = [...this.files.values()].map((state) => describe(state).slice(0, width))
    const up = this.linesDrawn > 0 ? `\u001B[${this.linesDrawn}A` : ''
    this.write(`${up}${lines.map((line) => `\r\u001B[K${line}\n`).join('')}`)
    this.linesDrawn = lines.length
  }
}

function describe({progress, samples}: FileState): string {
  const name = progress.file.length > NAME_WIDTH ? `${progress.file.slice(0, NAME_WIDTH - 1)}…` : progress.file.padEnd(NAME_WIDTH)
  const {bytes, totalBytes} = progress
  const amount = totalBytes ? `${formatBytes(bytes)} / ${formatBytes(totalBytes)}` : formatBytes(bytes)
  const fraction = totalBytes ? Math.min(1, bytes / totalBytes) : undefined
  const bar = fraction === undefined ? '(size unknown)' : `[${'#'.repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}] ${`${Math.floor(fraction * 100)}%`.padStart(4)}`
  if (progress.phase === 'done') return `${name} ${bar}  ${amount}  done`
  const rate = bytesPerSecond(samples)
  const speed = rate === undefined ? '' : `  ${formatBytes(rate)}/s`
  const eta = rate && totalBytes ? `  ETA ${formatDuration((totalBytes - bytes) / rate)}` : ''
  if (progress.phase === 'waiting') return `${name} waiting: another tinydata process is downloading it into this cache`
  const phase = progress.phase === 'checking' ? '  checking the .part of an earlier run' : progress.phase === 'verifying' ? '  verifying' : ''
  return `${name} ${bar}  ${amount}${speed}${eta}${phase}`
}

function bytesPerSecond(samples: readonly {time: number; bytes: number}[]): number | undefined {
  if (samples.length < 2) return undefined
  const first = samples[0]!
  const last = samples.at(-1)!
  const seconds = (last.time - first.time) / 1000
  return seconds > 0 ? (last.bytes - first.bytes) / seconds : undefined
}
