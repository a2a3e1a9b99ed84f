import type {PrepareProgress} from '../prepare/pipeline.js'

const PROGRESS_INTERVAL_MS = 100

/**
 * A one-line progress counter on stderr, redrawn in place at most every 100 ms; inert when progress is not wanted
 * (JSON, pipes, CI). `describe` turns a pipeline's progress report into the line.
 */
export function progressPrinter<Progress>(enabled: boolean, describe: (progress: Progress) => string) {
  let last = 0
  let shown = false
  return {
    update: (progress: Progress) => {
      const now = Date.now()
      if (!enabled || now - last < PROGRESS_INTERVAL_MS) return
      last = now
      shown = true
      process.stderr.write(`\r${describe(progress)}`)
    },
    done: () => {
      if (shown) process.stderr.write('\r\u001B[K')
    },
  }
}

/** The progress line of every `prepare`: members read, stimuli selected, stimuli made. */
export function prepareProgressPrinter(enabled: boolean, benchmark: string) {
  return progressPrinter(enabled, (p: PrepareProgress) => `${benchmark}: ${p.membersRead} files read, ${p.selected} selected, ${p.made} made`)
}
