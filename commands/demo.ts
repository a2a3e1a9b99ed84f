import {Flags} from '@oclif/core'

import {BUNDLED_SAMPLES} from '../datasets/samples.js'
import {TinydataCommand} from '../src/cli/base-command.js'
import {demoReportLines, runDemo} from '../src/cli/demo.js'
import {snakeCaseKeys} from '../src/formats/json-case.js'

export default class Demo extends TinydataCommand {
  static override summary = 'Prepare a bundled sample of every benchmark offline; check the kws01 one against the official bytes'
  static override description = `Runs prepare kws on ${BUNDLED_SAMPLES.kws01} (30 of the 1000 official clips, Speech Commands CC BY 4.0) for each variant (mfcc, lfbe, td_samples) and compares every file written with the official one through the pinned hashes; fails if a byte differs that is not the known float32 ceiling. Then prepares ic01, vww01 (--subset all with its annotations), ad01 (--subset all) and sww01 (a spec of its own) from generated samples in the layout of the real archives (synthetic pictures and sounds: the real ones may not be redistributed), and checks each folder with verify --allow-diff; their bytes are not the official ones, so no parity is claimed for them. vww01 is skipped where the optional sharp is missing. No network is needed.`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --out /tmp/demo --json']

  static override flags = {
    out: Flags.string({description: 'folder for the demo output (<out>/<variant>/kws01/, <out>/ic01/, <out>/vww01/, <out>/ad01/, <out>/sww01/)', default: 'tinydata-demo'}),
  }

  async run() {
    const {flags} = await this.parse(Demo)
    const result = await runDemo(flags.out)
    if (!this.jsonEnabled()) this.log(demoReportLines(result).join('\n'))
    return snakeCaseKeys(result)
  }
}
