import {basename} from 'node:path'

import type {PrepareAdResult} from './ad.js'

/** The human-readable summary of a `prepare ad` run. */
export function describeAdResult(result: PrepareAdResult): string {
  const {windowing} = result
  const lines = [
    `Wrote ${result.filesWritten} ad01 stimuli (${result.subset} subset; float32 log-mel, 200 frames x 128 bands) to ${result.outputDir}/ with y_labels.csv and manifest.arrow`,
    `  source     ${basename(result.source.path)} (${result.source.kind}; checksum ${result.source.checksum}), ${result.clipsRead} ToyCar test clips read`,
    `  windows    ${windowing.perStimulus} per stimulus: ${windowing.frames} frames (${windowing.bytes} bytes) every ${windowing.strideBytes} bytes`,
  ]
  if (result.official) {
    const {list, found, expected, missing} = result.official
    lines.push(`  selected   ${found} of the ${expected} stimuli of ${list}${missing.length ? ` (${missing.length} missing, written anyway with --allow-missing)` : ''}`)
  }
  if (result.parity) {
    const {identical, compared, differing} = result.parity
    const differs = differing.length ? `; differing: ${differing.slice(0, 5).join(', ')}${differing.length > 5 ? ', …' : ''}` : ''
    lines.push(`  parity     ${identical} of ${compared} byte-identical to the official files${differs}`)
  }
  for (const warning of result.warnings) lines.push(`  warning    ${warning}`)
  return lines.join('\n')
}
