import {Args, Flags} from '@oclif/core'

import {TinydataCommand} from '../src/cli/base-command.js'
import {MAX_SCALE} from '../src/preview/preview.js'
import {snakeCaseKeys} from '../src/formats/json-case.js'
import {DEFAULT_SHOW_COUNT, showStimuli} from '../src/preview/show.js'

export default class Show extends TinydataCommand {
  static override summary = 'Draw a stimulus file as a PNG, or the first stimuli of a runner folder as a contact sheet'

  static override description = 'The benchmark comes from the file size: ic01 (3072 bytes) and vww01 (27648) are drawn'
    + ' as the image magnified, kws01 (490, int8 MFCC or uint8 LFBE) and ad01 (102400, float32 log-mel) as a heatmap'
    + ' with axes and a colour bar, and kws01 samples (32000) as a waveform. A folder is read through its y_labels.csv:'
    + ' the first --count stimuli, each captioned with its file name and label. The PNG goes to the current folder'
    + ' (<name>.png) unless --out says otherwise, so that a runner folder stays as the runner expects it.'

  static override args = {
    input: Args.string({description: 'a stimulus .bin file, or a runner folder holding y_labels.csv', required: true}),
  }

  static override flags = {
    out: Flags.string({description: 'the PNG to write (default ./<name>.png)', helpValue: 'FILE.png'}),
    count: Flags.integer({description: 'a folder: how many of the listed stimuli to draw', default: DEFAULT_SHOW_COUNT, min: 1}),
    scale: Flags.integer({description: 'magnification of the pixels or spectrogram cells (default by benchmark)', min: 1, max: MAX_SCALE}),
    lfbe: Flags.boolean({description: 'read 490-byte kws01 stimuli as uint8 LFBE (found on its own for official files and tinydata folders)', default: false}),
  }

  static override examples = [
    '<%= config.bin %> <%= command.id %> datasets/ic01/emu_s_002009.bin',
    '<%= config.bin %> <%= command.id %> datasets/kws01 --count 25 --out kws01-sheet.png',
    '<%= config.bin %> <%= command.id %> datasets/ad01/normal_id_01_00000003_hist_librosa.bin --json',
  ]

  async run() {
    const {args, flags} = await this.parse(Show)
    const result = await showStimuli(args.input, {out: flags.out, count: flags.count, scale: flags.scale, lfbe: flags.lfbe})
    const variant = result.variant ? ` ${result.variant}` : ''
    const what = result.listed === undefined
      ? `${result.benchmark}${variant} stimulus`
      : `contact sheet of ${result.stimuli.length} of ${result.listed} ${result.benchmark}${variant} stimuli`
    this.log(`Wrote ${result.out} (${result.width} × ${result.height}): ${what}`)
    return snakeCaseKeys(result)
  }
}
