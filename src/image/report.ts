/** The human-readable summaries of `prepare ic` and `prepare vww`. */
import {basename} from 'node:path'

import type {PrepareIcResult} from '../prepare/ic.js'
import type {PrepareVwwResult} from '../prepare/vww.js'
import type {Parity} from '../formats/pinned-tables.js'
import {firstFew, type CheckedSource} from '../prepare/shared.js'

export function describeIcResult(result: PrepareIcResult): string {
  const what = result.list ? `the ${result.list} list` : 'every test-batch image'
  const lines = [
    `Wrote ${result.filesWritten} ic01 stimuli (${result.subset} subset, ${what}) to ${result.outputDir}/ with y_labels.csv and manifest.arrow`,
    sourceLine(result.source, `test batch ${result.testBatch}`),
  ]
  if (result.official) lines.push(`  official   ${result.official.found} of ${result.official.expected} images of the ${result.list} list`)
  lines.push(parityLine(result.parity, result.subset === 'test' ? 'official images at their test-batch index' : 'official files'))
  return [...lines, ...warningLines(result.warnings)].join('\n')
}

export function describeVwwResult(result: PrepareVwwResult): string {
  const lines = [
    `Wrote ${result.filesWritten} vww01 stimuli (${result.subset} subset: ${result.person} person, ${result.filesWritten - result.person} non-person) to ${result.outputDir}/ with y_labels.csv and manifest.arrow`,
    sourceLine(result.source, `${result.imagesDecoded} images decoded`),
  ]
  if (result.annotations) {
    const {path, images, skipped, missing} = result.annotations
    const absent = missing.length ? `; ${missing.length} labelled images not in the source: ${firstFew(missing)}` : ''
    lines.push(`  labels     ${basename(path)}: ${images} images, ${skipped} skipped by the 2.5 % rule (small person boxes only)${absent}`)
  }
  if (result.official) {
    const {found, expected, missing} = result.official
    lines.push(`  official   ${found} of ${expected} official images found${missing.length ? ` (${missing.length} missing: ${firstFew(missing)})` : ''}`)
  }
  if (result.parity.compared > 0) lines.push(parityLine(result.parity, 'official files'))
  if (result.idealAffine.length) {
    lines.push(`  affine     ${result.idealAffine.length} images of shapes outside the pinned table used the ideal parameters (about 96 % of bytes as official): ${firstFew(result.idealAffine)}`)
  }
  return [...lines, ...warningLines(result.warnings)].join('\n')
}

function sourceLine(source: CheckedSource, detail: string): string {
  return `  source     ${basename(source.path)} (${source.kind}; checksum ${source.checksum}), ${detail}`
}

function parityLine({identical, compared, differing}: Parity, what: string): string {
  if (compared === 0) return `  parity     no official bytes are pinned for these files`
  const differ = differing.length ? `; differing: ${firstFew(differing, 5)}` : ''
  return `  parity     ${identical} of ${compared} ${what} byte-identical to the official bytes${differ}`
}

function warningLines(warnings: readonly string[]): string[] {
  return warnings.map((warning) => `  warning    ${warning}`)
}
