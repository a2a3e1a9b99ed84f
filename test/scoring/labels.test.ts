import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {scoreResultPath} from '../../src/scoring/index.js'
import {chooseLabelList, officialLabelLists, parseLabelCsv, readLabelsOption} from '../../src/scoring/labels.js'
import {erAccuracyLog, folderWith, labelsCsv} from './helpers.js'

describe('official label lists', () => {
  it('embeds kws01, vww01, both ic01 lists and both ad01 lists', async () => {
    const lists = await officialLabelLists()
    expect(lists.map((list) => [list.name, list.benchmark, list.classes.size, list.classCount])).toEqual([
      ['kws01', 'kws01', 1000, 12], ['vww01', 'vww01', 1000, 2], ['ic01', 'ic01', 200, 10],
      ['ic01_v0.5', 'ic01', 200, 10], ['ad01', 'ad01', 248, 2], ['ad01_alt', 'ad01', 72, 2],
    ])
  })

  it('picks the list by file names: the old ic01 list, or on a tie the smaller list (ad01_alt ⊂ ad01)', async () => {
    const lists = await officialLabelLists()
    const oldIc = ['lippizaner_s_000613.bin', 'toy_spaniel_s_000285.bin', 'felis_domesticus_s_000074.bin']
    expect(chooseLabelList(new Set(oldIc), lists)?.name).toBe('ic01_v0.5')
    expect(chooseLabelList(new Set(['emu_s_002009.bin', 'taxi_s_001241.bin']), lists)?.name).toBe('ic01')
    expect(chooseLabelList(new Set(['normal_id_01_00000003_hist_librosa.bin']), lists)?.name).toBe('ad01_alt')
    expect(chooseLabelList(new Set(['unknown.bin']), lists)).toBeNull()
  })

  it('scores a log on the list its files come from, and flags the coverage of a partial run', async () => {
    const folder = folderWith({
      'accuracy/log.txt': erAccuracyLog('ic01', [
        {path: '/d/ic01/lippizaner_s_000613.bin', results: '0,0,0,0,0,0,0,0.9,0.1,0'},
        {path: '/d/ic01/toy_spaniel_s_000285.bin', results: '0,0,0,0,0,0.8,0,0.2,0,0'},
      ]),
    })
    const result = await scoreResultPath(`${folder}/accuracy`)
    expect(result).toMatchObject({labels: 'ic01_v0.5', filesScored: 2, filesExpected: 200, coverageComplete: false, top1: 100})
    expect(result.warnings[0]).toMatch(/^COVERAGE INCOMPLETE: 2 of 200 stimuli of ic01_v0.5 were scored/)
  })
})

describe('y_labels.csv', () => {
  it('accepts spaces around fields (kws01-open lists) and AD window columns', () => {
    const list = parseLabelCsv('tst_000000_Stop_7.bin, 12, 7\ntst_000001_Left_2.bin, 12, 2\n', 'y.csv', 'y.csv')
    expect([...list.classes]).toEqual([['tst_000000_Stop_7.bin', 7], ['tst_000001_Left_2.bin', 2]])
    expect(parseLabelCsv('n.bin,2,0,2560,512\r\na.bin,2,1,2560,512\r\n', 'y.csv', 'y.csv').classCount).toBe(2)
  })

  it('collapses repeated rows like the EnergyRunner (GreenWaves: 2000 rows, 1985 files)', () => {
    const list = parseLabelCsv(labelsCsv(2, [['a.bin', 1], ['b.bin', 0], ['a.bin', 1]]), 'y.csv', 'y.csv')
    expect(list.classes.size).toBe(2)
  })

  it('refuses malformed rows, contradicting repeats and classes out of range, naming the file and line', () => {
    const expectError = (text: string, message: RegExp) => {
      expect(() => parseLabelCsv(text, '/x/y_labels.csv', 'y')).toThrow(UserError)
      expect(() => parseLabelCsv(text, '/x/y_labels.csv', 'y')).toThrow(message)
    }
    expectError('file,classes,label\n', /^\/x\/y_labels.csv: line 1: expected "file,classes,label"/)
    expectError('a.bin,2,1\na.bin,2,0\n', /^\/x\/y_labels.csv: line 2: a.bin is listed again with class 0 \(was 1\)/)
    expectError('a.bin,2,2\n', /line 1: class 2 is not in 0…1/)
    expectError('a.bin,2,1\nb.bin,3,1\n', /line 2: 3 classes, but the first row says 2/)
    expectError('\n\n', /no label rows/)
  })

  it('--labels takes a y_labels.csv or a prepared folder holding one', async () => {
    const folder = folderWith({'vww01/y_labels.csv': readFileSync(new URL('../../manifests/labels/vww01.csv', import.meta.url))})
    expect((await readLabelsOption(`${folder}/vww01`)).classes.size).toBe(1000)
    expect((await readLabelsOption(`${folder}/vww01/y_labels.csv`)).classCount).toBe(2)
    await expect(readLabelsOption(folder)).rejects.toThrow(`${folder}: no y_labels.csv in this folder`)
    await expect(readLabelsOption(`${folder}/nope.csv`)).rejects.toThrow(UserError)
  })
})
