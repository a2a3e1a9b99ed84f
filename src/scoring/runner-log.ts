/**
 * Reading a runner log as a stream of lines, never as one string. A log is read as an EnergyRunner log until a line
 * only the Python runner writes shows up (the first line of its logs); then it is read again with the Python-runner
 * grammar. A sww01 run is also read for its detection list and the figures it echoes.
 */

import {fileError} from '../errors.js'
import {erGrammar} from './er-log.js'
import {type LineGrammar, type Runner, RunnerLogBuilder, type RunnerLog} from './events.js'
import {cleanLogLine, isPrefixedLine} from './lines.js'
import {type Figures, noFigures, readPublishedFigures} from './published.js'
import {isPythonRunnerLine, pyGrammar} from './py-log.js'
import {forEachLine, STOP_READING} from './result-files.js'
import {isSwwLine, type SwwLog, SwwLogReader} from './sww-log.js'

export interface ReadLog {
  log: RunnerLog
  /** A sww01 stream run (the log names the WAV it played, or the device says sww01); null for the other benchmarks. */
  sww: SwwRun | null
}

export interface SwwRun {
  swwLog: SwwLog
  /** The figures the log echoes as results.txt prints them (`Median energy cost is …`). */
  echoed: Figures<string | null>
}

/** Enough lines to get past a few unprefixed lines at the start of an EnergyRunner log. */
const MAX_LINES_TO_SNIFF = 200
const SWW_MODEL = 'sww01'

export async function readRunnerLog(file: string): Promise<ReadLog> {
  let blank = true
  let python = false
  let prefixed = false
  let lineCount = 0
  const builder = new RunnerLogBuilder('ER')
  const grammar = erGrammar()
  await forEachLine(file, (raw) => {
    const line = cleanLogLine(raw)
    if (isPythonRunnerLine(line) || isSwwLine(line)) {
      python = true
      return STOP_READING
    }
    blank &&= line.trim() === ''
    prefixed ||= lineCount++ < MAX_LINES_TO_SNIFF && isPrefixedLine(line)
    for (const event of grammar(line)) builder.add(event)
  })
  if (python) return readWholeLog(file, 'PY', pyGrammar())
  if (blank) throw fileError(file, 'empty log')
  if (!prefixed) throw fileError(file, 'not an EnergyRunner or Python-runner log (no "timestamp source: message" lines)')
  if (builder.log.model === SWW_MODEL) return readWholeLog(file, 'ER', erGrammar())
  return {log: builder.log, sww: null}
}

/** Every line through the grammar and the sww01 readers. */
async function readWholeLog(file: string, runner: Runner, grammar: LineGrammar): Promise<ReadLog> {
  const builder = new RunnerLogBuilder(runner)
  const sww = new SwwLogReader()
  const echoed = noFigures()
  let namesWav = false
  await forEachLine(file, (raw) => {
    const line = cleanLogLine(raw)
    for (const event of grammar(line)) builder.add(event)
    namesWav ||= isSwwLine(line)
    sww.line(line)
    readPublishedFigures(echoed, line)
  })
  const isSwwRun = namesWav || builder.log.model === SWW_MODEL
  return {log: builder.log, sww: isSwwRun ? {swwLog: sww.log, echoed} : null}
}
