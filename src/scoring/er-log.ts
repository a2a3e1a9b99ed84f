/** The EEMBC EnergyRunner `log.txt` grammar (spec §1.1). */

import type {LineGrammar, LogEvent} from './events.js'

import {bracketedAfter, fileNameOf, parseOutputList, prefixedRecordReader} from './lines.js'

/** `Command "bload dut "<path>"[ <offset> <length>]"`, or `bloadp "<path>"` in energy mode. */
const BLOAD = /^Command "bloadp? (?:dut )?"([^"]+)"/
/** `Command "dut infer N W"` (N measured, W warm-ups); energy mode goes through the IO board: `io dut infer N W`. */
const INFER = /^Command "(io )?dut infer (\d+)(?:\s+\d+)?"/
/** Searched, not anchored: Andes prints `dut: \rm-results-…` and the CR is gone by now (spec §1.5 item 1). */
const RESULTS_TAG = 'm-results-['
const LAP = /m-lap-us-(\d+)/
const CONFIG = /^m-bm-cfg-name\[[^\]]*\]-key\[(\w+)\]-val\[([^\]]*)\]/
const VERSION = /^m-version\[([^\]]+)\]/
const MODEL_TAG = 'm-model-['

export function erGrammar(): LineGrammar {
  const records = prefixedRecordReader()
  return function* erLineEvents(line) {
    const record = records(line)
    if (record === null) return
    const {source, message} = record
    if (source === 'session') {
      if (message.includes('m-session-start-id')) yield {kind: 'session-start'}
    } else if (source === 'parser') {
      yield* parserEvents(message)
    } else if (source.startsWith('dut') || source.startsWith('io')) {
      yield* dutEvents(message, source.startsWith('dut'))
    }
  }
}

function* parserEvents(message: string): Generator<LogEvent> {
  const load = BLOAD.exec(message)
  if (load) {
    yield {kind: 'load', file: fileNameOf(load[1])}
    return
  }
  const infer = INFER.exec(message)
  if (infer) {
    yield {kind: 'infer', measured: Number(infer[2]), energyMode: infer[1] !== undefined}
    return
  }
  const config = CONFIG.exec(message)
  if (config) {
    yield {kind: 'config', key: config[1], value: config[2]}
    return
  }
  const version = VERSION.exec(message)
  if (version) yield {kind: 'config', key: 'version', value: version[1]}
}

/** DUT lines arrive as `dut: …` or, through the energy IO board, `io: [dut]: …`; only `dut` lines carry laps. */
function* dutEvents(message: string, fromDut: boolean): Generator<LogEvent> {
  const results = bracketedAfter(message, RESULTS_TAG)
  if (results !== null) yield {kind: 'results', values: parseOutputList(results)}
  const lap = fromDut ? LAP.exec(message) : null
  if (lap) yield {kind: 'lap', microseconds: Number(lap[1])}
  const model = bracketedAfter(message, MODEL_TAG, true)
  if (model !== null) yield {kind: 'model', model}
}
