import {Args, Flags} from '@oclif/core'

import {TinydataCommand} from '../../src/cli/base-command.js'
import {inferSww, swwInferResultToJson, type SwwInferResultJson} from '../../src/inference/sww-golden.js'

export default class InferSww extends TinydataCommand {
  static override summary = 'Golden run of sww01: the reference model over a WAV with the reference DUT\'s front end and detection rule'

  static override description = 'Feeds the left channel of a 16-kHz WAV to the reference int8 model as the reference'
    + ' firmware does: every 512 samples one LFBE frame (pre-emphasis, symmetric Hamming, TF mel, int8 by truncation'
    + ' with wrap) into a 30-frame window, and a detection pulse when the int8 wake-word output is above 115, plus one'
    + ' on the first frame as the t = 0 marker. The pulses are written as the Python runner\'s log.txt, and matched'
    + ' against the WAV\'s truth windows as the runner does (true positives, false negatives, false positives).'

  static override args = {
    wav: Args.string({description: 'a streaming wake word WAV (for example datasets/sww01/long_wav.wav)', required: true}),
  }

  static override flags = {
    truth: Flags.string({description: 'the truth JSON (default: the JSON beside the WAV whose entry names it)', helpValue: 'FILE'}),
    model: Flags.string({description: 'a .tflite int8 model instead of the reference model', helpValue: 'FILE'}),
    log: Flags.string({description: 'where to write the log (default: sww01-golden_log.txt beside the WAV)', helpValue: 'FILE'}),
  }

  static override examples = [
    '<%= config.bin %> <%= command.id %> datasets/sww01/short_wav_easy10s.wav',
    '<%= config.bin %> <%= command.id %> datasets/sww01/long_wav.wav --log golden/sww01_log.txt --json',
  ]

  async run(): Promise<SwwInferResultJson> {
    const {args, flags} = await this.parse(InferSww)
    const result = await inferSww(args.wav, {truth: flags.truth, model: flags.model, log: flags.log})
    if (!this.jsonEnabled()) {
      this.log(`sww01: ${result.model} on ${result.wav} (${result.lengthSeconds} s, ${result.inferences} inferences,`
        + ` ${result.realTimeFactor.toFixed(0)}× real time); log: ${result.log}`)
      this.log(`truth: ${result.truth}`)
      this.log(`Accuracy: ${result.truePositives} True positives, ${result.falseNegatives} False negatives,`
        + ` ${result.falsePositives} False positives (F1 ${result.f1.toFixed(3)})`)
    }
    return swwInferResultToJson(result)
  }
}
