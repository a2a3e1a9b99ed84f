/** The newcomer's path through the CLI itself: `help <command>`, a mistyped command, a bad flag in --json mode. */

import {describe, expect, it} from 'vitest'

import {nearestCommand} from '../../src/cli/command-not-found.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

if (!HAS_BUILT_CLI) console.log('skipped: the help and typo CLI tests need the built CLI (npm run build)')

describe('nearestCommand', () => {
  const ids = ['check', 'download', 'prepare:ad', 'prepare:ic', 'prepare:kws', 'prepare:sww', 'prepare:vww', 'score', 'verify']

  it('maps a data set\'s name to its benchmark, and a typo to the closest command', () => {
    expect(nearestCommand('prepare:cifar', ids)).toBe('prepare:ic')
    expect(nearestCommand('prepare:coco', ids)).toBe('prepare:vww')
    expect(nearestCommand('prepare:toycar', ids)).toBe('prepare:ad')
    expect(nearestCommand('prepare:kws01', ids)).toBe('prepare:kws')
    expect(nearestCommand('verfy', ids)).toBe('verify')
    expect(nearestCommand('chekc', ids)).toBe('check')
  })

  it('suggests nothing for a word far from every command', () => {
    expect(nearestCommand('xyzzyqq', ids)).toBeNull()
  })
})

describe.skipIf(!HAS_BUILT_CLI)('the CLI', () => {
  it('`help prepare` lists every benchmark (the README documents `tinydata help <command>`)', async () => {
    const run = await tinydata('help', 'prepare')
    expect(run.code, run.stderr).toBe(0)
    for (const benchmark of ['ad', 'ic', 'kws', 'sww', 'vww']) expect(run.stdout).toContain(`prepare ${benchmark}`)
    const score = await tinydata('help', 'score')
    expect(score.code).toBe(0)
    expect(score.stdout).toContain('$ tinydata score PATH...')
  })

  it('a mistyped command: one line with the nearest command, exit code 2', async () => {
    const run = await tinydata('prepare', 'cifar')
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, '"prepare cifar" is not a tinydata command; did you mean "tinydata prepare ic"?'
      + ' (tinydata help prepare lists prepare ad, prepare ic, prepare kws, prepare sww, prepare vww)')
  })

  it('with --json, a bad flag, a bad option value and a missing argument are user errors, exit code 2', async () => {
    for (const [args, message] of [
      [['score', '--bogus'], 'Nonexistent flag: --bogus (tinydata score --help lists the arguments and flags)'],
      [['score', 'x', '--convention', 'xx'], 'Expected --convention=xx to be one of: er, py'],
      [['prepare', 'kws', '--out'], 'Flag --out expects a value'],
      [['check'], 'missing TREE (tinydata check --help lists the arguments and flags)'],
      [['prepare', 'coco'], 'did you mean "tinydata prepare vww"?'],
    ] as const) {
      const run = await tinydata(...args, '--json')
      expect(run.code, args.join(' ')).toBe(2)
      const json = JSON.parse(run.stdout)
      expect(json.error.code).toBe('user_error')
      expect(json.error.message).toContain(message)
      expectMatchesSchema('error', json)
    }
  })

  it('without --json, a bad flag is one line too (not the whole help)', async () => {
    const run = await tinydata('score', '--bogus')
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, 'Nonexistent flag: --bogus')
  })
})
