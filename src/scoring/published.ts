/** The figures a runner printed into `results.txt`, read as the submission checker reads them (spec §1.3). */

export interface Figures<T> {
  top1: T
  auc: T
  medianIps: T
  medianUjPerInference: T
}

/** The checker's patterns (`checker:153-159`), searched line by line; ER and PY phrasings both match. */
const PATTERNS: Figures<RegExp> = {
  top1: / Top[- ]1%?\s?[:=] ([\d.]+)/,
  auc: / AUC\s?[:=] ([\d.]+)/,
  medianIps: / Median throughput is\s+([\d.]+) inf\.\/sec\./,
  medianUjPerInference: /Median energy cost is\s*([\d.]+) uJ\/inf/,
}

export function noFigures(): Figures<string | null> {
  return {top1: null, auc: null, medianIps: null, medianUjPerInference: null}
}

/** Reads one line into the printed strings; when a line repeats (Andes, bosch), the last wins as in `checker:939-942`. */
export function readPublishedFigures(figures: Figures<string | null>, line: string): void {
  for (const key of Object.keys(PATTERNS) as (keyof Figures<RegExp>)[]) {
    const match = PATTERNS[key].exec(line)
    if (match) figures[key] = match[1]
  }
}
