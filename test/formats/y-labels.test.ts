import {describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {formatYLabels, parseYLabels} from '../../src/formats/y-labels.js'

describe('formatYLabels', () => {
  it('writes `file,classes,label` rows with LF endings and no spaces, as the runners read them', () => {
    expect(formatYLabels([{file: 'tst_000000_Stop_7.bin', label: 7}, {file: 'tst_000001_Left_2.bin', label: 2}], 12))
      .toBe('tst_000000_Stop_7.bin,12,7\ntst_000001_Left_2.bin,12,2\n')
    expect(formatYLabels([], 12)).toBe('')
  })

  it('adds ad01\'s window and stride in bytes', () => {
    expect(formatYLabels([{file: 'normal_id_01_00000003_hist_librosa.bin', label: 0}, {file: 'anomaly_id_01_00000013_hist_librosa.bin', label: 1}], 2, {bytes: 2560, strideBytes: 512}))
      .toBe('normal_id_01_00000003_hist_librosa.bin,2,0,2560,512\nanomaly_id_01_00000013_hist_librosa.bin,2,1,2560,512\n')
  })

  it('reads back as written', () => {
    const rows = [{file: 'b.bin', label: 1}, {file: 'a.bin', label: 0}]
    expect(parseYLabels(formatYLabels(rows, 2), 'y.csv')).toEqual({source: 'y.csv', classCount: 2, classes: new Map([['b.bin', 1], ['a.bin', 0]]), fieldsPerRow: 3})
    expect(parseYLabels(formatYLabels(rows, 2, {bytes: 2560, strideBytes: 512}), 'y.csv').fieldsPerRow).toBe(5)
  })
})

describe('parseYLabels', () => {
  it('accepts spaces around fields (kws01-open lists) and AD window columns', () => {
    const list = parseYLabels('tst_000000_Stop_7.bin, 12, 7\ntst_000001_Left_2.bin, 12, 2\n', 'y.csv')
    expect([...list.classes]).toEqual([['tst_000000_Stop_7.bin', 7], ['tst_000001_Left_2.bin', 2]])
    expect(parseYLabels('n.bin,2,0,2560,512\r\na.bin,2,1,2560,512\r\n', 'y.csv').classCount).toBe(2)
  })

  it('collapses repeated rows like the EnergyRunner (GreenWaves: 2000 rows, 1985 files)', () => {
    const list = parseYLabels('a.bin,2,1\nb.bin,2,0\na.bin,2,1\n', 'y.csv')
    expect(list.classes.size).toBe(2)
  })

  it('refuses malformed rows, contradicting repeats and classes out of range, naming the file and line', () => {
    const expectError = (text: string, message: RegExp) => {
      expect(() => parseYLabels(text, '/x/y_labels.csv')).toThrow(UserError)
      expect(() => parseYLabels(text, '/x/y_labels.csv')).toThrow(message)
    }
    expectError('file,classes,label\n', /^\/x\/y_labels.csv: line 1: expected "file,classes,label"/)
    expectError('a.bin,2,1\na.bin,2,0\n', /^\/x\/y_labels.csv: line 2: a.bin is listed again with class 0 \(was 1\)/)
    expectError('a.bin,2,2\n', /line 1: class 2 is not in 0…1/)
    expectError('a.bin,2,1\nb.bin,3,1\n', /line 2: 3 classes, but the first row says 2/)
    expectError('\n\n', /no label rows/)
  })
})
