import ExcelJS from 'exceljs'
import {mkdtemp, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {SummaryRow} from '../../src/check/summary-row.js'

import {writeFinalReport} from '../../src/check/final-report.js'
import {UserError} from '../../src/errors.js'

type Picked = Pick<SummaryRow, 'Organization' | 'Availability' | 'Division' | 'BoardName' | 'SystemDesc' | 'Model' | 'MlperfModel' | 'Result' | 'Power'>

function row(picked: Picked & Partial<SummaryRow>): SummaryRow {
  return {
    ResultUnit: 'inf./sec.', Accuracy: '90.5', HasPower: picked.Power !== '0', PowerUnit: 'uJ/inf.',
    HostProcessorModelName: 'Arm Cortex-M33', HostProcessorFrequency: '160', HostProcessorMemory: '786 KB SRAM',
    AcceleratorModelName: 'N/A', AcceleratorFrequency: null, AcceleratorMemory: null, HardwareNotes: null,
    InferenceFramework: 'TFLite Micro', SoftwareLibraries: null, SoftwareNotes: null, FalsePositives: null,
    FalseNegatives: null, DutyCycle: null, OfficialRow: true, RecomputedResult: null, RecomputedAccuracy: null,
    RecomputedPower: null, Problems: [], ...picked,
  }
}

const acme = {Organization: 'acme', Availability: 'available', Division: 'closed', BoardName: 'BoardX'} as const
const ROWS: SummaryRow[] = [
  // two systems on one board: one unique id, one ID
  row({...acme, SystemDesc: 'sysX1', Model: 'kws', MlperfModel: 'kws', Result: '20.0', Power: '100.0'}),
  row({...acme, SystemDesc: 'sysX1', Model: 'ic', MlperfModel: 'ic', Result: '8.0', Power: '0'}),
  row({...acme, SystemDesc: 'sysX2', Model: 'kws', MlperfModel: 'kws', Result: '40.0', Power: '0'}),
  row({Organization: 'beta', Availability: 'on-premise', Division: 'closed', BoardName: 'BoardY', SystemDesc: 'sysY',
    Model: 'vww', MlperfModel: 'vww', Result: '4.0', Power: '2000.0'}),
  // listed by tinydata only (the official checker dropped it): not in the report
  row({Organization: 'aaa', Availability: 'available', Division: 'closed', BoardName: 'BoardA', SystemDesc: 'sysA',
    Model: 'ad', MlperfModel: 'ad', Result: '10.0', Power: '0', OfficialRow: false}),
  row({Organization: 'gamma', Availability: 'available', Division: 'open', BoardName: 'BoardZ', SystemDesc: 'sysZ',
    Model: 'RN08', MlperfModel: 'ic', Result: '1000.0', Power: '50.0', Accuracy: '85.5'}),
  row({Organization: 'gamma', Availability: 'available', Division: 'open', BoardName: 'BoardZ', SystemDesc: 'sysZ',
    Model: 'tiny-kws', MlperfModel: 'kws', Result: '0.5', Power: '0', Accuracy: '91.0'}),
]

const SYSTEM_HEADER = [
  'ID', 'Unique ID (e.g. for Audit)', 'ColorKey', 'Submitter', 'Availability', 'SystemDesc', 'BoardName',
  'HostProcessorModelName', 'HostProcessorFrequency', 'HostProcessorMemory', 'AcceleratorModelName',
  'AcceleratorFrequency', 'AcceleratorMemory', 'HardwareNotes', 'InferenceFramework', 'SoftwareLibraries',
  'SoftwareNotes',
]

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tinydata-final-report-'))
})
afterEach(async () => {
  await rm(dir, {recursive: true, force: true})
})

async function written(rows: SummaryRow[], options = {}): Promise<ExcelJS.Workbook> {
  const file = join(dir, 'summary.xlsx')
  await writeFinalReport(file, rows, 'v1.3', options)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(file)
  return workbook
}

/** The values of one row, from column A to `last`. */
function rowValues(sheet: ExcelJS.Worksheet, row: number, last: string): ExcelJS.CellValue[] {
  const end = sheet.getColumn(last).number
  return Array.from({length: end}, (_, index) => sheet.getCell(row, index + 1).value)
}

