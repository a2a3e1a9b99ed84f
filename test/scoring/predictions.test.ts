import {tableFromIPC} from 'apache-arrow'
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {scoreResultPath, writePredictions} from '../../src/scoring/index.js'
import {erAccuracyLog, folderWith, labelsCsv} from './helpers.js'

async function scored() {
  const folder = folderWith({
    // a comma in the folder name: the CSV must quote the source
    'run 1,2/accuracy/log.txt': erAccuracyLog('vww01', [
      {path: '/d/a b.bin', results: '0.1,0.9'},
      {path: '/d/c.bin', results: '0.7,0.3'},
    ]),
    'y_labels.csv': labelsCsv(2, [['a b.bin', 1], ['c.bin', 1]]),
  })
  return {folder, result: await scoreResultPath(`${folder}/run 1,2/accuracy`, {labels: `${folder}/y_labels.csv`})}
}

describe('--predictions', () => {
  it('writes one Arrow row per scored stimulus with its output and prediction', async () => {
    const {folder, result} = await scored()
    expect(await writePredictions(`${folder}/p.arrow`, [result])).toBe(2)
    const table = tableFromIPC(readFileSync(`${folder}/p.arrow`))
    expect(table.schema.fields.map((field) => `${field.name}: ${field.type}`)).toEqual([
      'source: Utf8', 'file: Utf8', 'label: Int32', 'prediction: Int32', 'correct: Bool', 'windows: Int32',
      'output: List<Float64>',
    ])
    const rows = table.toArray().map((row) => row.toJSON())
    expect(rows.map((row) => [row.file, row.label, row.prediction, row.correct, row.windows])).toEqual([
      ['a b.bin', 1, 1, true, 1], ['c.bin', 1, 0, false, 1],
    ])
    expect([...table.getChild('output')!.get(1)!]).toEqual([0.7, 0.3])
  })

  it('writes CSV when the file name ends in .csv', async () => {
    const {folder, result} = await scored()
    await writePredictions(`${folder}/p.csv`, [result])
    expect(readFileSync(`${folder}/p.csv`, 'utf8')).toBe([
      'source,file,label,prediction,correct,windows,output_0,output_1',
      `"${folder}/run 1,2/accuracy",a b.bin,1,1,true,1,0.1,0.9`,
      `"${folder}/run 1,2/accuracy",c.bin,1,0,false,1,0.7,0.3`,
      '',
    ].join('\n'))
  })

  it('reports an unwritable destination as the user\'s error', async () => {
    const {folder, result} = await scored()
    await expect(writePredictions(`${folder}/no/such/dir/p.arrow`, [result])).rejects.toThrow(UserError)
    await expect(writePredictions(`${folder}/no/such/dir/p.arrow`, [result])).rejects
      .toThrow(`${folder}/no/such/dir/p.arrow: cannot write it: no folder ${folder}/no/such/dir`)
  })
})
