import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {formatResults, GoldenLogWriter} from '../../src/inference/golden-log.js'
import {scoreReportHtml} from '../../src/report/index.js'
import {compareWithGolden} from '../../src/scoring/against.js'
import {scoreResultPath} from '../../src/scoring/index.js'

describe('formatResults: m-results as each reference firmware prints them', () => {
  it('vww01 prints "%f," after every value, exact binary ties to even as C printf does', () => {
    // The v0.5 reference log has m-results-[0.023438,0.976563,]: that board's printf rounded the tie 0.9765625 up.
    expect(formatResults('vww01', [6 / 256, 250 / 256])).toBe('0.023438,0.976562,')
  })

  it('kws01 prints %0.3f, exact binary ties to even as C printf does', () => {
    expect(formatResults('kws01', [16 / 256, 255 / 256, 0])).toBe('0.062,0.996,0.000')
  })

  it('ic01 prints %f; ad01 one %0.3f score', () => {
    expect(formatResults('ic01', [1 / 256, 0])).toBe('0.003906,0.000000')
    expect(formatResults('ad01', [12.34567])).toBe('12.346')
  })
})

/** A golden log of four ic01 stimuli (labels 0, 1, 2, 3) whose outputs point at classes 0, 1, 2 and 9. */
function icLog(outputsFor: (label: number) => number[]): string {
  const log = new GoldenLogWriter({benchmark: 'ic01', stimuliDir: '/data/ic01', model: 'm.tflite', tinydataVersion: '0.0.0'})
  for (const label of [0, 1, 2, 3]) log.inference({file: `img_${label}.bin`, outputs: outputsFor(label), microseconds: 1500})
  return log.text()
}

function oneHot(cls: number, value = 0.99609375): number[] {
  return Array.from({length: 10}, (_, index) => (index === cls ? value : 0))
}

async function folderWithLogs(logs: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tinydata-golden-'))
  await writeFile(join(dir, 'y_labels.csv'), [0, 1, 2, 3].map((label) => `img_${label}.bin,10,${label}\n`).join(''))
  for (const [name, text] of Object.entries(logs)) await writeFile(join(dir, name), text)
  return dir
}

describe('GoldenLogWriter: an EnergyRunner accuracy log that score reads', () => {
  it('scores like a device log: Top-1 from the printed outputs, one inference per stimulus', async () => {
    const dir = await folderWithLogs({'golden_log.txt': icLog((label) => oneHot(label === 3 ? 9 : label))})
    const result = await scoreResultPath(join(dir, 'golden_log.txt'), {labels: join(dir, 'y_labels.csv')})
    expect(result).toMatchObject({runner: 'ER', mode: 'accuracy', benchmark: 'ic01', filesScored: 4, top1: 75})
    // Only the classes this 4-stimulus list lacks are worth a warning: the log itself is a whole, clean session.
    expect(result.warnings).toEqual(['6 class(es) of y_labels.csv have no scored stimulus: the AUC is undefined'])
    expect(result.predictions.map((prediction) => prediction.prediction)).toEqual([0, 1, 2, 9])
  })

  it('writes ad01 windows as bload with offset and length', () => {
    const log = new GoldenLogWriter({benchmark: 'ad01', stimuliDir: '/data/ad01', model: 'ad.tflite', tinydataVersion: '0.0.0'})
    log.inference({file: 'normal_id_01_00000003_hist_librosa.bin', window: {offset: 512, length: 2560}, outputs: [1.5], microseconds: 40})
    expect(log.text()).toContain('parser: Command "bload dut "/data/ad01/normal_id_01_00000003_hist_librosa.bin" 512 2560"')
    expect(log.text()).toContain('dut: m-results-[1.500]')
  })
})

