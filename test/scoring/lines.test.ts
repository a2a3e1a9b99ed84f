import {describe, expect, it} from 'vitest'

import {cleanLogLine, fileNameOf, parseOutputList, type PrefixedRecord, prefixedRecordReader} from '../../src/scoring/lines.js'

describe('cleanLogLine', () => {
  it('removes CRLF line ends, CRs inside lines (Andes) and ANSI colour codes (Skymizer)', () => {
    expect(cleanLogLine('00001.000 dut: \rm-results-[0.1,0.9]\r')).toBe('00001.000 dut: m-results-[0.1,0.9]')
    expect(cleanLogLine('00001.001 dut: Done inference ...\x1b[32mOK\x1b[0m\r')).toBe('00001.001 dut: Done inference ...OK')
  })
})

function prefixedRecords(text: string): PrefixedRecord[] {
  const read = prefixedRecordReader()
  return text.split('\n').flatMap((line) => read(line) ?? [])
}

describe('prefixedRecordReader', () => {
  it('reads timestamps of any width', () => {
    const records = prefixedRecords('00016.941 session: start\n220850.455 dut: m-ready\n1.5 io: x')
    expect(records.map((record) => [record.source, record.message])).toEqual([
      ['session', 'start'], ['dut', 'm-ready'], ['io', 'x'],
    ])
  })

  it('gives an unprefixed line to the previous source, and skips blank lines and a headless start', () => {
    const text = 'orphan line\n03628.166 dut: got ack from dsp\ngot feature interrupt\n\nm-lap-us-676537201\n03628.167 parser: x'
    expect(prefixedRecords(text)).toEqual([
      {source: 'dut', message: 'got ack from dsp'},
      {source: 'dut', message: 'got feature interrupt'},
      {source: 'dut', message: 'm-lap-us-676537201'},
      {source: 'parser', message: 'x'},
    ])
  })

  it('keeps a message that itself holds colons (io: [dut]: …)', () => {
    expect(prefixedRecords('00059.226 io: [dut]: m-results-[1.5]')[0]).toMatchObject({
      source: 'io', message: '[dut]: m-results-[1.5]',
    })
  })
})

describe('fileNameOf', () => {
  it('takes the last component of Windows and POSIX paths, spaces included', () => {
    expect(fileNameOf('C:\\Users\\mahdi chtourou\\eembc\\datasets\\ad01\\normal_id_01_00000003_hist_librosa.bin'))
      .toBe('normal_id_01_00000003_hist_librosa.bin')
    expect(fileNameOf('/Users/some one/eembc/runner/kws01/tst_000000_Stop_7.bin')).toBe('tst_000000_Stop_7.bin')
    expect(fileNameOf('C:/mixed\\style/x y.bin')).toBe('x y.bin')
    expect(fileNameOf(' emu_s_002009.bin ')).toBe('emu_s_002009.bin')
  })
})

describe('parseOutputList', () => {
  it('reads both runners\' lists: 3-decimal floats, Python reprs, AD scores', () => {
    expect(parseOutputList('0.000,0.996,0.004')).toEqual([0, 0.996, 0.004])
    expect(parseOutputList('0.0, 0.996, 0.004')).toEqual([0, 0.996, 0.004])
    expect(parseOutputList('11.772')).toEqual([11.772])
  })

  it('keeps raw int8 outputs and negative logits as printed', () => {
    expect(parseOutputList('0,0,0,0,0,124,0,62,0,0')).toEqual([0, 0, 0, 0, 0, 124, 0, 62, 0, 0])
    expect(parseOutputList('-81.25,0.14,-3e-2')).toEqual([-81.25, 0.14, -0.03])
  })

  it('accepts what Python float() accepts, skips empty elements, and refuses words', () => {
    expect(parseOutputList('nan, inf, -inf')).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
    expect(parseOutputList('1,2,')).toEqual([1, 2])
    expect(parseOutputList('')).toEqual([])
    expect(parseOutputList('0.5,abc')).toBeNull()
  })
})
