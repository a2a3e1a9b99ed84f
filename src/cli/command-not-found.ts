/**
 * oclif's `command_not_found` hook: a mistyped command gets one line naming the nearest command (a data set's name
 * leads to its benchmark: `prepare cifar` → `prepare ic`) and what lists them all, with exit code 2 like every user
 * error; `--json` gets the error document. @oclif/plugin-not-found only suggests on a terminal, by prompting.
 */

import type {Hook} from '@oclif/core'

import {USER_ERROR_EXIT} from './base-command.js'

/** Names users reach for, by the benchmark they mean. */
const BENCHMARK_WORDS: Readonly<Record<string, string>> = {
  cifar: 'ic', cifar10: 'ic', 'cifar-10': 'ic', ic01: 'ic', ic02: 'ic', ic2: 'ic',
  coco: 'vww', person: 'vww', vww01: 'vww',
  speech: 'kws', speechcommands: 'kws', speech_commands: 'kws', 'speech-commands': 'kws', keyword: 'kws', kws01: 'kws',
  toycar: 'ad', toyadmos: 'ad', dcase: 'ad', anomaly: 'ad', ad01: 'ad',
  musan: 'sww', wakeword: 'sww', streaming: 'sww', sww01: 'sww',
}

const hook: Hook.CommandNotFound = async function (options) {
  const ids = options.config.commandIDs.filter((id) => !options.config.findCommand(id)?.hidden)
  const typed = options.id.split(':')
  const topic = typed.length > 1 && options.config.findTopic(typed[0]) ? typed[0] : null
  const suggestion = nearestCommand(options.id, ids)
  const shown = (id: string) => id.replaceAll(':', ' ')
  const listing = topic
    ? `${options.config.bin} help ${topic} lists ${ids.filter((id) => id.startsWith(`${topic}:`)).map(shown).join(', ')}`
    : `${options.config.bin} help lists the commands`
  const message = `"${shown(options.id)}" is not a ${options.config.bin} command`
    + `${suggestion ? `; did you mean "${options.config.bin} ${shown(suggestion)}"?` : ''} (${listing})`
  if (options.argv?.includes('--json')) {
    process.stdout.write(`${JSON.stringify({error: {code: 'user_error', message}}, null, 2)}\n`)
  } else {
    process.stderr.write(`Error: ${message}\n`)
  }
  process.exit(USER_ERROR_EXIT)
}

export default hook

/** The command a typo most likely meant: a data set's or benchmark's name mapped to its benchmark, else the closest id by edit distance. */
export function nearestCommand(typed: string, ids: readonly string[]): string | null {
  const parts = typed.toLowerCase().split(':')
  const benchmark = BENCHMARK_WORDS[parts.at(-1)!]
  if (benchmark && parts.length > 1 && ids.includes([...parts.slice(0, -1), benchmark].join(':'))) {
    return [...parts.slice(0, -1), benchmark].join(':')
  }
  let best: string | null = null
  let bestDistance = Number.POSITIVE_INFINITY
  for (const id of ids) {
    const distance = editDistance(typed.toLowerCase(), id)
    if (distance < bestDistance) [best, bestDistance] = [id, distance]
  }
  // a guess further than half the word away is noise
  return bestDistance <= Math.max(2, Math.floor(typed.length / 2)) ? best : null
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}
