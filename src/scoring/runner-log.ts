/**
 * Reading a runner log as a stream of lines, never as one string: a first pass tells which runner wrote it, a second
 * reads it with that runner's grammar, and with the sww01 and echoed-figure readers that need the whole log too.
 */

import {fileError} from '../errors.js'
import {erGrammar} from './er-log.js'
import {type Runner, RunnerLogBuilder, type RunnerLog} from './events.js'
import {cleanLogLine, isPrefixedLine} from './lines.js'
import {type Figures, noFigures, readPublishedFigures} from './published.js'
import {isPythonRunnerLine, pyGrammar} from './py-log.js'
import {forEachLine} from './result-files.js'
import {isSwwLine, type SwwLog, SwwLogReader} from './sww-log.js'

export interface ReadLog {
  log: RunnerLog
  /** Whether a line names the WAV a sww01 stream run played. */
  namesWav: boolean
  sww: SwwLog
  /** The figures the log echoes as results.txt prints them (`Median energy cost is …`). */
  echoed: Figures<string | null>
}

/** Enough lines to get past a few unprefixed lines at the start of an EnergyRunner log. */
const MAX_LINES_TO_SNIFF = 200

export async function readRunnerLog(file: string): Promise<ReadLog> {
  let blank = true
  let python = false
  let namesWav = false
  let prefixed = false
  let lineCount = 0
  await forEachLine(file, (raw) => {
    const line = cleanLogLine(raw)
    blank &&= line.trim() === ''
    python ||= isPythonRunnerLine(line)
    namesWav ||= isSwwLine(line)
    prefixed ||= lineCount++ < MAX_LINES_TO_SNIFF && isPrefixedLine(line)
  })
  if (blank) throw fileError(file, 'empty log')
  let runner: Runner
  if (python || namesWav) runner = 'PY'
  else if (prefixed) runner = 'ER'
  else throw fileError(file, 'not an EnergyRunner or Python-runner log (no "timestamp source: message" lines)')
  const grammar = runner === 'ER' ? erGrammar() : pyGrammar()
  const builder = new RunnerLogBuilder(runner)
  const sww = new SwwLogReader()
  const echoed = noFigures()
  await forEachLine(file, (raw) => {
    const line = cleanLogLine(raw)
    for (const event of grammar(line)) builder.add(event)
    sww.line(line)
    readPublishedFigures(echoed, line)
  })
  return {log: builder.log, namesWav, sww: sww.log, echoed}
}
