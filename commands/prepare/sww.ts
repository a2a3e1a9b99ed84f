import {Flags} from '@oclif/core'

import {sww01} from '../../datasets/sww01.js'
import {SWW_OFFICIAL_NAMES} from '../../datasets/types.js'
import {cacheFlags} from '../../src/cli/cached-source.js'
import {PrepareCommand, verifyFlag} from '../../src/cli/prepare-command.js'
import {describeSwwResult} from '../../src/cli/prepare-report.js'
import {progressPrinter} from '../../src/cli/progress.js'
import {snakeCaseKeys} from '../../src/formats/json-case.js'
import {prepareSww, type SwwProgress} from '../../src/prepare/sww.js'

const {speechCommands, musan} = sww01.build.sources

export default class PrepareSww extends PrepareCommand {
  static override summary = 'Build an sww01 test WAV and its truth JSON from Speech Commands v0.02 and MUSAN'
  static override description = `Reads only the clips a build spec names out of ${speechCommands.files[0]!.name} and ${musan.files[0]!.name} (as streams, or the folders they were extracted to), mixes them as build_long_wav.py does (float32 accumulation, peak normalisation, int16 truncation) and writes <out>/sww01/: the stereo 16 kHz WAV and the runner's truth JSON naming it. The official specs (short: short_wav_easy10s.wav, 10 s; long: long_wav.wav, 1200 s) are pinned; --spec builds from your own spec in the same JSON form.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --speech-commands speech_commands_v0.02.tar.gz --musan musan.tar.gz --out datasets',
    '<%= config.bin %> <%= command.id %> --official short --speech-commands ./speech_commands_v0.02 --musan ./musan --out datasets',
    '<%= config.bin %> <%= command.id %> --spec my_test_spec.json --speech-commands speech_commands_v0.02.tar.gz --musan musan.tar.gz --json',
  ]

  static override flags = {
    'speech-commands': Flags.string({description: `${speechCommands.files[0]!.name} or the folder it was extracted to; default: the download cache`}),
    musan: Flags.string({description: `${musan.files[0]!.name} (or its tar) or the folder it was extracted to; default: the download cache`}),
    ...cacheFlags,
    official: Flags.option({description: 'the official build: long (long_wav.wav, 1200 s; the default) or short (short_wav_easy10s.wav, 10 s)', options: SWW_OFFICIAL_NAMES, exclusive: ['spec']})(),
    spec: Flags.string({description: 'a build spec of your own ({"configs_background", "configs_wakeword", "length_sec", "sample_rate"}); writes <name>.wav and <name>.json for <name>_spec.json', exclusive: ['official']}),
    out: Flags.string({description: "the runner's datasets folder; the WAV and its truth JSON go to <out>/sww01/", default: 'stimuli'}),
    ...verifyFlag,
  }

  async run() {
    const {flags} = await this.parse(PrepareSww)
    const progress = progressPrinter(this.showsProgress, (p: SwwProgress) =>
      `sww01: ${p.source === 'musan' ? 'MUSAN' : 'Speech Commands'}: ${p.membersRead} files read, ${p.clipsFound} of ${p.clipsWanted} clips found`)
    const result = await prepareSww({
      benchmark: sww01,
      sources: {
        speechCommands: flags['speech-commands'] ?? (await this.cachedSource(speechCommands, speechCommands.files[0]!.name, flags)),
        musan: flags.musan ?? (await this.cachedSource(musan, musan.files[0]!.name, flags)),
      },
      out: flags.out,
      build: flags.spec ? {spec: flags.spec} : {official: flags.official ?? 'long'},
      verify: flags.verify,
      onProgress: progress.update,
    }).finally(progress.done)
    if (!this.jsonEnabled()) this.log(describeSwwResult(result))
    return snakeCaseKeys(result)
  }
}
