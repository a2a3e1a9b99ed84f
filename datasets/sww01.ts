import {musan} from './musan.js'
import {speechCommands} from './speech-commands.js'
import type {SwwBenchmark, SwwRunnerFile} from './types.js'
import {SWW_TRUTH_FORMAT} from '../src/formats/sww-truth.js'

/**
 * sww01, streaming wake word: what the MLCommons runner plays and scores (stimuli.md §0.3). The truth JSONs and WAVs
 * are committed in mlcommons/tiny; they are fetched from this commit and pinned by the git blob ids the repository
 * shows for them. The speech and noise archives the WAVs are built from are speech-commands.ts and musan.ts.
 */
const COMMIT = '1afd2c9820f795965a6134facd0b4dfae41ef23f'
const RUNNER_URL = `https://raw.githubusercontent.com/mlcommons/tiny/${COMMIT}/benchmark/runner`

function runnerFile(repositoryPath: string, facts: {name?: string; size: number; gitBlob: string; format: 'wav' | 'json'}): SwwRunnerFile {
  const runnerName = repositoryPath.split('/').pop()!
  return {name: facts.name ?? runnerName, runnerName, repositoryPath, url: `${RUNNER_URL}/${repositoryPath}`, size: facts.size, gitBlob: facts.gitBlob, format: facts.format}
}

// Sizes: the JSONs' and short_wav_easy10s.wav's are those of the committed files; med_wav_2m_8p.wav's and
// long_wav.wav's follow from their length (120 s and 1200 s of 16 kHz 16-bit stereo after a 44-byte header).
const runnerFiles: readonly SwwRunnerFile[] = [
  runnerFile('sww_data_dir/sww_long_test.json', {size: 3284, gitBlob: '442afb12b2b1d151faa68e282f702b87d0d0c131', format: 'json'}),
  runnerFile('sww_data_dir/sww_med_test.json', {size: 631, gitBlob: '45a0190d118a32934acf301d70798913f62b0341', format: 'json'}),
  runnerFile('sww_data_dir/sww_short_test.json', {size: 216, gitBlob: 'ba8e51016fe544a81c9d43f8457268fb2ced9de8', format: 'json'}),
  runnerFile('sww_data_dir/short_wav_easy10s.wav', {size: 640_044, gitBlob: 'ae40e12b1f6a39da77ecbcf62245b669dd04029b', format: 'wav'}),
  runnerFile('sww_data_dir/med_wav_2m_8p.wav', {size: 7_680_044, gitBlob: '2344acac631cef86412931cf17c8cc1b0bbc32dd', format: 'wav'}),
  // The two long_wav.wav differ; which one v1.3 submitters played is not documented. Distinct names in the cache.
  runnerFile('sd_card/long_wav.wav', {name: 'sd_card_long_wav.wav', size: 76_800_044, gitBlob: 'fd8889773de045cf05e9d1f9921354aac121cd80', format: 'wav'}),
  runnerFile('sww_data_dir/long_wav.wav', {name: 'sww_data_dir_long_wav.wav', size: 76_800_044, gitBlob: '8af6a23b74e080826eacc84c766e5fc121520a4e', format: 'wav'}),
]

export const sww01: SwwBenchmark = {
  id: 'sww01',
  runnerSource: {
    id: 'mlcommons_tiny_sww01_runner',
    title: 'MLCommons Tiny sww01 runner files (truth JSONs and test WAVs)',
    homepage: 'https://github.com/mlcommons/tiny/tree/master/benchmark/runner',
    license: 'Apache-2.0 (mlcommons/tiny); the audio derives from Speech Commands v0.02 and MUSAN (CC BY 4.0)',
    citation: 'MLCommons Tiny, benchmark/runner (sww_data_dir, sd_card)',
    files: runnerFiles,
  },
  runnerFiles,
  truthFormat: SWW_TRUTH_FORMAT,
  boardWav: {sampleRate: 16_000, channels: 2, bitsPerSample: 16, identicalChannels: true},
  build: {
    sources: {speechCommands, musan},
    placeholders: {speechCommands: '{speech_commands_path}', musan: '{musan_path}'},
    musanRoot: 'musan',
    // mlcommons/tiny benchmark/training/streaming_wakeword/*_spec.json and the runner's truth file names.
    official: {
      short: {
        spec: 'manifests/sww01/specs/short_wav_easy10s_spec.json',
        wavFile: 'short_wav_easy10s.wav',
        truthFile: 'sww_short_test.json',
        publishedBlobIds: publishedBlobIds('short_wav_easy10s.wav'),
      },
      long: {
        spec: 'manifests/sww01/specs/long_wav_spec.json',
        wavFile: 'long_wav.wav',
        truthFile: 'sww_long_test.json',
        // runner/sd_card/long_wav.wav and runner/sww_data_dir/long_wav.wav differ; either counts as published.
        publishedBlobIds: publishedBlobIds('long_wav.wav'),
      },
    },
    badWakewords: 'manifests/sww01/specs/bad_marvin_files.txt',
    // build_long_wav.py: 16 kHz throughout, --rel_thresh 0.05.
    recipe: {sampleRate: 16000, relativeThreshold: 0.05},
  },
}

/** The git blob ids of the published files the runner knows by this name. */
function publishedBlobIds(runnerName: string): string[] {
  return runnerFiles.filter((file) => file.runnerName === runnerName).map((file) => file.gitBlob)
}
