/**
 * `tinydata prepare sww --json` against schemas/prepare-sww.schema.json, on generated clips under the official short
 * spec's names (Speech Commands in a tar.gz, MUSAN in a tar): the official build, a user's spec, and an error.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {encodeWav} from '../../src/audio/wav.js'
import {buildTar, buildTarGz} from '../helpers/archives.js'
import {HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'
import {expectMatchesSchema} from '../helpers/json-schema.js'

if (!HAS_BUILT_CLI) console.log('skipped: the prepare sww schema tests need the built CLI (npm run build)')

const clip = (length: number, period: number) =>
  encodeWav(Int16Array.from({length}, (_, i) => Math.round(9000 * Math.sin(i / period) * Math.sin((Math.PI * i) / length))), 16000)

describe.skipIf(!HAS_BUILT_CLI)('prepare sww --json matches schemas/prepare-sww.schema.json', () => {
  let work: string
  let sources: string[]
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-prepare-sww-schema-'))
    const speechCommands = join(work, 'speech_commands_v0.02.tar.gz')
    const musan = join(work, 'musan.tar')
    await writeFile(speechCommands, await buildTarGz([
      {path: './marvin/aef8dcf5_nohash_0.wav', bytes: clip(12000, 5)},
      {path: './marvin/24ad3ebe_nohash_1.wav', bytes: clip(14000, 7)},
      {path: './marvin/5c8af87a_nohash_0.wav', bytes: clip(9000, 3)},
    ]))
    await writeFile(musan, await buildTar([{path: 'musan/music/hd-classical/music-hd-0002.wav', bytes: clip(90000, 11)}]))
    sources = ['--speech-commands', speechCommands, '--musan', musan]
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('the official short build: the runner names, parity against the published blob id', async () => {
    const run = await tinydata('prepare', 'sww', '--official', 'short', ...sources, '--out', join(work, 'out'), '--no-verify', '--json')
    expect(run.code, run.stderr).toBe(0)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({
      benchmark: 'sww01', official: 'short', length_sec: 10, backgrounds: 1, wakewords: 3,
      wav_file: join(work, 'out/sww01/short_wav_easy10s.wav'), truth_file: join(work, 'out/sww01/sww_short_test.json'),
      parity: {published: ['ae40e12b1f6a39da77ecbcf62245b669dd04029b'], equal: false},
      sources: {speech_commands: {kind: 'tar.gz', checksum: 'not verified (--no-verify)', clips_read: 3}, musan: {kind: 'tar', clips_read: 1}},
    })
    expect((await readFile(json.wav_file)).length).toBe(44 + 10 * 16000 * 4)
    expectMatchesSchema('prepare sww', json)
  })

  it('a user spec: named after the spec, no parity', async () => {
    const spec = join(work, 'two_marvins_spec.json')
    await writeFile(spec, JSON.stringify({
      configs_background: [['{musan_path}/music/hd-classical/music-hd-0002.wav', 0.0, 3.0, 0.1]],
      configs_wakeword: [['{speech_commands_path}/marvin/aef8dcf5_nohash_0.wav', 0.5, 0.7], ['{speech_commands_path}/marvin/5c8af87a_nohash_0.wav', 2.0, 0.9]],
      length_sec: 3.0,
      sample_rate: 16000,
    }))
    const run = await tinydata('prepare', 'sww', '--spec', spec, ...sources, '--out', join(work, 'out'), '--no-verify', '--json')
    expect(run.code, run.stderr).toBe(0)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({official: null, spec, parity: null, wakewords: 2, wav_file: join(work, 'out/sww01/two_marvins.wav')})
    expectMatchesSchema('prepare sww', json)
  })

  it('an error: {"error": {"code", "message"}} naming the spec entry', async () => {
    const spec = join(work, 'missing_spec.json')
    await writeFile(spec, JSON.stringify({configs_background: [], configs_wakeword: [['{speech_commands_path}/marvin/none.wav', 1.0, 0.5]], length_sec: 3.0, sample_rate: 16000}))
    const run = await tinydata('prepare', 'sww', '--spec', spec, ...sources, '--out', join(work, 'out'), '--no-verify', '--json')
    expect(run.code).toBe(2)
    const json = JSON.parse(run.stdout)
    expect(json).toMatchObject({error: {code: 'user_error', message: expect.stringContaining('configs_wakeword[0] ({speech_commands_path}/marvin/none.wav): no such member')}})
    expectMatchesSchema('error', json)
  })
})
