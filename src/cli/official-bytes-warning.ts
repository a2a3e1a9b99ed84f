import type {OfficialBytes} from '../verify/official-bytes.js'

/**
 * The warning for a folder that is not byte-identical to the official stimuli, or undefined where it is: fine for the
 * open division, not for the closed one, which `verify` checks.
 */
export function closedDivisionWarning(folder: string, bytes: OfficialBytes): string | undefined {
  if (bytes.allIdentical) return undefined
  const files = bytes.identical + bytes.differing + bytes.notCompared
  const facts = [
    ...(bytes.differing ? [`${bytes.differing} of ${files} stimulus files differ from the official bytes`] : []),
    ...(bytes.notCompared ? [`${bytes.notCompared} of ${files} have no official bytes to compare with`] : []),
  ]
  return `${folder}: ${facts.join(', and ')}. A closed-division submission needs every file byte-identical to the official one`
    + ` (check a folder with \`tinydata verify ${shellWord(folder)}\`); an open-division set may differ`
}

/** A path as one shell word: quoted where it holds anything but letters, digits and `_./-`. */
export function shellWord(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`
}
