import {Flags} from '@oclif/core'

import {kws01} from '../../datasets/kws01.js'
import {TinydataCommand} from '../../src/cli/base-command.js'
import {formatFlag, modelInputForFormat} from '../../src/cli/stimulus-format.js'
import {cacheFlags, cachedSourceFile} from '../../src/cli/cached-source.js'
import {prepareKws, type PrepareKwsResult} from '../../src/prepare/kws.js'
import {KWS_VARIANTS} from '../../datasets/types.js'
import {prepareProgressPrinter} from '../../src/cli/progress.js'
import {describeKwsResult} from '../../src/cli/prepare-report.js'

export default class PrepareKws extends TinydataCommand {
  static override summary = 'Make the kws01 stimuli (int8 MFCC, or the kws01-open lfbe / td_samples) from Speech Commands'
  static override description = `Reads the Speech Commands v0.02 test-set archive (${kws01.source.files[0]!.name}) as a stream, or the folder it was extracted to, and writes <out>/kws01/: y_labels.csv, one .bin per stimulus and manifest.arrow. The official subset is the 1000 official clips, found by the sha256 of their samples; the float32 arithmetic of TensorFlow is emulated so that the bytes equal the official ones.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --source speech_commands_test_set_v0.02.tar.gz --out datasets',
    '<%= config.bin %> <%= command.id %> --source speech_commands_test_set_v0.02.tar.gz --out datasets --variant lfbe',
    '<%= config.bin %> <%= command.id %> --source ./speech_commands_test --subset test --no-verify --json',
  ]

  static override flags = {
    source: Flags.string({description: 'Speech Commands test-set archive (tar.gz or tar) or the folder it was extracted to; default: the download cache (fetched if missing, see tinydata download)'}),
    ...cacheFlags,
    ...formatFlag,
    out: Flags.string({description: "the runner's datasets folder; stimuli go to <out>/kws01/", default: 'stimuli'}),
    variant: Flags.string({description: 'feature variant: mfcc (kws01), lfbe or td_samples (kws01-open)', options: [...KWS_VARIANTS], default: 'mfcc'}),
    subset: Flags.string({description: 'official: the 1000 official stimuli; test: every clip of the test split', options: ['official', 'test'], default: 'official'}),
    precision: Flags.string({description: "exact: TensorFlow's float32 arithmetic (official bytes); float64: a double-precision cross-check, a few values off by one", options: ['exact', 'float64'], default: 'exact'}),
    verify: Flags.boolean({description: "check the archive's sha256 against the pinned one (--no-verify skips it)", default: true, allowNo: true}),
    'allow-missing': Flags.boolean({description: 'write the official stimuli found even if the source lacks some', default: false}),
    model: Flags.string({description: "take the input scale and zero point from this .tflite model's input tensor"}),
    threads: Flags.integer({description: 'threads computing stimuli (default: one per CPU)', min: 1}),
  }

  async run(): Promise<PrepareKwsResult> {
    const {flags} = await this.parse(PrepareKws)
    const archive = kws01.source.files[0]!.name
    const source = flags.source ?? (await cachedSourceFile(kws01.source, archive, {...flags, showProgress: this.showsProgress}))
    const progress = prepareProgressPrinter(this.showsProgress, 'kws01')
    const result = await prepareKws({
      modelInput: await modelInputForFormat('kws01', flags.format, flags.model),
      benchmark: kws01,
      source,
      out: flags.out,
      variant: flags.variant as (typeof KWS_VARIANTS)[number],
      subset: flags.subset as 'official' | 'test',
      precision: flags.precision as 'exact' | 'float64',
      verify: flags.verify,
      allowMissing: flags['allow-missing'],
      model: flags.model,
      threads: flags.threads,
      onProgress: progress.update,
    })
    progress.done()
    if (!this.jsonEnabled()) this.log(describeKwsResult(result, kws01.knownParityMisses[result.variant]))
    return result
  }
}
