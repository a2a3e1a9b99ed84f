import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {tfliteRuntimeAvailable} from '../../src/inference/runtime.js'
import {scoreResultPath} from '../../src/scoring/index.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata, tinydataWithEnv} from '../helpers/cli.js'
import {fixtureRunnerFolder, recordedHostPredictions, REFERENCE_DEVICE_LOGS, requireTfliteRuntime, RUNS_GOLDEN_PARITY} from '../helpers/golden.js'

const HAS_RUNTIME = tfliteRuntimeAvailable()

describe.skipIf(!HAS_BUILT_CLI || !RUNS_GOLDEN_PARITY)('tinydata infer on the official stimuli', () => {
  it('ad01, all 248 official stimuli: the reference\'s published Top-1 77.4 % and AUC 0.86, and the recorded scores', async () => {
    requireTfliteRuntime()
    const dir = await fixtureRunnerFolder('ad01')
    const log = join(dir, '..', 'ad01_golden_log.txt')
    const run = await tinydata('infer', dir, '--log', log, '--json')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({benchmark: 'ad01', stimuli: 248, inferences: 248 * 196, log})
    expect(json.score).toMatchObject({files_scored: 248, files_expected: 248, coverage_complete: true, printed: {top1: '77.4', auc: '0.86'}})

    const scored = await scoreResultPath(log)
    const recorded = await recordedHostPredictions('ad01')
    expect(scored.predictions.map((p) => [p.file, Number(p.output[0].toFixed(6))])).toEqual(recorded.map((r) => [r.file, r.score]))
  }, 300_000)

  it('kws01 in text mode, then score --against the reference device log', async () => {
    requireTfliteRuntime()
    const dir = await fixtureRunnerFolder('kws01')
    const log = join(dir, '..', 'kws01_golden_log.txt')
    const run = await tinydata('infer', dir, '--log', log)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^kws01: .*kws_ref_model\.tflite on 107 stimuli \(107 inferences, \d+ inferences\/s\); log: /)
    expect(run.stdout).toContain('Top-1')

    const against = await tinydata('score', join(REFERENCE_DEVICE_LOGS, 'kws', 'accuracy'), '--against', log, '--json')
    expect(against.code).toBe(0)
    const json = JSON.parse(against.stdout)
    expect(json).toMatchObject({compared: 107, agreeing: 107, agreement: 100, disagreements: []})
    expect(json.only_in_device).toHaveLength(893)

    // --report and --predictions describe the device's run, the report with the comparison.
    const report = join(dir, '..', 'kws-against.html')
    const predictions = join(dir, '..', 'kws-device.csv')
    const written = await tinydata('score', join(REFERENCE_DEVICE_LOGS, 'kws', 'accuracy'), '--against', log, '--report', report, '--predictions', predictions)
    expect(written.code, written.stderr).toBe(0)
    expect(await readFile(report, 'utf8')).toContain('<h3>Against the golden run (0 disagreements)</h3>')
    expect((await readFile(predictions, 'utf8')).trim().split('\n')).toHaveLength(1001)
  }, 120_000)
})

describe.skipIf(!HAS_BUILT_CLI || !HAS_RUNTIME)('tinydata infer on the bundled sample (the README\'s quick start)', () => {
  // The v0.5 reference device (NUCLEO-L4R5ZI) gets 29 of these 30 official stimuli right too: 96.7 %.
  it('the demo\'s mfcc folder: 30 stimuli, Top-1 96.7 %', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tinydata-infer-demo-'))
    expect((await tinydata('demo', '--out', dir, '--json')).code).toBe(0)
    const log = join(dir, 'kws01-golden_log.txt')
    const run = await tinydata('infer', join(dir, 'mfcc/kws01'), '--log', log, '--json')
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({stimuli: 30, score: {files_scored: 30, printed: {top1: '96.7'}}})
  }, 120_000)
})

describe.skipIf(!HAS_BUILT_CLI)('tinydata infer and score --against: bad input', () => {
  it('says how to install tfjs-tflite-node where it is missing, and writes no log', async () => {
    const dir = await syntheticIcFolder()
    // A preloaded script makes require('tfjs-tflite-node') fail in the CLI process, as on a machine without it.
    const hook = join(dir, '..', 'block-tflite.cjs')
    await writeFile(hook, `const Module = require('node:module')
const resolve = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  if (request === 'tfjs-tflite-node') throw new Error("Cannot find module 'tfjs-tflite-node'")
  return resolve.call(this, request, ...rest)
}
`)
    const log = join(dir, '..', 'blocked_log.txt')
    const run = await tinydataWithEnv({NODE_OPTIONS: `--require=${hook}`}, 'infer', dir, '--log', log)
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, 'infer needs the optional package tfjs-tflite-node (npm install tfjs-tflite-node;')
    expect(run.stderr).toContain("Cannot find module 'tfjs-tflite-node'")
    expect(existsSync(log)).toBe(false)
  })

  it('a folder without y_labels.csv, and a log that is not a log, give one-line errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tinydata-infer-cli-'))
    const run = await tinydata('infer', dir, '--log', join(dir, 'x.txt'))
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, 'y_labels.csv: no such file')

    await writeFile(join(dir, 'golden_log.txt'), 'not a log\n')
    await mkdir(join(dir, 'device'))
    await writeFile(join(dir, 'device', 'log.txt'), 'not a log either\n')
    const against = await tinydata('score', join(dir, 'device', 'log.txt'), '--against', join(dir, 'golden_log.txt'))
    expect(against.code).toBe(2)
    expectOneLineError(against.stderr, 'not an EnergyRunner or Python-runner log')
    expect(await readFile(join(dir, 'golden_log.txt'), 'utf8')).toBe('not a log\n')
  })
})

/** A small ic01 runner folder of two grey images: enough for the errors that come before any inference. */
async function syntheticIcFolder(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'tinydata-infer-cli-')), 'ic01')
  await mkdir(dir)
  for (const name of ['a.bin', 'b.bin']) await writeFile(join(dir, name), new Uint8Array(3072).fill(100))
  await writeFile(join(dir, 'y_labels.csv'), 'a.bin,10,0\nb.bin,10,1\n')
  return dir
}
