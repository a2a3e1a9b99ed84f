/**
 * How the sww01 test WAVs are built (stimuli.md §5.1-5.2): the two sources, the pinned official specs and lists, and
 * build_long_wav.py's parameters. To be merged with the sww01 definition (datasets/sww01.ts); its type moves to
 * datasets/types.ts then.
 */
import {musan} from './musan.js'
import {speechCommands} from './speech-commands.js'
import type {SourceDataset} from './types.js'

/** One official build: its spec and the names the runner knows its WAV and truth JSON by (runner/sww_data_dir/). */
export interface SwwOfficialBuild {
  spec: string
  wavFile: string
  truthFile: string
  /** Git blob ids of the published WAVs of this build (stimuli.md §0.3): what the result is compared with. */
  publishedBlobIds: readonly string[]
}

export interface SwwBuildDefinition {
  id: 'sww01'
  /** The spec placeholders and the data set each one stands for. */
  sources: {speechCommands: SourceDataset; musan: SourceDataset}
  placeholders: {speechCommands: string; musan: string}
  /** The folder MUSAN's tar holds everything under (`musan/music/…`); an extracted copy may lack it. */
  musanRoot: string
  official: {short: SwwOfficialBuild; long: SwwOfficialBuild}
  /** Speech Commands clips the reference refuses as wakewords (build_long_wav_def.py): a user spec is warned. */
  badWakewords: string
  recipe: {sampleRate: number; relativeThreshold: number}
}

export type SwwOfficialName = keyof SwwBuildDefinition['official']
export const SWW_OFFICIAL_NAMES: readonly SwwOfficialName[] = ['short', 'long']

export const sww01Build: SwwBuildDefinition = {
  id: 'sww01',
  sources: {speechCommands, musan},
  placeholders: {speechCommands: '{speech_commands_path}', musan: '{musan_path}'},
  musanRoot: 'musan',
  // mlcommons/tiny benchmark/training/streaming_wakeword/*_spec.json and the runner's truth file names.
  official: {
    short: {
      spec: 'manifests/sww01/specs/short_wav_easy10s_spec.json',
      wavFile: 'short_wav_easy10s.wav',
      truthFile: 'sww_short_test.json',
      publishedBlobIds: ['ae40e12b1f6a39da77ecbcf62245b669dd04029b'],
    },
    long: {
      spec: 'manifests/sww01/specs/long_wav_spec.json',
      wavFile: 'long_wav.wav',
      truthFile: 'sww_long_test.json',
      // runner/sd_card/long_wav.wav and runner/sww_data_dir/long_wav.wav differ; either counts as published.
      publishedBlobIds: ['fd8889773de045cf05e9d1f9921354aac121cd80', '8af6a23b74e080826eacc84c766e5fc121520a4e'],
    },
  },
  badWakewords: 'manifests/sww01/specs/bad_marvin_files.txt',
  // build_long_wav.py: 16 kHz throughout, --rel_thresh 0.05.
  recipe: {sampleRate: 16000, relativeThreshold: 0.05},
}
