import type {SourceDataset} from './types.js'

/**
 * Speech Commands v0.02 (Warden, 2018), test-set archive: the test split of TFDS `speech_commands` 0.0.2, from which
 * the kws01 stimuli were made. Values from TFDS url_checksums/speech_commands.txt (spec sources.md, stimuli.md §1.1).
 */
export const speechCommandsTest: SourceDataset = {
  id: 'speech_commands_test_v0.02',
  title: 'Speech Commands v0.02, test set',
  homepage: 'https://www.tensorflow.org/datasets/catalog/speech_commands',
  license: 'CC BY 4.0',
  citation: 'Warden, P. (2018). Speech Commands: A Dataset for Limited-Vocabulary Speech Recognition. arXiv:1804.03209',
  files: [
    {
      name: 'speech_commands_test_set_v0.02.tar.gz',
      url: 'http://download.tensorflow.org/data/speech_commands_test_set_v0.02.tar.gz',
      size: 112_563_277,
      sha256: 'cc2a00c1147c2254e9be3fa0f779d8c17421dc349b86366567a8edfa9acd51df',
      format: 'tar.gz',
      // A clip is at most one second of 16 kHz mono 16-bit PCM, 32,044 B with its 44-byte header; LICENSE (395 lines
      // of CC BY 4.0) and README.md are smaller. Twice that, so that a clip a little too long still reaches prepare
      // kws's own check, which says how many samples it has.
      largestMember: 2 * (44 + 16_000 * 2),
    },
  ],
}

/**
 * Speech Commands v0.02, the full archive (every split plus `_background_noise_/`): the speech of the streaming
 * wake-word benchmark (sww01) and the kws01 training data. kws01's stimuli need only the test-set archive above.
 * Values from TFDS url_checksums/speech_commands.txt (spec sources.md).
 */
export const speechCommands: SourceDataset = {
  id: 'speech_commands_v0.02',
  title: 'Speech Commands v0.02, full archive',
  homepage: 'https://www.tensorflow.org/datasets/catalog/speech_commands',
  license: 'CC BY 4.0',
  citation: 'Warden, P. (2018). Speech Commands: A Dataset for Limited-Vocabulary Speech Recognition. arXiv:1804.03209',
  files: [
    {
      name: 'speech_commands_v0.02.tar.gz',
      url: 'http://download.tensorflow.org/data/speech_commands_v0.02.tar.gz',
      size: 2_428_923_189,
      sha256: 'af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58',
      format: 'tar.gz',
      // Besides the one-second clips, _background_noise_/ holds recordings of about one to two minutes (2–4 MB) that a
      // spec may name; not measured member by member here, so 8 MiB (over four minutes of 16 kHz mono) as the bound.
      largestMember: 8 * 1024 * 1024,
    },
  ],
}

/** The ten keyword folders, labels 0–9 in this order (TFDS WORDS; make_bin_files.py word_labels). */
export const SPEECH_COMMANDS_WORDS = ['down', 'go', 'left', 'no', 'off', 'on', 'right', 'stop', 'up', 'yes'] as const
export const SILENCE_FOLDER = '_silence_'
export const UNKNOWN_FOLDER = '_unknown_'
/** Only in the full archive: TFDS cuts it into silence clips for train/validation, never for the test split. */
export const BACKGROUND_NOISE_FOLDER = '_background_noise_'
