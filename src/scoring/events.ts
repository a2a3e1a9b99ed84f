/**
 * The events both runner grammars produce, and the fold that turns them into inferences.
 * A grammar knows how its runner prints things; everything after this point is runner-neutral.
 */

/** EEMBC EnergyRunner or MLCommons Python runner (spec §1). */
export type Runner = 'ER' | 'PY'

export type LogEvent =
  | {kind: 'session-start'}
  /** `m-bm-cfg-…-key[K]-val[V]` (ER) and `m-version[…]` (ER, key `version`). */
  | {kind: 'config'; key: string; value: string}
  /** The model the DUT reports: kws01, vww01, ic01, ad01, sww01. */
  | {kind: 'model'; model: string}
  /** A stimulus file sent to the DUT (ER `bload`/`bloadp`, PY `Loading file`). */
  | {kind: 'load'; file: string}
  /** One inference command: `measured` timed inferences (warm-ups excluded); energy mode has no laps. */
  | {kind: 'infer'; measured: number; energyMode: boolean}
  /** The DUT's `m-results-[…]`; null when the payload is not a list of numbers. */
  | {kind: 'results'; values: number[] | null}
  /** `m-lap-us-N`: the DUT's microsecond timer at the start and at the end of the measured inferences. */
  | {kind: 'lap'; microseconds: number}
  /** PY only: the throughput the runner printed for the current window (`%10.3f`). */
  | {kind: 'throughput'; inferencesPerSecond: number}
  /** PY only: the energy monitor captured samples for the current inference. */
  | {kind: 'energy-capture'}
  /** PY only: one `Energy data for trial k` block of the log. */
  | {kind: 'energy-trial'; inferences: number; microjoules: number; seconds: number | null}

/** A runner's log grammar: reads the cleaned lines in order and says what each one means. */
export type LineGrammar = (line: string) => Iterable<LogEvent>

export interface Inference {
  /** File name (last path component) of the stimulus loaded before the command; null when the log starts mid-run. */
  file: string | null
  measured: number | null
  energyMode: boolean
  /** Every `m-results` vector printed for this inference, in order. */
  outputs: number[][]
  laps: number[]
  printedThroughput: number | null
}

export interface EnergyTrial {
  inferences: number
  microjoules: number
  seconds: number | null
}

export interface RunnerLog {
  runner: Runner
  sessions: number
  config: Map<string, string>
  model: string | null
  inferences: Inference[]
  energyTrials: EnergyTrial[]
  /** `m-results` lines whose payload was empty or not a list of numbers. */
  unreadableResults: number
}

/** Folds a grammar's events, one at a time, into inferences: each command collects the outputs and laps after it. */
export class RunnerLogBuilder {
  readonly log: RunnerLog
  #loadedFile: string | null = null
  #current: Inference | null = null

  constructor(runner: Runner) {
    this.log = {
      runner, sessions: 0, config: new Map(), model: null, inferences: [], energyTrials: [], unreadableResults: 0,
    }
  }

  add(event: LogEvent): void {
    const {log} = this
    const current = this.#current
    switch (event.kind) {
      case 'session-start': {
        log.sessions++
        break
      }
      case 'config': {
        log.config.set(event.key, event.value)
        break
      }
      case 'model': {
        log.model ??= event.model
        break
      }
      case 'load': {
        this.#loadedFile = event.file
        this.#current = null
        break
      }
      case 'infer': {
        this.#current = {
          file: this.#loadedFile, measured: event.measured, energyMode: event.energyMode, outputs: [], laps: [],
          printedThroughput: null,
        }
        log.inferences.push(this.#current)
        break
      }
      case 'results': {
        if (event.values === null || event.values.length === 0) log.unreadableResults++
        else current?.outputs.push(event.values)
        break
      }
      case 'lap': {
        current?.laps.push(event.microseconds)
        break
      }
      case 'throughput': {
        if (current) current.printedThroughput = event.inferencesPerSecond
        break
      }
      case 'energy-capture': {
        if (current) current.energyMode = true
        break
      }
      case 'energy-trial': {
        log.energyTrials.push({inferences: event.inferences, microjoules: event.microjoules, seconds: event.seconds})
        break
      }
    }
  }
}
