/** Joining each inference's output to the stimulus's label by the loaded file name (both runners). */

import type {Inference} from './events.js'
import type {LabelList} from './labels.js'

export interface Stimulus {
  file: string
  label: number
  /** One output vector per inference of this file (an AD file is sent as many windows), in log order. */
  windows: number[][]
}

export interface Join {
  /** Files of the label list that got an output, in the order the log first ran them. */
  stimuli: Stimulus[]
  /** Files that got an output but are not in the label list. */
  unlisted: string[]
  /** Inferences with an output but no loaded file: the log starts in the middle of a run. */
  withoutFile: number
  /** Inferences without a usable `m-results` vector. */
  withoutOutput: number
  /** Inferences that printed `m-results` more than once: only the last is scored. */
  repeatedOutput: number
}

/** An inference's output is its last `m-results` vector. */
export function joinOutputs(inferences: Inference[], labels: LabelList): Join {
  const byFile = new Map<string, Stimulus>()
  const unlisted = new Set<string>()
  let withoutFile = 0
  let withoutOutput = 0
  let repeatedOutput = 0
  for (const inference of inferences) {
    const output = inference.outputs.at(-1)
    if (output === undefined) {
      withoutOutput++
      continue
    }
    if (inference.outputs.length > 1) repeatedOutput++
    if (inference.file === null) {
      withoutFile++
      continue
    }
    const label = labels.classes.get(inference.file)
    if (label === undefined) {
      unlisted.add(inference.file)
      continue
    }
    let stimulus = byFile.get(inference.file)
    if (!stimulus) {
      stimulus = {file: inference.file, label, windows: []}
      byFile.set(inference.file, stimulus)
    }
    stimulus.windows.push(output)
  }
  return {stimuli: [...byFile.values()], unlisted: [...unlisted], withoutFile, withoutOutput, repeatedOutput}
}
