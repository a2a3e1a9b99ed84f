/** Line handling shared by both runner grammars (spec §1.5, §4 trap 7). */

/** ANSI CSI sequences (Skymizer v1.1 colours its `OK`), spec §1.5 item 2. */
const ANSI_CSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g

/**
 * A log line as the grammars read it: ANSI sequences removed, and every CR removed, because CR also sits inside lines
 * (Andes prints `dut: \rm-results-…`), spec §1.5 item 1. Neither can span a line feed, so line by line is the same
 * as the whole text at once.
 */
export function cleanLogLine(line: string): string {
  const withoutAnsi = line.includes('\x1b') ? line.replace(ANSI_CSI, '') : line
  return withoutAnsi.includes('\r') ? withoutAnsi.replaceAll('\r', '') : withoutAnsi
}

/** `SSSSS.mmm source: message`; the timestamp grows past 5 digits in long sessions (spec §1.1). */
const PREFIXED_LINE = /^(\d+\.\d+) ([^:\s][^:]*?): ?(.*)$/

export interface PrefixedRecord {
  source: string
  message: string
}

/**
 * Reads the records of a prefixed log, one line after the other. The EnergyRunner prefixes only the first line of a
 * serial chunk, so an unprefixed line (`m-lap-us-…` after `got feature interrupt`) belongs to the previous source
 * (spec §1.5 item 3); null for a line that is no record.
 */
export function prefixedRecordReader(): (line: string) => PrefixedRecord | null {
  let source: string | null = null
  return (line) => {
    const match = PREFIXED_LINE.exec(line)
    if (match) {
      source = match[2]
      return {source, message: match[3]}
    }
    return source !== null && line.trim() !== '' ? {source, message: line} : null
  }
}

/** Whether a line is `timestamp source: message`, the EnergyRunner's form. */
export function isPrefixedLine(line: string): boolean {
  return PREFIXED_LINE.test(line)
}

/**
 * What `/<tag>\[([^\]]*)\]/` (or with `+`, `nonEmpty`) captures, found with indexOf: the regex retries every later
 * `<tag>[` of a line without `]`, which takes minutes on a 1 MiB line.
 */
export function bracketedAfter(message: string, tag: string, nonEmpty = false): string | null {
  for (let start = message.indexOf(tag); start !== -1; start = message.indexOf(tag, start + 1)) {
    const from = start + tag.length
    const end = message.indexOf(']', from)
    if (end === -1) return null
    if (!nonEmpty || end > from) return message.slice(from, end)
  }
  return null
}

/**
 * `rest` (anchored with ^) matched against what follows the first match of `head`: in linear time what
 * `head(rest…)$` gives, where the one regex would scan to the end of the line again from every later `head`.
 */
export function matchAfter(line: string, head: RegExp, rest: RegExp): RegExpExecArray | null {
  const found = head.exec(line)
  return found ? rest.exec(line.slice(found.index + found[0].length)) : null
}

/** The file name of a Windows or POSIX path, which may contain spaces (spec §1.1 "input file"). */
export function fileNameOf(path: string): string {
  return path.trim().split(/[\\/]/).at(-1) ?? ''
}

/** What Python's `float()` accepts in the runners' output lists. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i

/** `0.000,0.996,…` or `0.0, 0.996, …` → numbers; null if an element is not a number (empty elements are skipped). */
export function parseOutputList(payload: string): number[] | null {
  const values: number[] = []
  for (const raw of payload.split(',')) {
    const token = raw.trim()
    if (token === '') continue
    if (DECIMAL.test(token)) {
      values.push(Number(token))
      continue
    }
    const special = SPECIAL.exec(token)
    if (!special) return null
    const magnitude = special[2].toLowerCase() === 'nan' ? Number.NaN : Number.POSITIVE_INFINITY
    values.push(special[1] === '-' ? -magnitude : magnitude)
  }
  return values
}
