/** The human-readable summaries of the `prepare` commands: the folder written, the source, the selection, the parity. */
import {basename} from 'node:path'

import type {Parity} from '../formats/pinned-tables.js'
import type {PrepareAdResult} from '../prepare/ad.js'
import type {PrepareIcResult} from '../prepare/ic.js'
import type {PrepareKwsResult} from '../prepare/kws.js'
import {firstFew, type CheckedSource, type PrepareResultBase} from '../prepare/shared.js'
import type {PrepareSwwResult} from '../prepare/sww.js'
import type {PrepareVwwResult} from '../prepare/vww.js'

export function describeKwsResult(result: PrepareKwsResult, knownMisses: readonly string[]): string {
  const {quantization} = result
  const lines = [
    wroteLine(result, `${result.variant} stimuli (${result.subset} subset, ${result.precision} arithmetic)`),
    sourceLine(result, `${result.clipsRead} clips read`),
    `  quantise   ${quantization.dtype}, scale ${quantization.scale}, zero point ${quantization.zeroPoint} (${quantization.origin})`,
  ]
  if (result.official) lines.push(officialLine(result.official, 'official stimuli found'))
  if (result.tfdsOrder) {
    const {matching, checked} = result.tfdsOrder
    lines.push(`  order      TFDS read order: ${matching} of the first ${checked} files are the official clip of that number`)
  }
  if (result.parity) {
    // The known float32 ceiling is named as such, not listed among the files that differ.
    const known = result.precision === 'exact' ? result.parity.differing.filter((file) => knownMisses.includes(file)) : []
    const unexplained = {...result.parity, differing: result.parity.differing.filter((file) => !known.includes(file))}
    lines.push(parityLine(unexplained, 'official files', known.length ? `; ${known.join(', ')} is the known float32 ceiling` : ''))
  }
  return withWarnings(lines, result)
}

export function describeAdResult(result: PrepareAdResult): string {
  const {windowing} = result
  const lines = [
    wroteLine(result, `ad01 stimuli (${result.subset} subset; float32 log-mel, 200 frames x 128 bands)`),
    sourceLine(result, `${result.clipsRead} ToyCar test clips read`),
    `  windows    ${windowing.perStimulus} per stimulus: ${windowing.frames} frames (${windowing.bytes} bytes) every ${windowing.strideBytes} bytes`,
  ]
  if (result.official) lines.push(officialLine(result.official, `stimuli of ${result.official.list}`))
  if (result.parity) lines.push(parityLine(result.parity, 'official files'))
  return withWarnings(lines, result)
}

export function describeIcResult(result: PrepareIcResult): string {
  const what = result.list ? `the ${result.list} list` : 'every test-batch image'
  const lines = [wroteLine(result, `ic01 stimuli (${result.subset} subset, ${what})`), sourceLine(result, `test batch ${result.testBatch}`)]
  if (result.official) lines.push(officialLine(result.official, `images of the ${result.list} list`))
  lines.push(parityLine(result.parity, result.subset === 'test' ? 'official images at their test-batch index' : 'official files'))
  return withWarnings(lines, result)
}

export function describeVwwResult(result: PrepareVwwResult): string {
  const lines = [
    wroteLine(result, `vww01 stimuli (${result.subset} subset: ${result.person} person, ${result.filesWritten - result.person} non-person)`),
    sourceLine(result, `${result.imagesDecoded} images decoded`),
  ]
  if (result.annotations) {
    const {path, images, skipped, missing} = result.annotations
    const absent = missing.length ? `; ${missing.length} labelled images not in the source: ${firstFew(missing)}` : ''
    lines.push(`  labels     ${basename(path)}: ${images} images, ${skipped} skipped by the 2.5 % rule (small person boxes only)${absent}`)
  }
  if (result.official) lines.push(officialLine(result.official, 'official images found'))
  if (result.parity.compared > 0) lines.push(parityLine(result.parity, 'official files'))
  if (result.idealAffine.length) {
    lines.push(`  affine     ${result.idealAffine.length} images of shapes outside the pinned table used the ideal parameters (about 96 % of bytes as official): ${firstFew(result.idealAffine)}`)
  }
  return withWarnings(lines, result)
}

export function describeSwwResult(result: PrepareSwwResult): string {
  const what = result.official ? `the official ${result.official} build` : basename(result.spec)
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`
  const source = (name: string, {path, kind, checksum, clipsRead}: CheckedSource & {clipsRead: number}) =>
    `  ${name.padEnd(10)} ${basename(path)} (${kind}; checksum ${checksum}), ${count(clipsRead, 'clip')} read`
  const lines = [
    `Wrote ${basename(result.wavFile)} (${result.lengthSec} s, stereo 16 kHz) and ${basename(result.truthFile)} to ${result.outputDir}/, from ${what}`,
    `  mix        ${count(result.backgrounds, 'background segment')}, ${count(result.wakewords, 'wakeword')} (their detection windows in the truth JSON)`,
    source('speech', result.sources.speechCommands),
    source('musan', result.sources.musan),
  ]
  if (result.parity) {
    const {blobId, published, equal} = result.parity
    lines.push(`  parity     ${equal ? 'byte-identical to the published WAV' : `differs from the published WAV (git blob ${blobId}, published ${published.join(' or ')})`}`)
  }
  return withWarnings(lines, result)
}

function wroteLine(result: PrepareResultBase, what: string): string {
  return `Wrote ${result.filesWritten} ${what} to ${result.outputDir}/ with y_labels.csv and manifest.arrow`
}

function sourceLine({source}: PrepareResultBase, detail: string): string {
  return `  source     ${basename(source.path)} (${source.kind}; checksum ${source.checksum}), ${detail}`
}

function officialLine({found, expected, missing}: {found: number; expected: number; missing: readonly string[]}, what: string): string {
  return `  official   ${found} of ${expected} ${what}${missing.length ? ` (${missing.length} missing, written anyway with --allow-missing: ${firstFew(missing)})` : ''}`
}

function parityLine({identical, compared, differing}: Parity, what: string, note = ''): string {
  if (compared === 0) return `  parity     no official bytes are pinned for these files`
  const differ = differing.length ? `; differing: ${firstFew(differing, 5)}` : ''
  return `  parity     ${identical} of ${compared} ${what} byte-identical to the official bytes${note}${differ}`
}

function withWarnings(lines: string[], {warnings}: {warnings: readonly string[]}): string {
  return [...lines, ...warnings.map((warning) => `  warning    ${warning}`)].join('\n')
}
