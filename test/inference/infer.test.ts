import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {inferFolder, referenceModelPath} from '../../src/inference/infer.js'
import {tfliteRuntimeAvailable} from '../../src/inference/runtime.js'
import {compareWithGolden} from '../../src/scoring/against.js'
import {scoreResultPath} from '../../src/scoring/index.js'
import {SHARED, skipMessage} from '../helpers/archives.js'
import {
  fixtureRunnerFolder, HAS_GOLDEN_FIXTURES, recordedHostPredictions, REFERENCE_DEVICE_LOGS, requireTfliteRuntime, RUNS_GOLDEN_PARITY,
} from '../helpers/golden.js'
import {noiseBytes} from '../helpers/images.js'

const HAS_RUNTIME = tfliteRuntimeAvailable()
if (!HAS_RUNTIME) console.warn('SKIPPED: infer tests need the optional package tfjs-tflite-node, which is not installed or does not load here')
if (!HAS_GOLDEN_FIXTURES) console.warn(skipMessage('golden-run parity on the official fixture stimuli'))

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tinydata-infer-'))
}

/** An ic01 runner folder of `count` noise images labelled 0, 1, 2, … */
async function syntheticIcFolder(count: number): Promise<{dir: string; images: Uint8Array[]}> {
  const dir = join(await tempDir(), 'ic01')
  await mkdir(dir)
  const images = Array.from({length: count}, (_, index) => noiseBytes(3072, index + 1))
  for (const [index, image] of images.entries()) await writeFile(join(dir, `img_${index}.bin`), image)
  await writeFile(join(dir, 'y_labels.csv'), images.map((_, index) => `img_${index}.bin,10,${index % 10}\n`).join(''))
  return {dir, images}
}

function printedResults(log: string): number[][] {
  return [...log.matchAll(/m-results-\[([^\]]*)\]/g)].map((match) => match[1].split(',').filter(Boolean).map(Number))
}

describe.skipIf(!HAS_RUNTIME)('inferFolder on synthetic stimuli', () => {
  it('feeds the model uint8 − 128 and prints its dequantised outputs, one bload and infer per stimulus', async () => {
    const {dir, images} = await syntheticIcFolder(3)
    const log = join(dir, '..', 'golden_log.txt')
    const result = await inferFolder(dir, {log})
    expect(result).toMatchObject({benchmark: 'ic01', stimuli: 3, inferences: 3, log})
    expect(result.score.filesScored).toBe(3)

    // The same inference straight through the TFLite addon, with the conversion written out here.
    const {TFLiteNodeModelRunner} = createRequire(import.meta.url)('tfjs-tflite-node')
    const model = await readFile(referenceModelPath('ic01'))
    const interpreter = new TFLiteNodeModelRunner(model.buffer.slice(model.byteOffset, model.byteOffset + model.byteLength), {threads: 1})
    const expected = images.map((image) => {
      interpreter.getInputs()[0].data().set(Int8Array.from(image, (byte) => byte - 128))
      interpreter.infer()
      // ResNet's output: int8 with scale 1/256 and zero point −128.
      return Array.from(interpreter.getOutputs()[0].data() as Int8Array, (q) => (q + 128) / 256)
    })
    const printed = printedResults(await readFile(log, 'utf8'))
    expect(printed.map((outputs) => outputs.length)).toEqual([10, 10, 10])
    // Printed with six decimals: within half a unit of the last digit.
    for (const [index, outputs] of printed.entries()) {
      for (const [cls, value] of outputs.entries()) expect(Math.abs(value - expected[index][cls])).toBeLessThanOrEqual(5e-7 + 1e-12)
    }
  })

  it('reports a wrong-size stimulus, a missing one, and a model that does not fit, naming the file', async () => {
    const {dir} = await syntheticIcFolder(2)
    await expect(inferFolder(dir, {log: join(dir, '..', 'x.txt'), model: referenceModelPath('ad01')}))
      .rejects.toThrow(/ad01_int8\.tflite: the model takes 640 input values, but a ic01 stimulus gives 3072/)
    const notAModel = join(dir, '..', 'model.tflite')
    await writeFile(notAModel, 'not a model')
    await expect(inferFolder(dir, {log: join(dir, '..', 'x.txt'), model: notAModel})).rejects.toThrow(/model\.tflite: not a TFLite model/)
    await writeFile(join(dir, 'img_1.bin'), new Uint8Array(3000))
    await expect(inferFolder(dir, {log: join(dir, '..', 'x.txt')})).rejects.toThrow(/img_1\.bin: 3000 bytes; ic01 stimuli are 3072 bytes/)
    await writeFile(join(dir, 'y_labels.csv'), 'img_0.bin,10,0\nnot_there.bin,10,1\n')
    await expect(inferFolder(dir, {log: join(dir, '..', 'x.txt')})).rejects.toThrow(/not_there\.bin: listed in y_labels\.csv but missing/)
  })
})

