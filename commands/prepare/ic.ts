import {Flags} from '@oclif/core'

import {ic01} from '../../datasets/ic01.js'
import {TinydataCommand} from '../../src/cli/base-command.js'
import {formatFlag, modelFlag, modelInputForFormat} from '../../src/cli/stimulus-format.js'
import {cacheFlags, cachedSourceFile} from '../../src/cli/cached-source.js'
import {describeIcResult} from '../../src/cli/prepare-report.js'
import {prepareIc, type PrepareIcResult} from '../../src/prepare/ic.js'
import {IC_LISTS, IC_SUBSETS, type IcList, type IcSubset} from '../../datasets/types.js'

export default class PrepareIc extends TinydataCommand {
  static override summary = 'Make the ic01 stimuli (uint8 32×32×3 RGB) from the CIFAR-10 binary archive'
  static override description = `Reads ${ic01.testBatchMember} from the CIFAR-10 binary archive (${ic01.archive.name}) as a stream, or from the folder it was extracted to, and writes <out>/ic01/: y_labels.csv, one .bin per stimulus (the test image's planes interleaved to HWC) and manifest.arrow. The official images are picked by their index into the test batch, from the pinned v0.7 (balanced, current) or v0.5 list.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --source cifar-10-binary.tar.gz --out datasets',
    '<%= config.bin %> <%= command.id %> --source cifar-10-binary.tar.gz --out datasets --list v0.5',
    '<%= config.bin %> <%= command.id %> --source ./cifar-10-batches-bin --subset test --json',
  ]

  static override flags = {
    source: Flags.string({description: 'the CIFAR-10 binary archive (tar.gz or tar) or the folder it was extracted to; default: the download cache (fetched if missing, see tinydata download)'}),
    ...cacheFlags,
    ...formatFlag,
    ...modelFlag,
    out: Flags.string({description: "the runner's datasets folder; stimuli go to <out>/ic01/", default: 'stimuli'}),
    list: Flags.string({description: 'official list: v0.7 (balanced, 20 per class; current) or v0.5 (the first list)', options: [...IC_LISTS], default: ic01.defaultList}),
    subset: Flags.string({description: 'official: the 200 images of the list; test: all 10,000 test images (test_NNNNN_<class>_<label>.bin)', options: [...IC_SUBSETS], default: 'official'}),
    verify: Flags.boolean({description: "check the archive's sha256 against the pinned one (--no-verify skips it)", default: true, allowNo: true}),
  }

  async run(): Promise<PrepareIcResult> {
    const {flags} = await this.parse(PrepareIc)
    const source = flags.source ?? (await cachedSourceFile(ic01.source, ic01.archive.name, {...flags, showProgress: this.showsProgress}))
    const result = await prepareIc({
      modelInput: await modelInputForFormat('ic01', flags.format, flags.model),
      benchmark: ic01,
      source,
      out: flags.out,
      list: flags.list as IcList,
      subset: flags.subset as IcSubset,
      verify: flags.verify,
    })
    if (!this.jsonEnabled()) this.log(describeIcResult(result))
    return result
  }
}
