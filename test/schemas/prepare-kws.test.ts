/**
 * `tinydata prepare kws --json` against schemas/prepare-kws.schema.json, on the bundled sample (and the folder it
 * extracts to): the official subset, --subset test, --format model, --model, and an error.
 */
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openSource} from '../../src/archives/source-reader.js'
import {REPO_ROOT} from '../helpers/archives.js'
import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

const SAMPLE = join(REPO_ROOT, 'samples/kws01-sample.tar.gz')
const KWS_MODEL = join(REPO_ROOT, 'models/kws_ref_model.tflite')

if (!HAS_BUILT_CLI) console.log('skipped: the prepare kws schema tests need the built CLI (npm run build)')

describe.skipIf(!HAS_BUILT_CLI)('prepare kws --json matches schemas/prepare-kws.schema.json', () => {
  let work: string
  const prepareKwsJson = async (out: string, ...args: string[]): Promise<unknown> => {
    const run = await tinydata('prepare', 'kws', '--out', join(work, out), ...args, '--json')
    expect(run.code, run.stderr).toBe(0)
    return JSON.parse(run.stdout)
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-prepare-kws-schema-'))
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('the official subset of the sample with --allow-missing: official counts and parity, tfds_order null', async () => {
    const json = await prepareKwsJson('official', '--source', SAMPLE, '--no-verify', '--allow-missing')
    expect(json).toMatchObject({
      subset: 'official', variant: 'mfcc', format: 'runner', source: {kind: 'tar.gz', checksum: 'not verified (--no-verify)'},
      official: {expected: 1000, found: 30}, parity: {compared: 30, identical: 29}, tfds_order: null,
    })
    expectMatchesSchema('prepare kws', json)
  })

  it('--subset test: every clip in TFDS read order, official null, tfds_order checked', async () => {
    const json = await prepareKwsJson('test', '--source', SAMPLE, '--no-verify', '--subset', 'test', '--variant', 'td_samples')
    expect(json).toMatchObject({subset: 'test', variant: 'td_samples', quantization: {dtype: 'int16'}, official: null, tfds_order: {checked: 30}})
    expectMatchesSchema('prepare kws', json)
  })

  it('--format model from an extracted folder: format model, a source without sha256', async () => {
    const folder = join(work, 'extracted')
    for await (const member of (await openSource(SAMPLE)).members()) {
      await mkdir(dirname(join(folder, member.path)), {recursive: true})
      await writeFile(join(folder, member.path), member.bytes)
    }
    const json = await prepareKwsJson('model-format', '--source', folder, '--allow-missing', '--format', 'model')
    expect(json).toMatchObject({format: 'model', source: {kind: 'folder', sha256: null, checksum: 'none (a folder)'}, official: {found: 30}})
    expectMatchesSchema('prepare kws', json)
  })

  it('--model: the quantisation from the model\'s input tensor, parity null', async () => {
    const json = await prepareKwsJson('model', '--source', SAMPLE, '--no-verify', '--allow-missing', '--model', KWS_MODEL)
    expect(json).toMatchObject({quantization: {dtype: 'int8', zero_point: 83, origin: 'kws_ref_model.tflite input tensor'}, parity: null})
    expectMatchesSchema('prepare kws', json)
  })

  it('an error: {"error": {"code", "message"}}', async () => {
    const run = await tinydata('prepare', 'kws', '--source', SAMPLE, '--out', join(work, 'error'), '--no-verify', '--variant', 'lfbe', '--format', 'model', '--json')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error', message: expect.stringContaining('--format model')}})
    expectMatchesSchema('error', json)
  })
})
