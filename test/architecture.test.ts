import {execFile} from 'node:child_process'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {promisify} from 'node:util'
import {afterEach, describe, expect, it} from 'vitest'

import {REPO_ROOT} from './helpers/archives.js'

/** The layering rules of issue 13, run as `npm run lint:deps` runs them. */
const CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs')
const DEPCRUISE = join(REPO_ROOT, 'node_modules/.bin/depcruise')

interface Cruise {
  code: number
  output: string
}

async function depcruise(cwd: string, ...args: string[]): Promise<Cruise> {
  try {
    const {stdout} = await promisify(execFile)(DEPCRUISE, ['src', 'commands', 'datasets', '--config', CONFIG, ...args],
      {cwd, maxBuffer: 16 << 20})
    return {code: 0, output: stdout}
  } catch (error) {
    const failed = error as {code: number; stdout: string; stderr: string}
    return {code: failed.code, output: failed.stdout + failed.stderr}
  }
}

/** One module per layer, each importing the layer below it (the report a type only): all allowed. */
const LAYERED_TREE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({compilerOptions: {module: 'NodeNext', moduleResolution: 'NodeNext', strict: true}}),
  'src/errors.ts': 'export class UserError extends Error {}\n',
  'src/audio/wav.ts': "import {UserError} from '../errors.js'\nexport const decodeWav = () => new UserError('x')\n",
  'datasets/kws01.ts': "import {decodeWav} from '../src/audio/wav.js'\nexport const kws01 = {decodeWav}\n",
  'src/scoring/score.ts': "import {kws01} from '../../datasets/kws01.js'\nexport type Score = typeof kws01\n",
  'src/report/html.ts': "import type {Score} from '../scoring/score.js'\nexport const html = (s: Score) => `${s}`\n",
  'src/cli/print.ts': "import {html} from '../report/html.js'\nexport const print = html\n",
  'commands/score.ts': "import {print} from '../src/cli/print.js'\nexport default print\n",
}

describe('the layering check (.dependency-cruiser.cjs)', () => {
  let tree: string | undefined

  afterEach(async () => {
    if (tree) await rm(tree, {recursive: true, force: true})
    tree = undefined
  })

  async function writeTree(files: Record<string, string>): Promise<string> {
    tree = await mkdtemp(join(tmpdir(), 'tinydata-layers-'))
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(tree, path)), {recursive: true})
      await writeFile(join(tree, path), text)
    }
    return tree
  }

  it('passes a tree whose every layer imports only downward', async () => {
    const result = await depcruise(await writeTree(LAYERED_TREE))
    expect(result.output).toContain('no dependency violations found')
    expect(result.code).toBe(0)
  })

  it('fails on an upward import (a type-only one too), a cycle and a folder outside the layers', async () => {
    const result = await depcruise(await writeTree({
      ...LAYERED_TREE,
      'src/cli/help.ts': "import score from '../../commands/score.js'\nexport const help = score\n",
      'src/audio/mel.ts': "import type {Score} from '../scoring/score.js'\nexport const mel = (s: Score) => s\n",
      'src/io/a.ts': "import {b} from './b.js'\nexport const a = () => b\n",
      'src/io/b.ts': "import {a} from './a.js'\nexport const b = () => a\n",
      'src/widgets/button.ts': 'export const button = 1\n',
      'src/report/page.ts': "import {button} from '../widgets/button.js'\nexport const page = button\n",
    }), '--output-type', 'err-long')
    expect(result.output).toContain('error interface-imports-upward: src/cli/help.ts → commands/score.ts')
    expect(result.output).toContain('error kernels-imports-upward: src/audio/mel.ts → src/scoring/score.ts')
    expect(result.output).toMatch(/error no-circular: src\/io\/[ab]\.ts →/)
    expect(result.output).toContain('error not-in-a-layer: src/report/page.ts → src/widgets/button.ts')
    // the exit code counts the errors: exactly the four planted ones
    expect(result.code).toBe(4)
  })
})

interface Violation {
  from: string
  to: string
  rule: {name: string}
  cycle?: {name: string}[]
}

it('finds no layering violation in src/, commands/ and datasets/', async () => {
  const result = await depcruise(REPO_ROOT, '--output-type', 'json')
  const {violations} = (JSON.parse(result.output) as {summary: {violations: Violation[]}}).summary
  const found = violations.map(({from, to, rule, cycle}) => {
    const path = [from, ...(cycle?.map(({name}) => name) ?? [to])]
    return `${rule.name}: ${path.join(' → ')}`
  })
  expect(found).toEqual([])
})
