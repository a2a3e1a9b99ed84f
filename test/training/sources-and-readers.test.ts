/**
 * The training sources can be downloaded, and the Arrow files are readable without tinydata: by python3's pyarrow
 * where it is installed (skipped with a message where it is not).
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {kws01} from '../../datasets/kws01.js'
import {encodeWav} from '../../src/audio/wav.js'
import {planDownloads} from '../../src/download/plan.js'
import {prepareKwsSplit} from '../../src/training/kws.js'
import {buildTarGz} from '../helpers/archives.js'

describe('download plans the training sources', () => {
  it('vww --include-optional fetches the Silicon Labs archive; kws the full Speech Commands archive', () => {
    const files = (name: string) => planDownloads([name], {includeOptional: true}).map((planned) => planned.file.name)
    expect(files('vww')).toContain('vw_coco2014_96.tar.gz')
    expect(files('kws')).toContain('speech_commands_v0.02.tar.gz')
    expect(planDownloads(['vww'], {includeOptional: false}).map((planned) => planned.file.name)).not.toContain('vw_coco2014_96.tar.gz')
  })
})

const HAS_PYARROW = spawnSync('python3', ['-c', 'import pyarrow'], {stdio: 'ignore'}).status === 0
if (!HAS_PYARROW) console.log('skipped: reading the Arrow file with pyarrow needs python3 with pyarrow, which is not installed here')

describe.skipIf(!HAS_PYARROW)('pyarrow reads a split without tinydata', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-pyarrow-'))
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('the columns, the int16 tensors as a (rows, 16000) numpy array, the labels', async () => {
    const archive = join(dir, 'speech_commands_v0.02.tar.gz')
    const samples = Int16Array.from({length: 16000}, (_, i) => (i % 200) - 100)
    await writeFile(archive, await buildTarGz([
      {path: 'validation_list.txt', bytes: new TextEncoder().encode('yes/a_nohash_0.wav\n')},
      {path: 'testing_list.txt', bytes: new TextEncoder().encode('')},
      {path: 'yes/a_nohash_0.wav', bytes: encodeWav(samples, 16000)},
    ]))
    const result = await prepareKwsSplit({benchmark: kws01, split: 'validation', variant: 'td_samples', source: archive, out: dir, verify: false, threads: 1})
    const script = [
      'import json, sys, pyarrow as pa',
      'table = pa.ipc.open_file(sys.argv[1]).read_all()',
      'tensor = table.column("tensor").combine_chunks().flatten().to_numpy().reshape(table.num_rows, -1)',
      'print(json.dumps({"columns": table.column_names, "shape": list(tensor.shape), "first": tensor[0, :3].tolist(), "labels": table.column("label").to_pylist()}))',
    ].join('\n')
    const output = JSON.parse(execFileSync('python3', ['-c', script, result.output], {encoding: 'utf8'})) as Record<string, unknown>
    expect(output).toEqual({columns: ['tensor', 'label', 'label_name', 'split', 'source_member', 'key'], shape: [1, 16000], first: [-100, -99, -98], labels: [9]})
  })
})
