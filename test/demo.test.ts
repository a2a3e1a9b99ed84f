/**
 * The bundled samples behind `tinydata demo` (samples/README.md): the generated ones are what scripts/make-samples.ts
 * makes, member for member, and stay small; the demo's text report prepares them and ends with the next command.
 */
import {readFile, mkdtemp, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {BUNDLED_SAMPLES} from '../datasets/samples.js'
import {generateSamples} from '../scripts/make-samples.js'
import {openSource} from '../src/archives/source-reader.js'
import {sha256Hex} from '../src/io/hash.js'
import {REPO_ROOT} from './helpers/archives.js'
import {HAS_BUILT_CLI, tinydata} from './helpers/cli.js'

const sampleFiles = (): string[] => Object.values(BUNDLED_SAMPLES).flatMap((entry) => (typeof entry === 'string' ? [entry] : Object.values(entry)))

describe('the generated samples', () => {
  it('are what scripts/make-samples.ts makes, member for member (regenerate with npx tsx scripts/make-samples.ts)', async () => {
    for (const sample of await generateSamples()) {
      const path = join(REPO_ROOT, sample.file)
      if (sample.container === 'file') {
        expect(sha256Hex(await readFile(path)), sample.file).toBe(sha256Hex(sample.bytes))
        continue
      }
      const reader = await openSource(path)
      expect(reader.kind, sample.file).toBe(sample.container)
      const committed: string[] = []
      for await (const member of reader.members()) committed.push(`${member.path} ${sha256Hex(member.bytes)}`)
      expect(committed, sample.file).toEqual(sample.members.map((member) => `${member.path} ${sha256Hex(member.bytes)}`))
    }
  })

  it('add well under a megabyte to the package, and samples/README.md describes each bundled file', async () => {
    const generated = (await generateSamples()).map((sample) => sample.file)
    const sizes = await Promise.all(generated.map(async (file) => (await stat(join(REPO_ROOT, file))).size))
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThan(400_000)
    const readme = await readFile(join(REPO_ROOT, 'samples/README.md'), 'utf8')
    for (const file of sampleFiles()) expect(readme, file).toContain(file.replace('samples/', ''))
  })
})

describe.skipIf(!HAS_BUILT_CLI)('tinydata demo, text output', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tinydata-demo-'))
  })
  afterAll(async () => {
    await rm(work, {recursive: true, force: true})
  })

  it('prepares the generated samples, says their bytes are not compared, and ends with the next command', async () => {
    const out = join(work, 'demo')
    const run = await tinydata('demo', '--out', out)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('so their bytes are not compared')
    expect(run.stdout).toMatch(new RegExp(`^ {2}ic01 +200 +200 +${join(out, 'ic01')}$`, 'm'))
    expect(run.stdout).toMatch(new RegExp(`^ {2}vww01 +8 +8 +${join(out, 'vww01')}$`, 'm'))
    expect(run.stdout).toMatch(new RegExp(`^ {2}ad01 +4 +4 +${join(out, 'ad01')}$`, 'm'))
    expect(run.stdout).toMatch(new RegExp(`^ {2}sww01 +2 +- +${join(out, 'sww01')} {2}\\(a WAV and its truth JSON\\)$`, 'm'))
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(`Next: tinydata verify ${join(out, 'lfbe/kws01')}   (checks a runner folder against the official bytes)`)
    // The command it names passes on that folder.
    const next = await tinydata('verify', join(out, 'lfbe/kws01'))
    expect(next.code, next.stdout).toBe(0)
  })
})
