import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {readManifest} from '../../src/manifest/reader.js'
import {readTfliteInputFile} from '../../src/quantization/tflite.js'
import {buildZip} from '../helpers/archives.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {buildCifarArchive, buildCifarBatch, noiseBytes} from '../helpers/images.js'
import {syntheticToyCarClip, toyCarEntry} from '../helpers/toycar.js'

const f32 = Math.fround

/** The reference firmware's QuantizeFloatToInt8, restated: float32 division, C round() (halves away from zero), clamp. */
function quantizeLikeFirmware(value: number, scale: number, zeroPoint: number): number {
  const scaled = f32(value / f32(scale))
  return Math.min(127, Math.max(-128, Math.sign(scaled) * Math.round(Math.abs(scaled)) + zeroPoint))
}

describe.skipIf(!HAS_BUILT_CLI)('prepare --format model: the int8 tensors the model is fed', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-model-format-'))
  })

  it('ic: every byte is the runner byte − 128; the manifest records the format; verify accepts the folder, infer refuses it', async () => {
    const images = new Map(Array.from({length: 20}, (_, index) => [index, {planar: noiseBytes(3072, index + 7), label: index % 10}]))
    const archive = join(dir, 'cifar.tar.gz')
    await writeFile(archive, await buildCifarArchive(buildCifarBatch(images, 10_000)))
    const common = ['--source', archive, '--subset', 'test', '--no-verify', '--json']
    const runner = await tinydata('prepare', 'ic', ...common, '--out', join(dir, 'runner'))
    const model = await tinydata('prepare', 'ic', ...common, '--out', join(dir, 'model'), '--format', 'model')
    expect(runner.code, runner.stderr).toBe(0)
    expect(model.code, model.stderr).toBe(0)
    expect(JSON.parse(runner.stdout).format).toBe('runner')
    expect(JSON.parse(model.stdout)).toMatchObject({format: 'model', files_written: 10_000})

    const labels = await readFile(join(dir, 'model/ic01/y_labels.csv'), 'utf8')
    expect(labels).toBe(await readFile(join(dir, 'runner/ic01/y_labels.csv'), 'utf8'))
    for (const file of labels.split('\n').slice(0, 20).map((row) => row.split(',')[0])) {
      const runnerBytes = await readFile(join(dir, 'runner/ic01', file))
      const modelBytes = await readFile(join(dir, 'model/ic01', file))
      expect(modelBytes.length).toBe(3072)
      expect(Array.from(new Int8Array(modelBytes.buffer, modelBytes.byteOffset, 3072))).toEqual(Array.from(runnerBytes, (byte) => byte - 128))
    }
    const input = await readTfliteInputFile(join('models', 'pretrainedResnet_quant.tflite'))
    const {meta, records} = await readManifest(join(dir, 'model/ic01/manifest.arrow'))
    expect(meta.recipe).toMatchObject({format: 'model', model_input: {model: 'pretrainedResnet_quant.tflite', scale: input.scale, zero_point: input.zeroPoint}})
    expect(records[0]).toMatchObject({dtype: 'int8', scale: input.scale, zeroPoint: input.zeroPoint})

    const verify = await tinydata('verify', join(dir, 'model/ic01'), '--json')
    expect(verify.code, verify.stdout).toBe(0)
    expect(JSON.parse(verify.stdout)).toMatchObject({expected_bytes: 3072, official: null, ok: true})
    const infer = await tinydata('infer', join(dir, 'model/ic01'), '--log', join(dir, 'x.txt'))
    expect(infer.code).toBe(2)
    expectOneLineError(infer.stderr, 'holds model-input tensors (prepare --format model); infer reads the runner format')
    const show = await tinydata('show', join(dir, 'model/ic01'), '--out', join(dir, 'sheet.png'))
    expect(show.code).toBe(2)
    expectOneLineError(show.stderr, 'holds model-input tensors (prepare --format model); show draws runner-format stimuli')
  }, 120_000)

  it('ad: 196 windows of 640 values quantised with the model input; y_labels gives the new window and stride', async () => {
    const clips = ['normal_id_01_00000000.wav', 'anomaly_id_01_00000000.wav']
    const source = join(dir, 'dev_data_ToyCar.zip')
    await writeFile(source, buildZip(clips.map((file, index) => toyCarEntry(file, syntheticToyCarClip(40 + index)))))
    const common = ['--source', source, '--subset', 'all', '--json']
    expect((await tinydata('prepare', 'ad', ...common, '--out', join(dir, 'ad-runner'))).code).toBe(0)
    const model = await tinydata('prepare', 'ad', ...common, '--out', join(dir, 'ad-model'), '--format', 'model')
    expect(model.code, model.stderr).toBe(0)

    const input = await readTfliteInputFile(join('models', 'ad01_int8.tflite'))
    const labels = (await readFile(join(dir, 'ad-model/ad01/y_labels.csv'), 'utf8')).trim().split('\n')
    expect(labels).toHaveLength(2)
    for (const row of labels) {
      const [file, classes, label, window, stride] = row.split(',')
      expect([classes, window, stride]).toEqual(['2', '640', '640'])
      expect(label).toBe(file.startsWith('anomaly') ? '1' : '0')
      const runnerBytes = await readFile(join(dir, 'ad-runner/ad01', file))
      const values = new Float32Array(runnerBytes.buffer.slice(runnerBytes.byteOffset, runnerBytes.byteOffset + runnerBytes.byteLength))
      const tensor = new Int8Array((await readFile(join(dir, 'ad-model/ad01', file))).buffer.slice(0))
      expect(tensor.length).toBe(196 * 640)
      for (const [window, offset] of [[0, 0], [0, 639], [1, 0], [97, 300], [195, 639]]) {
        expect(tensor[window * 640 + offset]).toBe(quantizeLikeFirmware(values[window * 128 + offset], input.scale!, input.zeroPoint!))
      }
    }
  }, 120_000)

  it('kws mfcc: the same bytes as the runner format, and a manifest that says model format', async () => {
    const common = ['--source', join('samples', 'kws01-sample.tar.gz'), '--no-verify', '--allow-missing', '--json']
    expect((await tinydata('prepare', 'kws', ...common, '--out', join(dir, 'kws-runner'))).code).toBe(0)
    const model = await tinydata('prepare', 'kws', ...common, '--out', join(dir, 'kws-model'), '--format', 'model')
    expect(model.code, model.stderr).toBe(0)
    expect(JSON.parse(model.stdout)).toMatchObject({format: 'model', files_written: 30})
    const runner = await readManifest(join(dir, 'kws-runner/kws01/manifest.arrow'))
    const tensors = await readManifest(join(dir, 'kws-model/kws01/manifest.arrow'))
    expect(tensors.records.map((record) => record.stimulusSha256)).toEqual(runner.records.map((record) => record.stimulusSha256))
    expect(tensors.meta.recipe).toMatchObject({format: 'model', model_input: {model: 'kws_ref_model.tflite', zero_point: 83}})
  })

  it('kws refuses --format model for the lfbe and td_samples variants', async () => {
    const run = await tinydata('prepare', 'kws', '--source', join(dir, 'nothing.tar.gz'), '--variant', 'lfbe', '--format', 'model', '--out', join(dir, 'kws'))
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, '--format model writes the reference model\'s input, made from the mfcc stimuli, not lfbe')
  })
})