describe('compareWithGolden (score --against)', () => {
  it('finds exactly the stimuli whose outputs were altered, with the largest difference', async () => {
    const golden = icLog((label) => oneHot(label))
    // The device agrees on img_0 and img_3 (img_3 only by a small output difference), flips img_1 and img_2.
    const device = icLog((label) => (label === 1 ? oneHot(5) : label === 2 ? oneHot(7, 0.5) : oneHot(label, label === 3 ? 0.98 : 0.99609375)))
    const dir = await folderWithLogs({'golden_log.txt': golden, 'device_log.txt': device})
    const labels = join(dir, 'y_labels.csv')
    const result = compareWithGolden(
      await scoreResultPath(join(dir, 'device_log.txt'), {labels}),
      await scoreResultPath(join(dir, 'golden_log.txt'), {labels}),
    )
    expect(result).toMatchObject({compared: 4, agreeing: 2, agreement: 50, deviceTop1: 50, goldenTop1: 100, onlyInDevice: [], onlyInGolden: []})
    expect(result.disagreements.map((stimulus) => [stimulus.file, stimulus.devicePrediction, stimulus.goldenPrediction]))
      .toEqual([['img_1.bin', 5, 1], ['img_2.bin', 7, 2]])
    expect(result.disagreements[0].maxDifference).toBeCloseTo(0.996094, 6)
    expect(result.stimuli.find((stimulus) => stimulus.file === 'img_3.bin')!.maxDifference).toBeCloseTo(0.016094, 6)
  })

  it('--report puts the comparison in the device\'s section: the figures and each disagreement', async () => {
    const dir = await folderWithLogs({'golden_log.txt': icLog((label) => oneHot(label)), 'device_log.txt': icLog((label) => oneHot(label === 2 ? 4 : label))})
    const labels = join(dir, 'y_labels.csv')
    const device = await scoreResultPath(join(dir, 'device_log.txt'), {labels})
    const against = compareWithGolden(device, await scoreResultPath(join(dir, 'golden_log.txt'), {labels}))
    const html = await scoreReportHtml([device], {labels, against})
    expect(html).toContain('<h3>Against the golden run (1 disagreement)</h3>')
    expect(html).toContain('<tr><th>agreement</th><td>3 of 4 predictions (75.0 %)</td></tr>')
    // img_2: labelled bird, the device says deer, the golden run bird.
    expect(html).toMatch(/<tr><td>img_2\.bin<\/td><td>bird<\/td><td>deer<\/td><td>bird<\/td><td class="number">0\.9961<\/td>/)
    expect(await scoreReportHtml([device], {labels})).not.toContain('Against the golden run')
  })
})

describe('compareWithGolden on ad01: one score per window, averaged per file', () => {
  const files = ['normal_id_01_00000003_hist_librosa.bin', 'normal_id_01_00000013_hist_librosa.bin',
    'anomaly_id_01_00000003_hist_librosa.bin', 'anomaly_id_01_00000013_hist_librosa.bin']

  function adLog(scores: number[][]): string {
    const log = new GoldenLogWriter({benchmark: 'ad01', stimuliDir: '/data/ad01', model: 'ad.tflite', tinydataVersion: '0.0.0'})
    for (const [index, file] of files.entries()) {
      for (const [window, score] of scores[index].entries()) {
        log.inference({file, window: {offset: window * 512, length: 2560}, outputs: [score], microseconds: 40})
      }
    }
    return log.text()
  }

  it('agrees where each run puts a file on the same side of its own threshold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tinydata-golden-ad-'))
    await writeFile(join(dir, 'y_labels.csv'), files.map((file) => `${file},2,${file.startsWith('anomaly') ? 1 : 0},2560,512\n`).join(''))
    // Per-file means: golden 1, 2, 5, 6 (every file right); device 1, 2, 5, 0.5 (the last anomaly missed).
    await writeFile(join(dir, 'golden_log.txt'), adLog([[0.5, 1.5], [2, 2], [4, 6], [6, 6]]))
    await writeFile(join(dir, 'device_log.txt'), adLog([[1, 1], [2, 2], [5, 5], [0, 1]]))
    const labels = join(dir, 'y_labels.csv')
    const golden = await scoreResultPath(join(dir, 'golden_log.txt'), {labels})
    expect(golden.predictions.map((prediction) => [prediction.windows, prediction.output[0]])).toEqual([[2, 1], [2, 2], [2, 5], [2, 6]])
    const result = compareWithGolden(await scoreResultPath(join(dir, 'device_log.txt'), {labels}), golden)
    expect(result).toMatchObject({compared: 4, agreeing: 3, goldenTop1: 100, deviceTop1: 75})
    expect(result.disagreements.map((stimulus) => [stimulus.file, stimulus.devicePrediction, stimulus.goldenPrediction, stimulus.maxDifference]))
      .toEqual([[files[3], 0, 1, 5.5]])
  })
})