describe('writeFinalReport', () => {
  it('writes a sheet per division with rows, in the order closed, open', async () => {
    const workbook = await written(ROWS)
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['closed', 'open'])
  })

  it('lays the closed sheet out as the script does: figure and benchmark headers, index names, then one row per system', async () => {
    const sheet = (await written(ROWS)).getWorksheet('closed')!
    // 19 index columns (A..S), then Result × ic, kws, vww and Power × ic, kws, vww; no ad (its row is not official)
    expect(rowValues(sheet, 1, 'Y')).toEqual([...Array(19).fill(null), 'Result', 'Result', 'Result', 'Power', 'Power', 'Power'])
    expect(sheet.getCell('U1').master.address).toBe('T1')
    expect(sheet.getCell('Y1').master.address).toBe('W1')
    expect(rowValues(sheet, 2, 'Y')).toEqual([...Array(18).fill(null), 'Model', 'ic', 'kws', 'vww', 'ic', 'kws', 'vww'])
    expect(rowValues(sheet, 3, 'S')).toEqual([...SYSTEM_HEADER, 'Details', 'Code'])
    expect(sheet.getCell('A3').font.bold).toBe(true)

    // acme's two systems share ID 1.3-0001 (merged down); beta, on-premise made available, is 1.3-0002
    expect(rowValues(sheet, 4, 'I')).toEqual(['1.3-0001', 'closed/acme/BoardX', 'availableacme', 'acme', 'available', 'sysX1', 'BoardX', 'Arm Cortex-M33', 160])
    expect(sheet.getCell('A5').master.address).toBe('A4')
    expect(sheet.getCell('E5').master.address).toBe('E4')
    expect(sheet.getCell('F5').value).toBe('sysX2')
    expect(sheet.getCell('F5').isMerged).toBe(false)
    expect(rowValues(sheet, 6, 'G')).toEqual(['1.3-0002', 'closed/beta/BoardY', 'availablebeta', 'beta', 'available', 'sysY', 'BoardY'])
    expect(sheet.getCell('K4').value).toBeNull() // 'N/A', which pandas reads as missing
    expect(sheet.getCell('R4').value).toEqual({
      formula: 'HYPERLINK("https://github.com/mlcommons/submissions_tiny_v1.3/tree/main/closed/acme/results","details")',
      result: 'details',
    })
    expect((sheet.getCell('S6').value as ExcelJS.CellFormulaValue).formula)
      .toBe('HYPERLINK("https://github.com/mlcommons/submissions_tiny_v1.3/tree/main/closed/beta/code","details")')

    // latency in ms = 1000 / inf./sec.; an energy of 0 left empty
    expect(rowValues(sheet, 4, 'Y').slice(19)).toEqual([125, 50, null, null, 100, null])
    expect(rowValues(sheet, 5, 'Y').slice(19)).toEqual([null, 25, null, null, null, null])
    expect(rowValues(sheet, 6, 'Y').slice(19)).toEqual([null, null, 250, null, null, 2000])
    expect(sheet.getCell('T4').numFmt).toBe('#,##0.00')
    expect(sheet.rowCount).toBe(6)

    expect(sheet.getColumn(2).hidden).toBe(true)
    expect(sheet.getColumn(3).hidden).toBe(true)
    expect(sheet.getColumn(4).hidden).toBe(false)
  })

  it('gives the open sheet a row per model used, with the model and its accuracy in the index', async () => {
    const sheet = (await written(ROWS)).getWorksheet('open')!
    expect(rowValues(sheet, 3, 'U')).toEqual([...SYSTEM_HEADER, 'UsedModel', 'Accuracy', 'Details', 'Code'])
    expect(rowValues(sheet, 2, 'Y').slice(20)).toEqual(['Model', 'ic', 'kws', 'ic', 'kws'])
    expect(rowValues(sheet, 4, 'Y').slice(17)).toEqual(['RN08', 85.5, expect.anything(), expect.anything(), 1, null, 50, null])
    expect(rowValues(sheet, 5, 'Y').slice(17)).toEqual(['tiny-kws', 91, expect.anything(), expect.anything(), null, 2000, null, null])
    expect(rowValues(sheet, 4, 'B')).toEqual(['1.3-0003', 'open/gamma/BoardZ/RN08'])
    expect(rowValues(sheet, 5, 'B')).toEqual(['1.3-0004', 'open/gamma/BoardZ/tiny-kws'])
  })

  it('links into the repository given', async () => {
    const sheet = (await written(ROWS, {repository: 'submissions_tiny_v1.3_rc'})).getWorksheet('open')!
    expect((sheet.getCell('T4').value as ExcelJS.CellFormulaValue).formula)
      .toBe('HYPERLINK("https://github.com/mlcommons/submissions_tiny_v1.3_rc/tree/main/open/gamma/results","details")')
  })

  it('writes one empty sheet when the official checker lists no row', async () => {
    const workbook = await written(ROWS.filter((summary) => !summary.OfficialRow))
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Sheet1'])
    expect(workbook.worksheets[0]!.rowCount).toBe(0)
  })

  it('refuses a file that is not .xlsx in one line naming it, and writes nothing', async () => {
    const file = join(dir, 'report.csv')
    const error = await writeFinalReport(file, ROWS, 'v1.3').then(() => null, (error_: unknown) => error_)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message.startsWith(`${file}: `)).toBe(true)
    expect(await readdir(dir)).toEqual([])
  })
})
