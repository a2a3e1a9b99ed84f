import {Flags} from '@oclif/core'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ad01} from '../datasets/ad01.js'
import {ic01} from '../datasets/ic01.js'
import {kws01} from '../datasets/kws01.js'
import {BUNDLED_SAMPLES} from '../datasets/samples.js'
import {sww01} from '../datasets/sww01.js'
import {KWS_VARIANTS} from '../datasets/types.js'
import {vww01} from '../datasets/vww01.js'
import {TinydataCommand} from '../src/cli/base-command.js'
import {UserError} from '../src/errors.js'
import {snakeCaseKeys} from '../src/formats/json-case.js'
import {loadSharp} from '../src/image/decode.js'
import {Y_LABELS_FILE} from '../src/output/runner-folder.js'
import {packageFile} from '../src/package-files.js'
import {prepareAd, type PrepareAdResult} from '../src/prepare/ad.js'
import {prepareIc, type PrepareIcResult} from '../src/prepare/ic.js'
import {prepareKws, type PrepareKwsResult} from '../src/prepare/kws.js'
import {prepareSww, type PrepareSwwResult} from '../src/prepare/sww.js'
import {prepareVww, type PrepareVwwResult} from '../src/prepare/vww.js'
import {verifyFolder} from '../src/verify/verify.js'

/** A generated sample prepared: what was written, checked for its structure only (its bytes are not the official ones). */
interface GeneratedRun {
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
interface SkippedRun {
  benchmark: string
  sources: string[]
  skipped: string
}

/** The kws01 folder `Next:` names: lfbe, whose 30 files are all official bytes, so that `verify` passes on it. */
const NEXT_VARIANT = 'lfbe'

export default class Demo extends TinydataCommand {
  static override summary = 'Prepare a bundled sample of every benchmark offline; check the kws01 one against the official bytes'
  static override description = `Runs prepare kws on ${BUNDLED_SAMPLES.kws01} (30 of the 1000 official clips, Speech Commands CC BY 4.0) for each variant (mfcc, lfbe, td_samples) and compares every file written with the official one through the pinned hashes; fails if a byte differs that is not the known float32 ceiling. Then prepares ic01, vww01 (--subset all with its annotations), ad01 (--subset all) and sww01 (a spec of its own) from generated samples in the layout of the real archives (synthetic pictures and sounds: the real ones may not be redistributed), and checks each folder with verify --allow-diff; their bytes are not the official ones, so no parity is claimed for them. vww01 is skipped where the optional sharp is missing. No network is needed.`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --out /tmp/demo --json']

  static override flags = {
    out: Flags.string({description: 'folder for the demo output (<out>/<variant>/kws01/, <out>/ic01/, <out>/vww01/, <out>/ad01/, <out>/sww01/)', default: 'tinydata-demo'}),
  }

  async run() {
    const {flags} = await this.parse(Demo)
    const sample = packageFile(BUNDLED_SAMPLES.kws01)
    const results: PrepareKwsResult[] = []
    for (const variant of KWS_VARIANTS) {
      // The sample holds 30 of the 1000 official clips and is not the pinned archive: its clips are checked by content.
      results.push(await prepareKws({benchmark: kws01, source: sample, out: join(flags.out, variant), variant, verify: false, allowMissing: true}))
    }
    const regressions = results.flatMap((r) => r.parity!.differing.filter((file) => !kws01.knownParityMisses[r.variant].includes(file)).map((file) => `${r.variant}/${file}`))
    if (regressions.length) throw new UserError(`parity regression: ${regressions.join(', ')} differ from the official bytes`)
    const benchmarks = await prepareGeneratedSamples(flags.out)
    const next = `tinydata verify ${shellWord(join(flags.out, NEXT_VARIANT, kws01.id))}`
    if (!this.jsonEnabled()) this.log(this.report(results, benchmarks, next))
    return snakeCaseKeys({sample, results, benchmarks, next})
  }

  private report(results: readonly PrepareKwsResult[], benchmarks: ReadonlyArray<GeneratedRun | SkippedRun>, next: string): string {
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
    ].join('\n')
  }
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

/** A path as one shell word: quoted where it holds anything but plain path characters. */
function shellWord(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`
}
