/** Line handling shared by both runner grammars (spec §1.5, §4 trap 7). */

/** ANSI CSI sequences (Skymizer v1.1 colours its `OK`), spec §1.5 item 2. */
const ANSI_CSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g

/**
 * Log bytes → text: UTF-8 with replacement characters, ANSI sequences removed, and every CR removed, because CR
 * also sits inside lines (Andes prints `dut: \rm-results-…`), spec §1.5 item 1.
 */
export function cleanLogText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('utf8')
    .replace(ANSI_CSI, '')
    .replaceAll('\r', '')
}

/** `SSSSS.mmm source: message`; the timestamp grows past 5 digits in long sessions (spec §1.1). */
const PREFIXED_LINE = /^(\d+\.\d+) ([^:\s][^:]*?): ?(.*)$/

export interface PrefixedRecord {
  source: string
  message: string
}

/**
 * The records of a prefixed log. The EnergyRunner prefixes only the first line of a serial chunk, so an unprefixed
 * line (`m-lap-us-…` after `got feature interrupt`) belongs to the previous source (spec §1.5 item 3).
 */
export function* prefixedRecords(text: string): Generator<PrefixedRecord> {
  let source: string | null = null
  for (const line of text.split('\n')) {
    const match = PREFIXED_LINE.exec(line)
    if (match) {
      source = match[2]
      yield {source, message: match[3]}
    } else if (source !== null && line.trim() !== '') {
      yield {source, message: line}
    }
  }
}

/** Enough lines to get past a few unprefixed lines at the start of a log. */
const MAX_LINES_TO_SNIFF = 200

/** Whether the text looks like an EnergyRunner log at all. */
export function hasPrefixedLine(text: string): boolean {
  return text.split('\n', MAX_LINES_TO_SNIFF).some((line) => PREFIXED_LINE.test(line))
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
