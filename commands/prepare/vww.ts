import {Flags} from '@oclif/core'

import {vww01} from '../../datasets/vww01.js'
import {TinydataCommand} from '../../src/cli/base-command.js'
import {formatFlag, modelFlag, modelInputForFormat} from '../../src/cli/stimulus-format.js'
import {cacheFlags, cachedSourceFile} from '../../src/cli/cached-source.js'
import {prepareProgressPrinter} from '../../src/cli/progress.js'
import {describeVwwResult} from '../../src/cli/prepare-report.js'
import {prepareVww, type PrepareVwwResult} from '../../src/prepare/vww.js'
import {VWW_SUBSETS, type VwwSubset} from '../../datasets/types.js'

export default class PrepareVww extends TinydataCommand {
  static override summary = 'Make the vww01 stimuli (uint8 96×96×3 RGB) from COCO val2017'
  static override description = `Reads the COCO images (${vww01.images.name}, streamed, or a folder of <12-digit id>.jpg) and writes <out>/vww01/: y_labels.csv, one <id>.bin per stimulus and manifest.arrow. The pixels are scikit-image 0.18's anti-aliased resize exactly as the official files were made (uint8 Gaussian, the original machine's affine parameters, bilinear warp, truncation). --subset all labels every image of the annotations by the Silicon Labs rule (the open-division data set). Needs the optional package sharp.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --source val2017.zip --out datasets',
    '<%= config.bin %> <%= command.id %> --source ./val2017 --allow-missing --no-verify',
    '<%= config.bin %> <%= command.id %> --source val2017.zip --subset all --annotations annotations_trainval2017.zip --json',
  ]

  static override flags = {
    source: Flags.string({description: `COCO image zip (${vww01.images.name}) or a folder of <12-digit id>.jpg; default: the download cache (fetched if missing, see tinydata download)`}),
    annotations: Flags.string({description: `--subset all: ${vww01.annotationsMember}, or ${vww01.annotations.name} or its extracted folder; default: the download cache`}),
    ...cacheFlags,
    ...formatFlag,
    ...modelFlag,
    out: Flags.string({description: "the runner's datasets folder; stimuli go to <out>/vww01/", default: 'stimuli'}),
    subset: Flags.string({description: 'official: the 1000 official images; all: every image the Silicon Labs rule labels (open division)', options: [...VWW_SUBSETS], default: 'official'}),
    'allow-missing': Flags.boolean({description: 'write the images found even if the source lacks some', default: false}),
    verify: Flags.boolean({description: "check the archives' sha256 against the pinned ones (--no-verify skips it)", default: true, allowNo: true}),
    threads: Flags.integer({description: 'threads decoding and resizing (default: one per CPU)', min: 1}),
  }

  async run(): Promise<PrepareVwwResult> {
    const {flags} = await this.parse(PrepareVww)
    const fromCache = (file: {name: string}) => cachedSourceFile(vww01.source, file.name, {...flags, showProgress: this.showsProgress})
    const source = flags.source ?? (await fromCache(vww01.images))
    const annotations = flags.annotations ?? (flags.subset === 'all' ? await fromCache(vww01.annotations) : undefined)
    const progress = prepareProgressPrinter(this.showsProgress, 'vww01')
    const result = await prepareVww({
      modelInput: await modelInputForFormat('vww01', flags.format, flags.model),
      benchmark: vww01,
      source,
      out: flags.out,
      subset: flags.subset as VwwSubset,
      annotations,
      allowMissing: flags['allow-missing'],
      verify: flags.verify,
      threads: flags.threads,
      onProgress: progress.update,
    })
    progress.done()
    if (!this.jsonEnabled()) this.log(describeVwwResult(result))
    return result
  }
}
