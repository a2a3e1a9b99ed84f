/** How the stimulus files of a folder compare with the official bytes: a closed-division submission needs them all identical. */
export interface OfficialBytes {
  /** Every file is byte-identical to its official file. */
  allIdentical: boolean
  identical: number
  differing: number
  /** Files with no official bytes to compare with (not an official file, none pinned for it, or a model-input tensor). */
  notCompared: number
}

/** Of `files` stimulus files, those `compared` with their pinned official bytes. */
export function officialBytes(files: number, compared: {identical: number; differing: number}): OfficialBytes {
  const notCompared = files - compared.identical - compared.differing
  return {allIdentical: compared.differing === 0 && notCompared === 0, ...compared, notCompared}
}
