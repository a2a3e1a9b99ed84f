import {Args, Flags} from '@oclif/core'

import {TinydataCommand} from '../src/cli/base-command.js'
import {progressPrinter} from '../src/cli/progress.js'
import {inferFolder, inferResultToJson, type InferResultJson} from '../src/inference/infer.js'
import {scoreReportLines} from '../src/scoring/index.js'

export default class Infer extends TinydataCommand {
  static override summary = 'Golden run: the reference int8 model on the host over every stimulus of a runner folder'

  static override description = 'Runs a TFLite int8 model (default: the reference model of the folder\'s benchmark) on'
    + ' every stimulus y_labels.csv lists, converting each as the reference firmware does (kws bytes as int8, images'
    + ' minus 128, ad01 as 196 windows quantised with the model\'s input scale and zero point, scored by their mean'
    + ' squared reconstruction error). The outputs are written as an EnergyRunner accuracy log, which is then scored'
    + ' like a device log; compare a device with it by `tinydata score <device log> --against <golden log>`.'

  static override args = {
    dir: Args.string({description: 'a runner datasets folder holding y_labels.csv (for example datasets/kws01)', required: true}),
  }

  static override flags = {
    model: Flags.string({description: 'a .tflite int8 model instead of the reference model', helpValue: 'FILE'}),
    log: Flags.string({description: 'where to write the log (default: <benchmark>-golden_log.txt beside the runner folder, e.g. datasets/kws01-golden_log.txt)', helpValue: 'FILE'}),
  }

  static override examples = [
    '<%= config.bin %> <%= command.id %> datasets/kws01',
    '<%= config.bin %> <%= command.id %> datasets/ad01 --log golden/ad01_log.txt --json',
    '<%= config.bin %> <%= command.id %> datasets/ic01 --model my_resnet_int8.tflite',
  ]

  async run(): Promise<InferResultJson> {
    const {args, flags} = await this.parse(Infer)
    const progress = progressPrinter(this.showsProgress, ({done, total}: {done: number; total: number}) => `infer: ${done}/${total} stimuli`)
    const result = await inferFolder(args.dir, {
      model: flags.model, log: flags.log, onProgress: (done, total) => progress.update({done, total}),
    }).finally(() => progress.done())
    if (!this.jsonEnabled()) {
      this.log(`${result.benchmark}: ${result.model} on ${result.stimuli} stimuli (${result.inferences} inferences,`
        + ` ${Math.round(result.inferencesPerSecond)} inferences/s); log: ${result.log}`)
      for (const line of scoreReportLines(result.score)) this.log(line)
      for (const warning of result.score.warnings) this.warn(`${result.log}: ${warning}`)
    }
    return inferResultToJson(result)
  }
}
