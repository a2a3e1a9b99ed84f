/**
 * `tinydata demo`: every benchmark prepared offline from a bundled sample. kws01 from 30 official clips, checked against
 * the official bytes; ic01, vww01, ad01 and sww01 from generated samples in the real archives' layout (their bytes are
 * not the official ones), each folder checked for its structure.
 */

import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ad01} from '../../datasets/ad01.js'
import {ic01} from '../../datasets/ic01.js'
import {kws01} from '../../datasets/kws01.js'
import {BUNDLED_SAMPLES} from '../../datasets/samples.js'
import {sww01} from '../../datasets/sww01.js'
import {KWS_VARIANTS} from '../../datasets/types.js'
import {vww01} from '../../datasets/vww01.js'
import {UserError} from '../errors.js'
import {loadSharp} from '../image/decode.js'
import {Y_LABELS_FILE} from '../output/runner-folder.js'
import {packageFile} from '../package-files.js'
import {prepareAd, type PrepareAdResult} from '../prepare/ad.js'
import {prepareIc, type PrepareIcResult} from '../prepare/ic.js'
import {prepareKws, type PrepareKwsResult} from '../prepare/kws.js'
import {prepareSww, type PrepareSwwResult} from '../prepare/sww.js'
import {prepareVww, type PrepareVwwResult} from '../prepare/vww.js'
import {verifyFolder} from '../verify/verify.js'
import {shellWord} from './official-bytes-warning.js'

/** A generated sample prepared: what was written, checked for its structure only (its bytes are not the official ones). */
export interface GeneratedRun {
  benchmark: string
  /** The bundled files read. */
  sources: string[]
  outputDir: string
  filesWritten: number
  /** Rows of the y_labels.csv written; null for sww01, whose folder holds a WAV and its truth JSON instead. */
  yLabelsRows: number | null
  manifest: string | null
  /** `verify --allow-diff` passes on the folder: every listed file there, with its size, agreeing with the manifest. */
  structureVerified: true
  result: PrepareIcResult | PrepareVwwResult | PrepareAdResult | PrepareSwwResult
}

/** A generated sample the demo could not prepare here, and why (vww01 without the optional sharp). */
export interface SkippedRun {
  benchmark: string
  sources: string[]
  skipped: string
}

/** The kws01 folder `Next:` names: lfbe, whose 30 files are all official bytes, so that `verify` passes on it. */
const NEXT_VARIANT = 'lfbe'

export interface DemoResult {
  sample: string
  results: PrepareKwsResult[]
  benchmarks: Array<GeneratedRun | SkippedRun>
  /** The command a user runs next. */
  next: string
}

export async function runDemo(out: string): Promise<DemoResult> {
  const sample = packageFile(BUNDLED_SAMPLES.kws01)
  const results: PrepareKwsResult[] = []
  for (const variant of KWS_VARIANTS) {
    // The sample holds 30 of the 1000 official clips and is not the pinned archive: its clips are checked by content.
    results.push(await prepareKws({benchmark: kws01, source: sample, out: join(out, variant), variant, verify: false, allowMissing: true}))
  }
  const regressions = results.flatMap((r) => r.parity!.differing.filter((file) => !kws01.knownParityMisses[r.variant].includes(file)).map((file) => `${r.variant}/${file}`))
  if (regressions.length) throw new UserError(`parity regression: ${regressions.join(', ')} differ from the official bytes`)
  const benchmarks = await prepareGeneratedSamples(out)
  return {sample, results, benchmarks, next: `tinydata verify ${shellWord(join(out, NEXT_VARIANT, kws01.id))}`}
}

