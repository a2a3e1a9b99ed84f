/** Benchmark of `tinydata score`: every published result folder of ../shared/fixtures/logs/expected.tsv. */

import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {gunzipSync} from 'node:zlib'

// The built library, as users run it (`npm run bench` builds first).
import {PACKAGE_ROOT} from '../dist/src/package-files.js'
import {scoreResultPath} from '../dist/src/scoring/index.js'

const SHARED = resolve(PACKAGE_ROOT, '../shared')
const LOGS = join(SHARED, 'fixtures/logs')
const EXPECTED_TSV = join(LOGS, 'expected.tsv')

/**
 * Scores the 343 folders one after the other, and as a baseline measured in the same run only reads (and gunzips)
 * their files; when ../shared is absent, says so in `name` and scores nothing.
 */
export async function benchScore(): Promise<{name: string; seconds: number; readOnlySeconds: number; folders: number}> {
  if (!existsSync(EXPECTED_TSV)) return {name: `score (skipped: ${EXPECTED_TSV} is absent)`, seconds: 0, readOnlySeconds: 0, folders: 0}
  const rows = readFileSync(EXPECTED_TSV, 'utf8').trimEnd().split('\n').slice(1).map((line) => line.split('\t'))
  const readStart = performance.now()
  for (const [, dir] of rows) {
    for (const file of readdirSync(join(LOGS, dir!))) {
      const bytes = readFileSync(join(LOGS, dir!, file))
      if (file.endsWith('.gz')) gunzipSync(bytes)
    }
  }
  const readOnlySeconds = (performance.now() - readStart) / 1000
  const start = performance.now()
  for (const [, dir, , , , , , , labels] of rows) {
    await scoreResultPath(join(LOGS, dir), labels ? {labels: join(SHARED, 'labels', labels)} : {})
  }
  return {name: 'score: every published result folder', seconds: (performance.now() - start) / 1000, readOnlySeconds, folders: rows.length}
}
