/**
 * Outputs a model should not print (issue 16 item 5): NaN or infinite values, more outputs than classes, and an
 * inference with several `m-results` lines. They are scored as before, but each kind is counted in a warning, which
 * the text output and --json both show.
 */

import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'

import {scoreResultPath} from '../../src/scoring/index.js'
import {folderWith, runScore} from './helpers.js'

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/logs/er-vww-tiny')
const LOG = readFileSync(path.join(FIXTURE, 'accuracy/log.txt'), 'utf8')
const LABELS = readFileSync(path.join(FIXTURE, 'y_labels.csv'), 'utf8')

/** The fixture with some m-results lines rewritten (a payload may hold a line feed: a second line). */
function folderWithResults(replacements: Record<string, string>): string {
  let log = LOG
  for (const [from, to] of Object.entries(replacements)) log = log.replace(`m-results-[${from}]`, `m-results-[${to}]`)
  return folderWith({'accuracy/log.txt': log, 'y_labels.csv': LABELS})
}

afterEach(() => {
  process.exitCode = undefined
})

describe('suspect outputs are scored, counted and said', () => {
  it('the fixture itself has no such warning', async () => {
    const folder = folderWithResults({})
    const result = await scoreResultPath(`${folder}/accuracy`, {labels: `${folder}/y_labels.csv`})
    expect(result.printed.auc).toBe('0.78')
    expect(result.warnings).toEqual([])
  })

  it('an m-results line repeated inside one inference: the last is scored, and it is said', async () => {
    const repeated = folderWithResults({'0.102,0.898': '0.102,0.898]\n220851.311 dut: m-results-[0.498,0.502'})
    const lastOnly = folderWithResults({'0.102,0.898': '0.498,0.502'})
    const [result, expected] = await Promise.all([repeated, lastOnly].map((folder) =>
      scoreResultPath(`${folder}/accuracy`, {labels: `${folder}/y_labels.csv`})))
    expect(result.printed.auc).toBe(expected.printed.auc)
    expect(result.printed.auc).not.toBe('0.78')
    expect(result.warnings).toEqual(['1 inference(s) printed m-results more than once: only the last of each is scored'])
  })

  it('NaN and infinite outputs, and more outputs than classes, in the text output and in --json', async () => {
    const folder = folderWithResults({'0.102,0.898': 'nan,0.898', '0.613,0.387': '0.613,inf', '0.930,0.070': '0.9,0.05,0.05'})
    const args = [`${folder}/accuracy`, '--labels', `${folder}/y_labels.csv`]
    const expected = [
      '2 stimuli have NaN or infinite outputs: 000000343218.bin, 000000332570.bin',
      '1 stimuli have more outputs than the 2 classes of y_labels.csv: 000000570169.bin',
    ]
    const text = await runScore(args)
    expect(text.error).toBeNull()
    // oclif wraps warnings to the terminal width (anywhere, paths included) and styles them
    const squeezed = (text: string) => text.replaceAll(/\x1b\[[0-9;]*m/g, '').replaceAll(/[\s›]+/g, '')
    for (const warning of expected) expect(squeezed(text.stderr)).toContain(squeezed(`Warning: ${folder}/accuracy: ${warning}`))
    const json = await runScore([...args, '--json'])
    expect(json.error).toBeNull()
    expect(JSON.parse(json.stdout).warnings).toEqual(expected)
  })
})
