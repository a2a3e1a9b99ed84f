import {describe, expect, it} from 'vitest'

import {scoreResultPath} from '../../src/scoring/index.js'
import {isPythonRunnerLine} from '../../src/scoring/py-log.js'
import {folderWith, labelsCsv, parseLogText, pyAccuracyLog} from './helpers.js'

function parse(text: string) {
  return parseLogText('PY', text)
}

describe('Python-runner grammar', () => {
  it('is told apart from an EnergyRunner log by lines only it writes', () => {
    expect(isPythonRunnerLine('Logging initialized. Writing output to sessions\\x\\log.txt')).toBe(true)
    expect(isPythonRunnerLine('00016.941 session: m-session-start-id[1]')).toBe(false)
    expect(isPythonRunnerLine('00016.942 parser: Command "dut infer 1 0"')).toBe(false)
  })

  it('reads loads, W/N iteration counts (warm-ups first), output lists, throughput and the model', () => {
    const log = parse([
      'Device model retrieved: ic01',
      '0726.005106 ulp-mlperf: Loading file emu_s_002009.bin segment 0',
      'Running inference with 1/70 (warmup/measured) iterations ...',
      '0726.005118 ulp-mlperf:   Throughput   :      6.036 inf./sec.',
      '0726.005118 ulp-mlperf:   m-results    : [0.0, 0.0, 0.621, 0.371]',
      'Throughput: 6.035914206895101 inf./sec.',
    ].join('\r\n'))
    expect(log.model).toBe('ic01')
    expect(log.inferences).toEqual([{
      file: 'emu_s_002009.bin', measured: 70, energyMode: false, outputs: [[0, 0, 0.621, 0.371]],
      laps: [], printedThroughput: 6.036,
    }])
  })

  it('reads the energy-mode capture and the "Energy data for trial" blocks', () => {
    const log = parse([
      '0726.100944 ulp-mlperf: Loading file 000000343218.bin segment 0',
      'Running inference with 1/120 (warmup/measured) iterations ...',
      'Captured samples:101226 timestamps:3',
      'Energy data for trial 0',
      '  Elapsed time  : 10.769999999999996',
      '  Inferences    : 120',
      '  Power         : 33.7134 mW.',
      '  Total Energy  : 363093.430 uJ',
      '  Energy/Inf    : 3025.779 uJ/inf',
    ].join('\n'))
    expect(log.inferences[0].energyMode).toBe(true)
    expect(log.energyTrials).toEqual([{inferences: 120, microjoules: 363_093.43, seconds: 10.769_999_999_999_996}])
  })
})

describe('scoring a Python-runner accuracy folder', () => {
  it('divides each output by its sum and scores the binary AUC of column 1 (VWW), at 3 decimals', async () => {
    const folder = folderWith({
      'accuracy/log.txt': pyAccuracyLog('vww01', [
        {file: 'a.bin', results: '2.0, 8.0'},
        {file: 'b.bin', results: '0.5, 0.4'},
        {file: 'c.bin', results: '0.7, 0.3'},
      ]),
      'y_labels.csv': labelsCsv(2, [['a.bin', 1], ['b.bin', 1], ['c.bin', 0]]),
    })
    const result = await scoreResultPath(`${folder}/accuracy`, {labels: `${folder}/y_labels.csv`})
    expect(result).toMatchObject({runner: 'PY', convention: 'py', mode: 'accuracy', benchmark: 'vww01'})
    // normalised class-1 column: a 0.8, b 0.444…, c 0.3 → positives {0.8, 0.444} both above the negative 0.3
    expect(result.auc).toBe(1)
    expect(result.printed).toMatchObject({top1: '66.7', auc: '1.000'})
    expect(result.predictions[0].output).toEqual([0.2, 0.8])
  })

  it('averages the windows of an anomaly-detection file and scores (precision + recall) / 2', async () => {
    const windows = [
      ['n1.bin', [1, 1]], ['n2.bin', [1.5, 2.5]], ['n3.bin', [10]], ['a1.bin', [2, 4]], ['a2.bin', [11]], ['a3.bin', [12]],
    ] as const
    const folder = folderWith({
      'accuracy/log.txt': pyAccuracyLog('ad01', windows.flatMap(([file, scores]) =>
        scores.map((score, segment) => ({file, segment, results: String(score)})))),
      'y_labels.csv': ['n1', 'n2', 'n3', 'a1', 'a2', 'a3']
        .map((name) => `${name}.bin,2,${name.startsWith('a') ? 1 : 0},2560,512\n`).join(''),
    })
    const result = await scoreResultPath(`${folder}/accuracy`, {labels: `${folder}/y_labels.csv`})
    // per-file means 1, 2, 10 (normal) and 3, 11, 12 (anomaly); best threshold in [2, 3): P = 3/4, R = 1
    expect(result.predictions.map((prediction) => [prediction.windows, prediction.output])).toEqual([
      [2, [1]], [2, [2]], [1, [10]], [2, [3]], [1, [11]], [1, [12]],
    ])
    expect(result.printed.top1).toBe('87.5')
    expect(result.aucExact).toBeCloseTo(8 / 9, 12)
    expect(result.auc).toBeCloseTo(8 / 9, 12)
    expect(result.confusion).toEqual([[2, 1], [0, 3]])
  })
})
