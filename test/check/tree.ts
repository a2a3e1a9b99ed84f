/** Small submission trees in the official layout, built for the `check` tests from hand-made logs. */

import {cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {REPO_ROOT} from '../helpers/archives.js'
import {pyAccuracyLog} from '../scoring/helpers.js'

const KWS_LABELS = readFileSync(join(REPO_ROOT, 'manifests/labels/kws01.csv'), 'utf8').trim().split('\n')
  .map((line) => line.split(','))
/** A Python-runner five-window kws01 performance run; median 23.032 inf./s (test/fixtures/logs/README.md). */
export const PY_PERFORMANCE = join(REPO_ROOT, 'test/fixtures/logs/py-kws-tiny/performance')
export const KWS_FILES = KWS_LABELS.length
const IC_LABELS = readFileSync(join(REPO_ROOT, 'manifests/labels/ic01.csv'), 'utf8').trim().split('\n')
  .map((line) => line.split(','))

export const SYSTEM_JSON = {
  'Board Name': 'Acme Board',
  Status: 'Available',
  'Processor(s) Name': 'Cortex-M33',
  'Processor(s) Frequencies': '160 MHz',
  'Processor memory type and capacity': '786 KB SRAM',
  Accelerator: 'none',
  'Accelerator(s) Frequencies': 'none',
  'Accelerator memory type and capacity': 'none',
  'Hardware Notes': 'none',
  'Inference Framework': 'TFLite Micro',
  'Software Libraries': 'CMSIS-NN',
  'Software Notes': 'none',
}

/** A Python-runner accuracy log over a whole official list: the first `correct` files right, the rest wrong. */
function accuracyLog(model: string, labels: string[][], classes: number, correct: number): string {
  return pyAccuracyLog(model, labels.map(([file, , label], index) => {
    const predicted = index < correct ? Number(label) : (Number(label) + 1) % classes
    return {file, results: Array.from({length: classes}, (_, cls) => (cls === predicted ? '0.900' : '0.009')).join(', ')}
  }))
}

export function kwsAccuracyLog(correct: number): string {
  return accuracyLog('kws01', KWS_LABELS, 12, correct)
}

/** ic02 (v1.4) runs on ic01's 200 stimuli. */
export function ic02AccuracyLog(correct: number): string {
  return accuracyLog('ic02', IC_LABELS, 10, correct)
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), {recursive: true})
    writeFileSync(join(root, path), content)
  }
}

/**
 * A v1.3 tree that passes: closed/Acme with one system, kws accuracy (950 of 1000 right, Top-1 95.0) and performance
 * (median 23.032), run by the Python runner.
 */
export function validTree(name = 'tiny_results_v1.3'): string {
  const root = join(mkdtempSync(join(tmpdir(), 'tinydata-check-')), name)
  const model = join(root, 'closed/Acme/results/acme_board/kws')
  writeFiles(root, {
    'closed/Acme/systems/acme_board.json': JSON.stringify(SYSTEM_JSON, null, 2),
    'closed/Acme/results/acme_board/kws/accuracy/log.txt': kwsAccuracyLog(950),
    'closed/Acme/results/acme_board/kws/accuracy/results.txt': '0726.005327 ulp-mlperf: Top 1% = 95.0\n',
    'closed/Acme/results/acme_board/kws/accuracy/results.json': '[]\n',
  })
  cpSync(PY_PERFORMANCE, join(model, 'performance'), {recursive: true})
  return root
}
