/** `--predictions FILE`: every scored stimulus with its output and prediction, as Arrow (or CSV by extension). */

import {Bool, Field, Float64, Int32, List, Table, tableToIPC, Utf8, vectorFromArray} from 'apache-arrow'
import {extname} from 'node:path'

import type {StimulusPrediction} from './accuracy.js'
import type {ScoreResult} from './types.js'

import {writeFileAtomically} from '../io/atomic-write.js'

/** One scored stimulus, with the result (PATH) it comes from. */
type PredictionRow = StimulusPrediction & {source: string}

/** Writes the predictions of every accuracy result (atomically: a temporary file renamed); returns the row count. */
export async function writePredictions(file: string, results: ScoreResult[]): Promise<number> {
  const rows: PredictionRow[] = results.flatMap((result) => result.predictions.map((prediction) => ({
    source: result.path, ...prediction,
  })))
  const bytes = extname(file).toLowerCase() === '.csv' ? Buffer.from(predictionsCsv(rows)) : predictionsArrow(rows)
  await writeFileAtomically(file, bytes)
  return rows.length
}

function predictionsArrow(rows: PredictionRow[]): Uint8Array {
  const table = new Table({
    source: vectorFromArray(rows.map((row) => row.source), new Utf8()),
    file: vectorFromArray(rows.map((row) => row.file), new Utf8()),
    label: vectorFromArray(rows.map((row) => row.label), new Int32()),
    prediction: vectorFromArray(rows.map((row) => row.prediction), new Int32()),
    correct: vectorFromArray(rows.map((row) => row.correct), new Bool()),
    windows: vectorFromArray(rows.map((row) => row.windows), new Int32()),
    output: vectorFromArray(rows.map((row) => row.output), new List(new Field('item', new Float64(), true))),
  })
  return tableToIPC(table, 'file')
}

/** One column per output (`output_0` …), as wide as the widest output. */
function predictionsCsv(rows: PredictionRow[]): string {
  const width = rows.reduce((widest, row) => Math.max(widest, row.output.length), 0)
  const outputColumns = Array.from({length: width}, (_, index) => `output_${index}`)
  const lines = [['source', 'file', 'label', 'prediction', 'correct', 'windows', ...outputColumns].join(',')]
  for (const row of rows) {
    const outputs = Array.from({length: width}, (_, index) => csvNumber(row.output[index]))
    lines.push([csvText(row.source), csvText(row.file), row.label, row.prediction, row.correct, row.windows, ...outputs]
      .join(','))
  }
  return lines.join('\n') + '\n'
}

function csvText(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

function csvNumber(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '' : String(value)
}
