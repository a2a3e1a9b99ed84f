import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {scoreResultPath} from '../../src/scoring/index.js'
import {erAccuracyLog, folderWith, labelsCsv, parseLogText} from './helpers.js'

function parse(text: string) {
  return parseLogText('ER', text)
}

describe('EnergyRunner grammar', () => {
  it('joins each bload to the infer and the outputs that follow it', () => {
    const log = parse(erAccuracyLog('kws01', [
      {path: '/Users/colby/eembc/runner/benchmarks/ulp-mlperf/datasets/kws01/tst_000000_Stop_7.bin', results: '0,1'},
      {path: '/Users/colby/eembc/runner/benchmarks/ulp-mlperf/datasets/kws01/tst_000001_Left_2.bin', results: '1,0'},
    ]))
    expect(log.sessions).toBe(1)
    expect(log.model).toBe('kws01')
    expect(log.config.get('runMode')).toBe('multi')
    expect(log.config.get('version')).toBe('3.0.10')
    expect(log.inferences.map((inference) => [inference.file, inference.measured, inference.outputs]))
      .toEqual([['tst_000000_Stop_7.bin', 1, [[0, 1]]], ['tst_000001_Left_2.bin', 1, [[1, 0]]]])
    expect(log.inferences[0].laps).toEqual([26_189_717, 26_372_701])
  })

  it('reads Windows paths with spaces, AD window offsets and energy-mode bloadp / io dut infer', () => {
    const log = parse([
      '00051.208 parser: Command "bloadp "C:\\Users\\mahdi chtourou\\eembc\\datasets\\ad01\\normal_id_01_00000003_hist_librosa.bin" 0 2560"',
      '00059.178 parser: Command "io dut infer 2500 1"',
      '00059.226 io: [dut]: m-warmup-start-1',
      '00070.641 io: [dut]: m-lap-us-5',
      '00070.642 io: [dut]: m-results-[11.772]',
    ].join('\n'))
    expect(log.inferences).toEqual([{
      file: 'normal_id_01_00000003_hist_librosa.bin', measured: 2500, energyMode: true,
      outputs: [[11.772]], laps: [], printedThroughput: null,
    }])
  })

  it('survives CR inside lines, 6-digit timestamps, ANSI codes and unprefixed continuation lines', () => {
    const log = parse([
      '220850.100 session: m-session-start-id[20220218101414]',
      '220850.102 dut: \rm-model-[vww01]\r',
      '220850.200 parser: Command "bload dut "/data/vww01/000000343218.bin""',
      '220850.300 parser: Command "dut infer 10 1"',
      '220850.301 dut: got ack from dsp',
      'got feature interrupt',
      'm-lap-us-1000',
      '220850.303 dut: \x1b[32mm-lap-us-2000\x1b[0m',
      '220850.304 dut: \rm-results-[0.100,0.900]\r',
    ].join('\r\n'))
    expect(log.model).toBe('vww01')
    expect(log.inferences[0]).toMatchObject({file: '000000343218.bin', measured: 10, laps: [1000, 2000], outputs: [[0.1, 0.9]]})
  })

  it('keeps an infer without a bload (a log that starts mid-run) with no file, and ignores outputs before any infer', () => {
    const log = parse([
      '00264.600 dut: m-results-[1,0]',
      '00264.622 parser: Command "dut infer 1 0"',
      '00264.663 dut: m-results-[0,1]',
    ].join('\n'))
    expect(log.inferences).toHaveLength(1)
    expect(log.inferences[0]).toMatchObject({file: null, outputs: [[0, 1]]})
  })

  it('keeps every m-results of an inference; the join scores the last one', () => {
    const log = parse('00001.000 parser: Command "dut infer 10 1"\n00001.001 dut: m-results-[1,0]\n00001.002 dut: m-results-[0,1]')
    expect(log.inferences[0].outputs).toEqual([[1, 0], [0, 1]])
  })

  it('counts m-results payloads that are not numbers instead of failing', () => {
    const log = parse('00001.000 parser: Command "dut infer 1 0"\n00001.001 dut: m-results-[0.5,garbage]')
    expect(log.unreadableResults).toBe(1)
    expect(log.inferences[0].outputs).toEqual([])
  })
})

