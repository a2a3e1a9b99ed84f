/**
 * prepare and export say plainly when the stimuli are not the official bytes (fine for the open division, not for a
 * closed-division submission), as one warning line and in --json as official_bytes; export --require-official refuses.
 */
import {existsSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {closedDivisionWarning} from '../../src/cli/official-bytes-warning.js'
import {REPO_ROOT} from '../helpers/archives.js'
import {expectOneLineError, HAS_BUILT_CLI, tinydata} from '../helpers/cli.js'

const SAMPLE = join(REPO_ROOT, 'samples/kws01-sample.tar.gz')
const CLOSED_DIVISION = 'A closed-division submission needs every file byte-identical to the official one'

describe('closedDivisionWarning', () => {
  it('says nothing for official bytes, and counts the files that differ or could not be compared', () => {
    expect(closedDivisionWarning('out/vww01', {allIdentical: true, identical: 3, differing: 0, notCompared: 0})).toBeUndefined()
    expect(closedDivisionWarning('out/vww01', {allIdentical: false, identical: 0, differing: 1, notCompared: 2})).toBe(
      `out/vww01: 1 of 3 stimulus files differ from the official bytes, and 2 of 3 have no official bytes to compare with. ${CLOSED_DIVISION}`
      + ' (check a folder with `tinydata verify out/vww01`); an open-division set may differ',
    )
    expect(closedDivisionWarning('my out', {allIdentical: false, identical: 0, differing: 0, notCompared: 2})).toContain("tinydata verify 'my out'")
  })
})

describe.skipIf(!HAS_BUILT_CLI)('prepare and export flag non-official bytes', () => {
  let dir: string
  // The sample's mfcc stimuli hold one file off by the known float32 ceiling; its lfbe ones are all official bytes.
  const prepare = (variant: string, out: string, ...more: string[]) =>
    tinydata('prepare', 'kws', '--source', SAMPLE, '--out', out, '--no-verify', '--allow-missing', '--variant', variant, ...more)
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-official-bytes-'))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('prepare exits 0 and warns in one line where a file differs, and says so in --json', async () => {
    const folder = join(dir, 'mfcc', 'kws01')
    const text = await prepare('mfcc', join(dir, 'mfcc'))
    expect(text.code).toBe(0)
    expect(text.stderr).toBe(`Warning: ${folder}: 1 of 30 stimulus files differ from the official bytes. ${CLOSED_DIVISION} (check a folder with \`tinydata verify ${folder}\`); an open-division set may differ\n`)
    const json = await prepare('mfcc', join(dir, 'mfcc'), '--json')
    expect(json.stderr).toBe('')
    expect(JSON.parse(json.stdout).official_bytes).toEqual({all_identical: false, identical: 29, differing: 1, not_compared: 0})
  })

  it('prepare is silent where every file is official, and --json says so', async () => {
    const text = await prepare('lfbe', join(dir, 'lfbe'))
    expect(text.code).toBe(0)
    expect(text.stderr).toBe('')
    const json = await prepare('lfbe', join(dir, 'lfbe'), '--json')
    expect(JSON.parse(json.stdout).official_bytes).toEqual({all_identical: true, identical: 30, differing: 0, not_compared: 0})
  })

  it('export checks the folder against the official bytes: a warning, official_bytes, and --require-official refuses', async () => {
    const folder = join(dir, 'export-mfcc', 'kws01')
    expect((await prepare('mfcc', join(dir, 'export-mfcc'), '--json')).code).toBe(0)
    const text = await tinydata('export', folder, '--runner', 'mlcommons', '--to', join(dir, 'runner'))
    expect(text.code).toBe(0)
    expect(text.stderr).toBe(`Warning: ${folder}: 1 of 30 stimulus files differ from the official bytes. ${CLOSED_DIVISION} (check a folder with \`tinydata verify ${folder}\`); an open-division set may differ\n`)
    const json = await tinydata('export', folder, '--runner', 'mlcommons', '--to', join(dir, 'runner'), '--json')
    expect(JSON.parse(json.stdout).official_bytes).toEqual({all_identical: false, identical: 29, differing: 1, not_compared: 0})

    const refused = await tinydata('export', folder, '--runner', 'mlcommons', '--to', join(dir, 'closed'), '--require-official')
    expect(refused.code).toBe(2)
    expectOneLineError(refused.stderr, `${folder}: not byte-identical to the official stimuli (1 file(s) differ, 0 without official bytes to compare with); nothing exported (--require-official`)
    expect(existsSync(join(dir, 'closed'))).toBe(false)
  })

  it('export of official bytes says nothing more, --require-official included', async () => {
    const folder = join(dir, 'export-lfbe', 'kws01')
    expect((await prepare('lfbe', join(dir, 'export-lfbe'), '--json')).code).toBe(0)
    const run = await tinydata('export', folder, '--runner', 'mlcommons', '--to', join(dir, 'closed-lfbe'), '--require-official')
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
  })
})
