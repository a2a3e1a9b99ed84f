import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {REPO_ROOT, SHARED, skipMessage} from '../helpers/archives.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'

const SAMPLE = join(REPO_ROOT, 'samples/kws01-sample.tar.gz')
const KWS_MODEL = join(SHARED, 'models/kws_ref_model.tflite')
const KWS_FLOAT_MODEL = join(SHARED, 'models/kws_ref_model_float32.tflite')

describe.skipIf(!HAS_BUILT_CLI)('the tinydata CLI (built)', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-cli-'))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('demo prepares the bundled sample offline and reports its parity', async () => {
    const {code, stdout} = await tinydata('demo', '--out', join(dir, 'demo'))
    expect(code).toBe(0)
    expect(stdout).toContain('30 official kws01 clips')
    expect(stdout).toMatch(/mfcc\s+30\s+29\/30/)
    expect(stdout).toMatch(/lfbe\s+30\s+30\/30/)
    expect(stdout).toMatch(/td_samples\s+30\s+30\/30/)
    expect(existsSync(join(dir, 'demo/mfcc/kws01/manifest.arrow'))).toBe(true)
  })

  it('demo --json prints one JSON document and nothing else', async () => {
    const {code, stdout, stderr} = await tinydata('demo', '--out', join(dir, 'demo-json'), '--json')
    expect(code).toBe(0)
    expect(stderr).toBe('')
    const json = JSON.parse(stdout)
    expect(json.results.map((r: {variant: string; parity: {identical: number}}) => [r.variant, r.parity.identical])).toEqual([['mfcc', 29], ['lfbe', 30], ['td_samples', 30]])
  })

  it('prepare kws --json reports what it wrote', async () => {
    const out = join(dir, 'prep')
    const {code, stdout} = await tinydata('prepare', 'kws', '--source', SAMPLE, '--out', out, '--no-verify', '--allow-missing', '--variant', 'lfbe', '--json')
    expect(code).toBe(0)
    const json = JSON.parse(stdout)
    expect(json).toMatchObject({benchmark: 'kws01', variant: 'lfbe', subset: 'official', files_written: 30, official: {expected: 1000, found: 30}, parity: {identical: 30}})
    expect((await readFile(join(out, 'kws01/y_labels.csv'), 'utf8')).split('\n')).toHaveLength(31)
  })

  it('prepare kws on the sample without --no-verify fails on the pinned checksum', async () => {
    const {code, stderr} = await tinydata('prepare', 'kws', '--source', SAMPLE, '--out', join(dir, 'no'), '--allow-missing')
    expect(code).toBe(2)
    expectOneLineError(stderr, `${SAMPLE}: sha256`)
  })

  it('bad input in --json mode is a JSON error on stdout with exit code 2', async () => {
    const missing = join(dir, 'missing.tar.gz')
    const {code, stdout} = await tinydata('prepare', 'kws', '--source', missing, '--json')
    expect(code).toBe(2)
    expect(JSON.parse(stdout)).toEqual({error: {code: 'user_error', message: `${missing}: does not exist or cannot be read`}})
  })

  it('rejects an unknown variant', async () => {
    const {code, stderr} = await tinydata('prepare', 'kws', '--variant', 'spectrogram')
    expect(code).not.toBe(0)
    expect(stderr).toContain('Expected --variant=spectrogram to be one of: mfcc, lfbe, td_samples')
  })

  describe.skipIf(!existsSync(KWS_MODEL))('--model', () => {
    it('takes scale and zero point from the model: kws_ref_model.tflite gives the pinned values', async () => {
      const {code, stdout} = await tinydata('prepare', 'kws', '--source', SAMPLE, '--out', join(dir, 'model'), '--no-verify', '--allow-missing', '--model', KWS_MODEL, '--json')
      expect(code).toBe(0)
      const json = JSON.parse(stdout)
      expect(json.quantization).toEqual({dtype: 'int8', scale: 0.5847029089927673, zero_point: 83, origin: 'kws_ref_model.tflite input tensor'})
      expect(json.parity).toBeNull()
    })

    it('refuses a float model', async () => {
      const {code, stderr} = await tinydata('prepare', 'kws', '--source', SAMPLE, '--out', join(dir, 'model'), '--no-verify', '--allow-missing', '--model', KWS_FLOAT_MODEL)
      expect(code).toBe(2)
      expectOneLineError(stderr, `${KWS_FLOAT_MODEL}: input tensor`)
    })
  })
  if (!existsSync(KWS_MODEL)) console.warn(skipMessage('the --model CLI tests'))
})
