/**
 * Which split of TFDS `speech_commands` a member of the main Speech Commands archive belongs to, and the examples it
 * gives there (tensorflow_datasets/audio/speech_commands.py, facts in datasets/training.ts):
 * - validation: the clips of validation_list.txt, plus `_background_noise_/running_tap.wav`;
 * - train: every other `.wav` of the archive not in testing_list.txt (the test split is the separate test archive);
 * - a clip is labelled by its folder: the ten words 0–9, `_background_noise_` and `_silence_` silence (10), any other
 *   folder unknown (11); a background clip is cut into one-second windows every half second, one example each.
 */
import {posix} from 'node:path'

import {SPEECH_COMMANDS_SPLITS} from '../../datasets/training.js'
import {BACKGROUND_NOISE_FOLDER, SILENCE_FOLDER, SPEECH_COMMANDS_WORDS} from '../../datasets/speech-commands.js'

const SILENCE_LABEL = 10
const UNKNOWN_LABEL = 11

export interface SpeechCommandsLists {
  validation: ReadonlySet<string>
  testing: ReadonlySet<string>
}

/** A list file's paths, as TFDS reads them: the text stripped, one path a line. */
function parseSpeechCommandsList(text: string): string[] {
  const stripped = text.trim()
  return stripped === '' ? [] : stripped.split(/\r?\n/)
}

export function speechCommandsLists(validationText: string, testingText: string): SpeechCommandsLists {
  return {
    validation: new Set([...parseSpeechCommandsList(validationText), SPEECH_COMMANDS_SPLITS.validationNoise]),
    testing: new Set(parseSpeechCommandsList(testingText)),
  }
}

/** The split of an archive member (`<folder>/<name>.wav`); undefined for anything but a clip. */
export function speechCommandsSplitOf(path: string, lists: SpeechCommandsLists): 'train' | 'validation' | 'test' | undefined {
  if (!path.endsWith('.wav')) return undefined
  if (lists.validation.has(path)) return 'validation'
  if (lists.testing.has(path)) return 'test'
  return 'train'
}

/** The label of a clip in `folder`, as TFDS gives it. */
export function speechCommandsLabel(folder: string): number {
  const word = (SPEECH_COMMANDS_WORDS as readonly string[]).indexOf(folder)
  if (word >= 0) return word
  return folder === SILENCE_FOLDER || folder === BACKGROUND_NOISE_FOLDER ? SILENCE_LABEL : UNKNOWN_LABEL
}

/** TFDS's key of a clip, `<folder>_<name>` (name with its `.wav`); a window adds `_<start>`. */
export function speechCommandsKey(path: string, windowStart?: number): string {
  const key = `${posix.basename(posix.dirname(path))}_${posix.basename(path)}`
  return windowStart === undefined ? key : `${key}_${windowStart}`
}

/** Where the one-second windows of a background clip of `samples` samples start: 0, 8000, … while < samples − 16000. */
export function silenceWindowStarts(samples: number): number[] {
  const starts: number[] = []
  for (let start = 0; start < samples - SPEECH_COMMANDS_SPLITS.silenceWindow; start += SPEECH_COMMANDS_SPLITS.silenceHop) starts.push(start)
  return starts
}

export function isBackgroundNoise(path: string): boolean {
  return posix.basename(posix.dirname(path)) === BACKGROUND_NOISE_FOLDER
}
