/** The public API (src/index.ts) and the README's Library section name the same exports. */
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {expect, it} from 'vitest'

import * as tinydata from '../src/index.js'
import {REPO_ROOT} from './helpers/archives.js'

it('every value export of src/index.ts is listed in the README Library table, and nothing else is', async () => {
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('\n## Library\n'), readme.indexOf('\n## Benchmarks\n'))
  const table = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| task') && !line.startsWith('|---'))
  // The first code span of each comma-separated item names an export; type names are in parentheses or follow "types".
  const listed = new Set(table.flatMap((line) => [...line.split('|')[2]!.replace(/\([^)]*\)/g, '').replace(/with the types .*$/, '').matchAll(/`(\w+)`/g)].map((match) => match[1]!)))
  expect([...listed].sort()).toEqual(Object.keys(tinydata).sort())
})
