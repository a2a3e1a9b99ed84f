import {basename} from 'node:path'

import type {PrepareKwsResult} from '../prepare/kws.js'

/** The human-readable summary of a kws prepare run. */
export function describeKwsResult(result: PrepareKwsResult, knownMisses: readonly string[]): string {
  const lines = [
    `Wrote ${result.filesWritten} ${result.variant} stimuli (${result.subset} subset, ${result.precision} arithmetic) to ${result.outputDir}/ with y_labels.csv and manifest.arrow`,
    `  source     ${basename(result.source.path)} (${result.source.kind}; checksum ${result.source.checksum}), ${result.clipsRead} clips read`,
    `  quantise   ${result.quantization.dtype}, scale ${result.quantization.scale}, zero point ${result.quantization.zeroPoint} (${result.quantization.origin})`,
  ]
  if (result.official) {
    const {found, expected, missing} = result.official
    lines.push(`  official   ${found} of ${expected} official stimuli found${missing.length ? ` (${missing.length} missing, written anyway with --allow-missing)` : ''}`)
  }
  if (result.tfdsOrder) {
    const {matching, checked} = result.tfdsOrder
    lines.push(`  order      TFDS read order: ${matching} of the first ${checked} files are the official clip of that number`)
  }
  if (result.parity) {
    const {identical, compared, differing} = result.parity
    const unexplained = differing.filter((file) => !knownMisses.includes(file))
    const known = differing.filter((file) => knownMisses.includes(file))
    let parity = `  parity     ${identical} of ${compared} byte-identical to the official files`
    if (known.length && result.precision === 'exact') parity += `; ${known.join(', ')} is the known float32 ceiling`
    if (unexplained.length) parity += `; differing: ${unexplained.slice(0, 5).join(', ')}${unexplained.length > 5 ? ', …' : ''}`
    lines.push(parity)
  }
  for (const warning of result.warnings) lines.push(`  warning    ${warning}`)
  return lines.join('\n')
}