const FLOAT_MODEL = join(SHARED, 'models/kws_ref_model_float32.tflite')

describe.skipIf(!existsSync(FLOAT_MODEL))('inferFolder with a float model', () => {
  it('refuses it: the devices run the int8 models', async () => {
    const dir = await fixtureRunnerFolder('kws01')
    await expect(inferFolder(dir, {log: join(dir, '..', 'x.txt'), model: FLOAT_MODEL}))
      .rejects.toThrow(/kws_ref_model_float32\.tflite: the input tensor is float32 without quantisation; infer runs int8 models/)
  })
})

const OFFICIAL_LFBE = join(SHARED, 'fixtures/kws01/lfbe')
if (!existsSync(OFFICIAL_LFBE)) console.warn(skipMessage('infer refusing the official kws01 LFBE files'))

describe.skipIf(!existsSync(OFFICIAL_LFBE))('inferFolder on official LFBE stimuli without a manifest', () => {
  it('refuses them by their hashes (they are 490 bytes, like MFCC), before loading any model', async () => {
    const dir = join(await tempDir(), 'kws01')
    await mkdir(dir)
    await writeFile(join(dir, 'tst_000000_Stop_7.bin'), await readFile(join(OFFICIAL_LFBE, 'tst_000000_Stop_7.bin')))
    await writeFile(join(dir, 'y_labels.csv'), 'tst_000000_Stop_7.bin,12,7\n')
    await expect(inferFolder(dir, {log: join(dir, '..', 'log.txt')}))
      .rejects.toThrow(/kws01: holds kws01 lfbe stimuli \(tst_000000_Stop_7\.bin is an official LFBE file\); the reference model takes the mfcc stimuli$/)
  })
})

/** The one file where the host's TensorFlow Lite and the reference board's TFLite Micro disagree (README). */
const KNOWN_DEVICE_DISAGREEMENTS: Record<string, string[]> = {kws01: [], vww01: [], ic01: ['honey_eater_s_000628.bin']}
/** Largest printed-output difference from the reference device where the two agree: its printf's last digit. */
const DEVICE_PRINT_TOLERANCE: Record<string, number> = {kws01: 0.001, vww01: 0.000001}
/**
 * ic01 is the exception (README, golden run): TFLite and the board's TFLite Micro round ResNet differently, so outputs
 * differ by up to 0.2578 (measured, pekingese_s_001147.bin), and exactly half or more of the files print the same.
 */
const IC01_DEVICE_DIFFERENCE = {max: 0.258, identicalAtLeast: 52}

describe.skipIf(!RUNS_GOLDEN_PARITY)('golden run on the official fixture stimuli', () => {
  for (const [benchmark, folder] of [['kws01', 'kws'], ['vww01', 'vww'], ['ic01', 'ic']] as const) {
    it(`${benchmark}: the recorded host predictions, and the reference device's on every file but the known ones`, async () => {
      requireTfliteRuntime()
      const dir = await fixtureRunnerFolder(benchmark)
      const result = await inferFolder(dir, {log: join(dir, '..', 'golden_log.txt')})
      const recorded = await recordedHostPredictions(benchmark)
      expect(recorded.length).toBeGreaterThan(40)
      expect(result.score.predictions.map((p) => [p.file, p.prediction])).toEqual(recorded.map((r) => [r.file, r.prediction]))

      const device = await scoreResultPath(join(REFERENCE_DEVICE_LOGS, folder, 'accuracy'))
      const against = compareWithGolden(device, await scoreResultPath(result.log))
      expect(against.compared).toBe(recorded.length)
      expect(against.disagreements.map((stimulus) => stimulus.file)).toEqual(KNOWN_DEVICE_DISAGREEMENTS[benchmark])
      if (benchmark === 'ic01') {
        expect(against.maxDifference).toBeLessThanOrEqual(IC01_DEVICE_DIFFERENCE.max)
        expect(against.stimuli.filter((stimulus) => stimulus.maxDifference === 0).length).toBeGreaterThanOrEqual(IC01_DEVICE_DIFFERENCE.identicalAtLeast)
      } else {
        expect(against.maxDifference).toBeLessThanOrEqual(DEVICE_PRINT_TOLERANCE[benchmark]! + 1e-9)
      }
    })
  }
})
