import {describe, expect, it} from 'vitest'

import {BENCHMARK_SOURCES} from '../../datasets/index.js'
import {cifar10} from '../../datasets/cifar10.js'
import {coco2017} from '../../datasets/coco2017.js'
import {speechCommandsTest} from '../../datasets/speech-commands.js'
import {toycar} from '../../datasets/toycar.js'
import {largestMemberOf} from '../../src/archives/source-reader.js'

const ARCHIVE_FORMATS = new Set(['tar.gz', 'tar', 'zip'])

describe('the largest member of each source archive', () => {
  it('is declared for every archive a benchmark reads', () => {
    const archives = BENCHMARK_SOURCES.flatMap((sources) => [...sources.datasets, ...sources.optional])
      .flatMap((dataset) => dataset.files)
      .filter((file) => ARCHIVE_FORMATS.has(file.format))
    expect(archives.length).toBeGreaterThan(0)
    expect(archives.filter((file) => !(Number.isInteger(file.largestMember) && file.largestMember! > 0)).map((file) => file.name)).toEqual([])
  })

  it('is what the formats say where they fix it, and holds the real members measured', () => {
    expect(speechCommandsTest.files[0]!.largestMember).toBe(2 * 32_044) // twice one second of 16 kHz mono int16 and its header
    expect(cifar10.files.find((file) => file.name === 'cifar-10-binary.tar.gz')!.largestMember).toBe(30_730_000)
    expect(toycar.files[0]!.largestMember).toBeGreaterThanOrEqual(352_044) // the real ToyCar clips (fixtures/ad01)
    expect(coco2017.files.find((file) => file.name === 'val2017.zip')!.largestMember).toBeGreaterThanOrEqual(640 * 640 * 3)
  })

  it('of a source that may be any of several files is the largest they declare, and none if one declares none', () => {
    expect(largestMemberOf([{largestMember: 10}, {largestMember: 30}])).toBe(30)
    expect(largestMemberOf([{largestMember: 10}, {}])).toBeUndefined()
  })
})
