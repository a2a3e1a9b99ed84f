import {Flags} from '@oclif/core'
import {join} from 'node:path'

import {kws01} from '../datasets/kws01.js'
import {TinydataCommand} from '../src/cli/base-command.js'
import {snakeCaseKeys} from '../src/formats/json-case.js'
import {UserError} from '../src/errors.js'
import {packageFile} from '../src/package-files.js'
import {prepareKws, type PrepareKwsResult} from '../src/prepare/kws.js'
import {KWS_VARIANTS} from '../datasets/types.js'

/** The bundled offline sample: 30 official kws01 clips (samples/README.md). */
export const KWS_SAMPLE = 'samples/kws01-sample.tar.gz'

export default class Demo extends TinydataCommand {
  static override summary = 'Prepare the bundled kws01 sample offline and check its bytes against the official stimuli'
  static override description = `Runs prepare kws on ${KWS_SAMPLE} (30 of the 1000 official clips, Speech Commands CC BY 4.0) for each variant (mfcc, lfbe, td_samples) and compares every file written with the official one through the pinned hashes. No network is needed. Fails if a byte differs that is not the known float32 ceiling.`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --out /tmp/demo --json']

  static override flags = {
    out: Flags.string({description: 'folder for the demo output (<out>/<variant>/kws01/)', default: 'tinydata-demo'}),
  }

  async run() {
    const {flags} = await this.parse(Demo)
    const sample = packageFile(KWS_SAMPLE)
    const results: PrepareKwsResult[] = []
    for (const variant of KWS_VARIANTS) {
      // The sample holds 30 of the 1000 official clips and is not the pinned archive: its clips are checked by content.
      results.push(await prepareKws({benchmark: kws01, source: sample, out: join(flags.out, variant), variant, verify: false, allowMissing: true}))
    }
    if (!this.jsonEnabled()) this.log(this.table(results))
    const regressions = results.flatMap((r) => r.parity!.differing.filter((file) => !kws01.knownParityMisses[r.variant].includes(file)).map((file) => `${r.variant}/${file}`))
    if (regressions.length) throw new UserError(`parity regression: ${regressions.join(', ')} differ from the official bytes`)
    return snakeCaseKeys({sample, results})
  }

  private table(results: readonly PrepareKwsResult[]): string {
    const rows = results.map((r) => {
      const {identical, compared, differing} = r.parity!
      const note = differing.length ? `  (${differing.join(', ')}: the known float32 ceiling)` : ''
      return `  ${r.variant.padEnd(11)} ${String(r.filesWritten).padStart(5)}   ${`${identical}/${compared}`.padStart(7)}   ${r.outputDir}${note}`
    })
    return [
      `Prepared ${KWS_SAMPLE} offline: ${results[0]!.clipsRead} official kws01 clips (Speech Commands v0.02, CC BY 4.0).`,
      `  variant     files   official bytes identical   folder`,
      ...rows,
      'Each folder holds y_labels.csv, the .bin stimuli and manifest.arrow, ready for the runner.',
    ].join('\n')
  }
}