describe('scoring an EnergyRunner accuracy folder', () => {
  // log order differs from y_labels order: the join is by file name
  const labels = labelsCsv(2, [
    ['000000003934.bin', 0], ['000000272566.bin', 0], ['000000343218.bin', 1], ['000000332570.bin', 1],
  ])
  const log = erAccuracyLog('vww01', [
    {path: 'C:\\Users\\a b\\eembc\\runner\\benchmarks\\ulp-mlperf\\datasets\\vww01\\000000343218.bin', results: '0.100,0.900'},
    {path: '/home/x y/datasets/vww01/000000332570.bin', results: '0.600,0.400'},
    // a tie: the first maximum (class 0) wins, and class 0 is right
    {path: '/home/x y/datasets/vww01/000000003934.bin', results: '0.500,0.500'},
    {path: '/home/x y/datasets/vww01/000000272566.bin', results: '0.200,0.800'},
  ]).replaceAll('\n', '\r\n')

  it('scores a CRLF log with ties by the first maximum, in the ER convention', async () => {
    const folder = folderWith({'accuracy/log.txt': log, 'y_labels.csv': labels})
    const result = await scoreResultPath(`${folder}/accuracy`, {labels: `${folder}/y_labels.csv`})
    expect(result).toMatchObject({
      runner: 'ER', mode: 'accuracy', convention: 'er', benchmark: 'vww01', runMode: 'multi', labels: 'y_labels.csv',
      filesScored: 4, filesExpected: 4, coverageComplete: true, top1: 50,
    })
    expect(result.printed.top1).toBe('50.0')
    expect(result.confusion).toEqual([[1, 1], [1, 1]])
    expect(result.predictions.map((prediction) => [prediction.file, prediction.prediction])).toEqual([
      ['000000343218.bin', 1], ['000000332570.bin', 0], ['000000003934.bin', 0], ['000000272566.bin', 1],
    ])
  })

  it('reads gzip-compressed logs, *_log.txt names, ignores ._ junk, and takes the last of repeated results lines', async () => {
    const folder = folderWith({
      'accuracy/accuracy_log.txt.gz': gzipSync(log),
      'accuracy/._accuracy_log.txt': Buffer.from([0, 5, 22, 7, 0, 2, 0, 0]),
      'accuracy/accuracy_results.txt': '00100.000 ulp-mlperf: Top-1: 40.0%\n00100.000 ulp-mlperf: Top-1: 50.0%\n'
        + '00100.001 ulp-mlperf: AUC: 0.60\n00100.001 ulp-mlperf: AUC: 0.62\n',
      'y_labels.csv': labels,
    })
    const result = await scoreResultPath(`${folder}/accuracy`, {labels: `${folder}/y_labels.csv`})
    expect(result.log).toBe(`${folder}/accuracy/accuracy_log.txt.gz`)
    expect(result.published).toEqual({top1: '50.0', auc: '0.62', medianIps: null, medianUjPerInference: null})
    expect(result.top1).toBe(50)
  })

  it('scores raw int8 outputs and logits as printed (no dequantisation, no softmax)', async () => {
    const int8 = erAccuracyLog('vww01', [
      {path: '/d/000000343218.bin', results: '3,124'}, {path: '/d/000000332570.bin', results: '0,127'},
      {path: '/d/000000003934.bin', results: '120,7'}, {path: '/d/000000272566.bin', results: '127,0'},
    ])
    const logits = int8.replaceAll('3,124', '-81.5,0.14').replaceAll('120,7', '-2.5,-3.75')
    // int8: every non-zero output is above every threshold in [0, 1]; logits: negative outputs never are
    for (const [text, top1, auc] of [[int8, 100, 0.5], [logits, 100, 0.875]] as const) {
      const folder = folderWith({'accuracy/log.txt': text, 'y_labels.csv': labels})
      const result = await scoreResultPath(`${folder}/accuracy`, {labels: `${folder}/y_labels.csv`})
      expect([result.top1, result.auc, result.aucExact]).toEqual([top1, auc, 1])
    }
  })

  it('anomaly detection: averages the windows of each file, then the best plain accuracy over min…max thresholds', async () => {
    const files = [['n1', [1, 1]], ['n2', [1.5, 2.5]], ['n3', [10]], ['a1', [2, 4]], ['a2', [11]], ['a3', [12]]] as const
    const lines = ['00001.000 session: m-session-start-id[1]', '00001.000 parser: m-bm-cfg-name[ulp-mlperf]-key[runMode]-val[multi]']
    for (const [name, scores] of files) {
      for (const [window, score] of scores.entries()) {
        lines.push(
          `00002.000 parser: Command "bload dut "C:\\data sets\\ad01\\${name}.bin" ${512 * window} 2560"`,
          '00002.100 parser: Command "dut infer 1 0"',
          `00002.200 dut: m-results-[${score.toFixed(3)}]`,
        )
      }
    }
    const folder = folderWith({
      'accuracy/log.txt': lines.join('\n'),
      'y_labels.csv': files.map(([name]) => `${name}.bin,2,${name.startsWith('a') ? 1 : 0},2560,512\n`).join(''),
    })
    const result = await scoreResultPath(`${folder}/accuracy`, {labels: `${folder}/y_labels.csv`})
    // per-file means 1, 2, 10 (normal) and 3, 11, 12 (anomaly): at best 5 of 6 right, a k/N fraction
    expect(result.predictions.map((prediction) => prediction.output[0])).toEqual([1, 2, 10, 3, 11, 12])
    expect(result.printed).toMatchObject({top1: '83.3', auc: '0.89'})
    expect(result.confusion).toEqual([[2, 1], [0, 3]])
  })

  it('can be scored in the PY convention on request', async () => {
    const folder = folderWith({'log.txt': log, 'y_labels.csv': labels})
    const result = await scoreResultPath(`${folder}/log.txt`, {labels: `${folder}/y_labels.csv`, convention: 'py'})
    expect(result.convention).toBe('py')
    expect(result.runner).toBe('ER')
    // the binary AUC of the normalised class-1 column: positives 0.9, 0.4 against negatives 0.5, 0.8
    expect(result.auc).toBe(0.5)
    expect(result.printed.auc).toBe('0.500')
  })
})
