import {tableFromIPC} from 'apache-arrow'
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {SummaryRow} from '../../src/check/summary-row.js'

import {writeSummaryTable} from '../../src/check/table.js'
import {UserError} from '../../src/errors.js'

/** A row with every official column filled, as the checker writes one for an EnergyRunner kws result with energy. */
function kwsRow(): SummaryRow {
  return {
    Organization: 'STMicroelectronics', Availability: 'available', Division: 'closed', BoardName: 'NUCLEO-L4R5ZI',
    SystemDesc: 'NUCLEO_L4R5ZI', Model: 'kws', MlperfModel: 'kws', Result: '18.3', ResultUnit: 'inf./sec.',
    Accuracy: '90.6', HasPower: true, Power: '1013.1', PowerUnit: 'uJ/inf.', HostProcessorModelName: 'Arm Cortex-M4',
    HostProcessorFrequency: '120 MHz', HostProcessorMemory: '2 MB flash, 640 KB SRAM', AcceleratorModelName: null,
    AcceleratorFrequency: null, AcceleratorMemory: null, HardwareNotes: 'board says "rev C", not B',
    InferenceFramework: 'X-CUBE-AI', SoftwareLibraries: 'STM32Cube', SoftwareNotes: 'line one\nline two',
    FalsePositives: null, FalseNegatives: null, DutyCycle: null,
    OfficialRow: true, RecomputedResult: '18.3', RecomputedAccuracy: '90.6', RecomputedPower: '1013.1', Problems: [],
  }
}

/** A row the official checker would drop: a missing energy log and a results.txt that disagrees with its log. */
function swwRow(): SummaryRow {
  return {
    ...kwsRow(), SystemDesc: 'NUCLEO_U385RG_Q', Model: 'sww', MlperfModel: 'sww', Result: '2.0', Accuracy: '0.96',
    HasPower: false, Power: '0', PowerUnit: 'mW', FalsePositives: '2', FalseNegatives: '2', DutyCycle: '0.45',
    OfficialRow: false, RecomputedResult: '2.1', RecomputedAccuracy: null, RecomputedPower: null,
    Problems: ['sww/energy: no log.txt', 'sww/performance: results.txt says 2.0 inf./sec., the log 2.1'],
  }
}

const V13_HEADER = 'Organization,Availability,Division,BoardName,SystemDesc,Model,MlperfModel,Result,ResultUnit,Accuracy,'
  + 'HasPower,Power,PowerUnit,HostProcessorModelName,HostProcessorFrequency,HostProcessorMemory,AcceleratorModelName,'
  + 'AcceleratorFrequency,AcceleratorMemory,HardwareNotes,InferenceFramework,SoftwareLibraries,SoftwareNotes,'
  + 'FalsePositives,FalseNegatives,DutyCycle,OfficialRow,RecomputedResult,RecomputedAccuracy,RecomputedPower,Problems'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tinydata-table-'))
})
afterEach(async () => {
  await rm(dir, {recursive: true, force: true})
})

describe('writeSummaryTable as CSV', () => {
  it('writes the official columns then tinydata\'s, the header bare and every field quoted, as summary.csv is', async () => {
    const file = join(dir, 'summary.csv')
    await writeSummaryTable(file, [kwsRow(), swwRow()], 'v1.3')
    expect(await readFile(file, 'utf8')).toBe(`${V13_HEADER}\n`
      + '"STMicroelectronics","available","closed","NUCLEO-L4R5ZI","NUCLEO_L4R5ZI","kws","kws","18.3","inf./sec.",'
      + '"90.6","True","1013.1","uJ/inf.","Arm Cortex-M4","120 MHz","2 MB flash, 640 KB SRAM","","","",'
      + '"board says ""rev C"", not B","X-CUBE-AI","STM32Cube","line one\nline two","","","","True","18.3","90.6",'
      + '"1013.1",""\n'
      + '"STMicroelectronics","available","closed","NUCLEO-L4R5ZI","NUCLEO_U385RG_Q","sww","sww","2.0","inf./sec.",'
      + '"0.96","False","0","mW","Arm Cortex-M4","120 MHz","2 MB flash, 640 KB SRAM","","","",'
      + '"board says ""rev C"", not B","X-CUBE-AI","STM32Cube","line one\nline two","2","2","0.45","False","2.1","",'
      + '"","sww/energy: no log.txt; sww/performance: results.txt says 2.0 inf./sec., the log 2.1"\n')
  })

  it('leaves out the sww columns before v1.3, as the checker does', async () => {
    const file = join(dir, 'summary.csv')
    await writeSummaryTable(file, [kwsRow()], 'v1.0')
    const text = await readFile(file, 'utf8')
    expect(text.split('\n')[0]).toBe(V13_HEADER.replace('FalsePositives,FalseNegatives,DutyCycle,', ''))
    expect(text).toContain('"STM32Cube","line one\nline two","True","18.3","90.6","1013.1",""\n')
  })

  it('writes the header alone for no rows, and leaves no temporary file beside it', async () => {
    const file = join(dir, 'empty.CSV')
    await writeSummaryTable(file, [], 'v1.3')
    expect(await readFile(file, 'utf8')).toBe(`${V13_HEADER}\n`)
    expect(await readdir(dir)).toEqual(['empty.CSV'])
  })
})

describe('writeSummaryTable as Arrow', () => {
  it('writes the same columns: text as nullable utf8, the flags as booleans, the problems as a list', async () => {
    const file = join(dir, 'summary.arrow')
    await writeSummaryTable(file, [kwsRow(), swwRow()], 'v1.3')
    const table = tableFromIPC(await readFile(file))
    expect(table.schema.fields.map((field) => field.name)).toEqual(V13_HEADER.split(','))
    expect(table.numRows).toBe(2)
    const types = Object.fromEntries(table.schema.fields.map((field) => [field.name, String(field.type)]))
    expect(types).toMatchObject({Organization: 'Utf8', HasPower: 'Bool', OfficialRow: 'Bool', Problems: 'List<Utf8>'})
    expect(table.schema.fields.find((field) => field.name === 'AcceleratorModelName')!.nullable).toBe(true)
    const [kws, sww] = table.toArray().map((row) => row.toJSON())
    expect(kws).toMatchObject({Result: '18.3', HasPower: true, AcceleratorModelName: null, SoftwareNotes: 'line one\nline two'})
    expect(sww).toMatchObject({Model: 'sww', HasPower: false, OfficialRow: false, RecomputedPower: null, DutyCycle: '0.45'})
    expect([...sww!.Problems]).toEqual(swwRow().Problems)
    expect([...kws!.Problems]).toEqual([])
  })
})

describe('writeSummaryTable, another extension', () => {
  it('refuses it in one line naming the file, and writes nothing', async () => {
    const file = join(dir, 'summary.xlsx')
    const error = await writeSummaryTable(file, [kwsRow()], 'v1.3').then(() => null, (error_: unknown) => error_)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(new RegExp(`^${file.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*\\.csv or \\.arrow$`))
    expect((error as Error).message).not.toContain('\n')
    expect(await readdir(dir)).toEqual([])
  })
})
