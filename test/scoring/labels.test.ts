import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {scoreResultPath} from '../../src/scoring/index.js'
import {chooseLabelList, officialLabelLists, readLabelsOption} from '../../src/scoring/labels.js'
import {erAccuracyLog, folderWith} from './helpers.js'

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

describe('--labels', () => {
  it('--labels takes a y_labels.csv or a prepared folder holding one', async () => {
    const folder = folderWith({'vww01/y_labels.csv': readFileSync(new URL('../../manifests/labels/vww01.csv', import.meta.url))})
    expect((await readLabelsOption(`${folder}/vww01`)).classes.size).toBe(1000)
    expect((await readLabelsOption(`${folder}/vww01/y_labels.csv`)).classCount).toBe(2)
    await expect(readLabelsOption(folder)).rejects.toThrow(`${folder}: no y_labels.csv in this folder`)
    await expect(readLabelsOption(`${folder}/nope.csv`)).rejects.toThrow(UserError)
  })
})
