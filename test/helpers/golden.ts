import {copyFile, mkdir, mkdtemp, readdir, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {existsSync} from 'node:fs'

import {tfliteRuntimeAvailable} from '../../src/inference/runtime.js'
import {REPO_ROOT, SHARED} from './archives.js'

/** Official stimuli of each benchmark in ../shared/fixtures, and the official list that names them. */
export const FIXTURE_SETS = {
  kws01: {bins: join(SHARED, 'fixtures/kws01/mfcc'), list: 'kws01.csv'},
  vww01: {bins: join(SHARED, 'fixtures/vww01/official'), list: 'vww01.csv'},
  ic01: {bins: join(SHARED, 'fixtures/ic01_v0.5/official'), list: 'ic01_v0.5.csv'},
  ad01: {bins: join(SHARED, 'fixtures/ad01/official'), list: 'ad01.csv'},
} as const

export type FixtureBenchmark = keyof typeof FIXTURE_SETS

export const HAS_GOLDEN_FIXTURES = Object.values(FIXTURE_SETS).every((set) => existsSync(set.bins))

/**
 * Whether the golden-run parity suites (the published figures through `infer`) run. With the fixtures present they
 * need the optional tfjs-tflite-node: where it does not load they fail, unless TINYDATA_SKIP_INFER=1 says to skip
 * them, so that a failed native build cannot pass unnoticed.
 */
export const RUNS_GOLDEN_PARITY = HAS_GOLDEN_FIXTURES && !(process.env.TINYDATA_SKIP_INFER === '1' && !tfliteRuntimeAvailable())

/** Throws where the runtime the golden-run parity suites need does not load. */
export function requireTfliteRuntime(): void {
  if (!tfliteRuntimeAvailable()) {
    throw new Error('tfjs-tflite-node does not load (npm ci builds it with node-gyp; see the README\'s infer section), so the golden-run parity cannot be checked; TINYDATA_SKIP_INFER=1 skips these tests')
  }
}

/** The v0.5 reference device runs (NUCLEO-L4R5ZI) of kws, vww and ic: the published 90.1 %, 85.4 %, 86.5 %. */
export const REFERENCE_DEVICE_LOGS = join(SHARED, 'fixtures/logs/tiny_results_v0.5/closed/reference/results/Nucleo-L4R5ZI')

/**
 * A runner folder `<tmp>/<benchmark>/` holding the fixture stimuli and the rows of the official y_labels list that
 * name them, in the list's order.
 */
export async function fixtureRunnerFolder(benchmark: FixtureBenchmark): Promise<string> {
  const {bins, list} = FIXTURE_SETS[benchmark]
  const dir = join(await mkdtemp(join(tmpdir(), 'tinydata-fixture-')), benchmark)
  await mkdir(dir)
  const names = new Set((await readdir(bins)).filter((name) => name.endsWith('.bin')))
  const rows = (await readFile(join(REPO_ROOT, 'manifests/labels', list), 'utf8'))
    .split('\n')
    .filter((row) => names.has(row.split(',')[0]))
  for (const row of rows) await copyFile(join(bins, row.split(',')[0]), join(dir, row.split(',')[0]))
  await writeFile(join(dir, 'y_labels.csv'), rows.map((row) => `${row}\n`).join(''))
  return dir
}

export interface RecordedPrediction {
  benchmark: string
  file: string
  prediction: number | null
  score: number | null
}

/** test/fixtures/golden/host-predictions.tsv (see its README). */
export async function recordedHostPredictions(benchmark: FixtureBenchmark): Promise<RecordedPrediction[]> {
  const text = await readFile(join(REPO_ROOT, 'test/fixtures/golden/host-predictions.tsv'), 'utf8')
  return text.trim().split('\n').slice(1).map((line) => line.split('\t')).filter(([id]) => id === benchmark)
    .map(([id, file, prediction, score]) => ({
      benchmark: id, file, prediction: prediction === '' ? null : Number(prediction), score: score === '' ? null : Number(score),
    }))
}