export function demoReportLines({results, benchmarks, next}: DemoResult): string[] {
  const kwsRows = results.map((r) => {
    const {identical, compared, differing} = r.parity!
    const note = differing.length ? `  (${differing.join(', ')}: the known float32 ceiling)` : ''
    return `  ${r.variant.padEnd(11)} ${String(r.filesWritten).padStart(5)}   ${`${identical}/${compared}`.padStart(7)}   ${r.outputDir}${note}`
  })
  const generatedRows = benchmarks.map((run) => {
    const head = `  ${run.benchmark.padEnd(9)}`
    if ('skipped' in run) return `${head} skipped: ${run.skipped}`
    const rows = run.yLabelsRows === null ? '-' : String(run.yLabelsRows)
    const note = run.yLabelsRows === null ? '  (a WAV and its truth JSON)' : ''
    return `${head} ${String(run.filesWritten).padStart(5)}   ${rows.padStart(13)}   ${run.outputDir}${note}`
  })
  return [
    `Prepared ${BUNDLED_SAMPLES.kws01} offline: ${results[0]!.clipsRead} official kws01 clips (Speech Commands v0.02, CC BY 4.0).`,
    `  variant     files   official bytes identical   folder`,
    ...kwsRows,
    'Each folder holds y_labels.csv, the .bin stimuli and manifest.arrow, ready for the runner.',
    '',
    'Prepared the generated samples (synthetic data in the real archives\' layout, samples/README.md): they are not the',
    'official images and sounds, so their bytes are not compared; each folder passes tinydata verify --allow-diff.',
    `  benchmark files   y_labels rows   folder`,
    ...generatedRows,
    `Next: ${next}   (checks a runner folder against the official bytes)`,
  ]
}

/** ic01 (the v0.7 list), vww01 and ad01 (every image or clip of the sample) and sww01 (the sample's spec). */
async function prepareGeneratedSamples(out: string): Promise<Array<GeneratedRun | SkippedRun>> {
  const {ic01: icSample, vww01: vwwSample, ad01: adSample, sww01: swwSample} = BUNDLED_SAMPLES
  const runs: Array<GeneratedRun | SkippedRun> = []
  // The samples are not the pinned archives: their checksums are not checked (they would all differ).
  runs.push(await checked([icSample], prepareIc({benchmark: ic01, source: packageFile(icSample), out, verify: false})))
  const vwwSources = [vwwSample.images, vwwSample.annotations]
  const sharpMissing = await loadSharp('the demo needs it for vww01').then(() => undefined, (error: Error) => error.message)
  runs.push(sharpMissing
    ? {benchmark: vww01.id, sources: vwwSources.map((file) => packageFile(file)), skipped: sharpMissing}
    : await checked(vwwSources, prepareVww({benchmark: vww01, source: packageFile(vwwSample.images), annotations: packageFile(vwwSample.annotations), subset: 'all', out, verify: false})))
  runs.push(await checked([adSample], prepareAd({benchmark: ad01, source: packageFile(adSample), subset: 'all', out, verify: false})))
  const swwSources = {speechCommands: packageFile(swwSample.speechCommands), musan: packageFile(swwSample.musan)}
  runs.push(await checked([swwSample.speechCommands, swwSample.musan, swwSample.spec], prepareSww({benchmark: sww01, sources: swwSources, out, build: {spec: packageFile(swwSample.spec)}, verify: false})))
  return runs
}

/** A prepare run of a generated sample, with what it wrote counted and its folder verified (structure only). */
async function checked(sources: readonly string[], running: Promise<GeneratedRun['result']>): Promise<GeneratedRun> {
  const result = await running
  const verified = await verifyFolder(result.outputDir, {allowDiff: true})
  if (!verified.ok) throw new UserError(`${result.outputDir}: the folder prepared from ${sources[0]} fails tinydata verify --allow-diff`)
  const runnerFolder = 'manifest' in result
  const yLabelsRows = runnerFolder ? (await readFile(join(result.outputDir, Y_LABELS_FILE), 'utf8')).split('\n').filter((line) => line !== '').length : null
  return {
    benchmark: result.benchmark,
    sources: sources.map((file) => packageFile(file)),
    outputDir: result.outputDir,
    filesWritten: runnerFolder ? result.filesWritten : [result.wavFile, result.truthFile].length,
    yLabelsRows,
    manifest: runnerFolder ? result.manifest : null,
    structureVerified: true,
    result,
  }
}
