import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {scoreResultPath} from '../../src/scoring/index.js'
import {lapWindows} from '../../src/scoring/windows.js'
import {type ErWindow, erPerformanceLog, folderWith} from './helpers.js'

function inference(laps: number[], measured: number) {
  return {file: 'x.bin', measured, energyMode: false, outputs: [], laps, printedThroughput: null}
}

/** Five windows of `measured` inferences taking the given seconds each. */
function windows(measured: number, seconds: number[]): ErWindow[] {
  return seconds.map((duration, index) => ({
    file: `normal_id_01_0000000${index}_hist_librosa.bin`, measured, warmups: 1,
    lapStart: 1_000_000, lapEnd: 1_000_000 + Math.round(duration * 1e6),
  }))
}

describe('performance', () => {
  it('throughput = measured inferences / lap time; warm-ups are not counted', () => {
    expect(lapWindows([inference([100, 1_000_100], 10)])[0]).toMatchObject({seconds: 1, inferencesPerSecond: 10})
  })

  it('adds back the wrap of the 32-bit microsecond counter', () => {
    expect(lapWindows([inference([2 ** 32 - 500_000, 500_000], 10)])[0].inferencesPerSecond).toBe(10)
  })

  it('ER: the median over the five windows', async () => {
    const folder = folderWith({'performance/log.txt': erPerformanceLog('ad01', 'bmark', windows(2500, [11, 10.5, 12, 10.9, 11.2]))})
    const result = await scoreResultPath(`${folder}/performance`)
    expect(result).toMatchObject({mode: 'performance', runMode: 'bmark', benchmark: 'ad01', filesScored: 5, coverageComplete: true})
    expect(result.medianIps).toBe(2500 / 11)
    expect(result.printed.medianIps).toBe('227.273')
    expect(result.warnings).toEqual([])
  })

  it('the median of an even count is the mean of the middle two, and a short run is flagged', async () => {
    const folder = folderWith({'performance/log.txt': erPerformanceLog('ad01', 'bmark', windows(2500, [10, 12.5, 20, 25]))})
    const result = await scoreResultPath(`${folder}/performance`)
    expect(result.medianIps).toBe((2500 / 12.5 + 2500 / 20) / 2)
    expect(result.coverageComplete).toBe(false)
    expect(result.warnings).toEqual(['4 window(s), not 5: the median is over 4'])
  })

  it('flags windows under 10 s and a runMode=single debug session', async () => {
    const folder = folderWith({'performance/log.txt': erPerformanceLog('kws01', 'single', windows(5, [2]).slice(0, 1))})
    const result = await scoreResultPath(`${folder}/performance`)
    expect(result.runMode).toBe('single')
    expect(result.medianIps).toBe(2.5)
    expect(result.warnings[0]).toMatch(/^runMode=single: a one-window debug session/)
    expect(result.warnings).toContain('1 of 1 window(s) ran less than 10 s (shortest 2.000 s): the runners call such a run invalid')
    expect(result.warnings).toContain('1 of 1 window(s) ran fewer than 10 inferences: the runners call such a run invalid')
  })

  it('PY: iterations / elapsed time from results.json, else the Throughput lines of the log', async () => {
    const log = [
      'Logging initialized. Writing output to sessions\\1\\log.txt',
      'Device model retrieved: kws01',
      ...[23.032, 23.031, 23.035, 23.029, 23.033].flatMap((throughput, index) => [
        `0726.005106 ulp-mlperf: Loading file tst_00000${index}_Stop_7.bin segment 0`,
        'Running inference with 1/250 (warmup/measured) iterations ...',
        `0726.005118 ulp-mlperf:   Throughput   :     ${throughput} inf./sec.`,
      ]),
    ].join('\r\n')
    const records = [10.854_6, 10.855, 10.86, 10.8, 10.9].map((seconds, index) => ({
      file: `tst_00000${index}_Stop_7.bin`, infer: {elapsed_time: seconds * 1e6, iterations: 250, warmups: 1}, mode: 'p',
    }))
    const withJson = folderWith({'performance/log.txt': log, 'performance/results.json.gz': gzipSync(JSON.stringify(records))})
    expect((await scoreResultPath(`${withJson}/performance`)).medianIps).toBeCloseTo(250 / 10.855, 9)
    const logOnly = folderWith({'performance/log.txt': log})
    expect((await scoreResultPath(`${logOnly}/performance`)).medianIps).toBe(23.032)
  })
})

/** An EMON trace: tag 0xF1, float32 rate, float32 samples in mW. */
function trace(rate: number, samples: number[]): Buffer {
  const bytes = Buffer.alloc(5 + 4 * samples.length)
  bytes[0] = 0xf1
  bytes.writeFloatLE(rate, 1)
  for (const [index, sample] of samples.entries()) bytes.writeFloatLE(sample, 5 + 4 * index)
  return bytes
}

function erEnergyLog(measured: number[]): string {
  return [
    '00049.401 session: m-session-start-id[20220218101414]',
    '00049.401 parser: m-bmark-run-name[ML Energy 1.0.1]-code[ulp-ml]',
    '00050.137 io: [dut]: m-model-[ad01]',
    ...measured.flatMap((count, index) => [
      `00051.208 parser: Command "bloadp "C:\\Users\\a b\\datasets\\ad01\\normal_id_01_0000000${index}_hist_librosa.bin" 0 2560"`,
      `00059.178 parser: Command "io dut infer ${count} 1"`,
      '00059.254 io: [dut]: m-infer-start-2500',
      '00070.641 io: [dut]: m-infer-done',
    ]),
  ].join('\n')
}

describe('energy', () => {
  it('ER: sums the trace samples after each start stamp up to its end stamp, per measured inference', async () => {
    // sample k is k mW at 1 kHz, so k µJ; windows (10, 20] and (30, 50] ms; an incomplete last pair is dropped
    const folder = folderWith({
      'energy/log.txt': erEnergyLog([5, 10, 10]),
      'energy/trace1-energy.bin.gz': gzipSync(trace(1000, Array.from({length: 100}, (_, k) => k))),
      'energy/trace1-timestamps.json': JSON.stringify([0.001, 0.01, 0.02, 0.03, 0.05, 0.07]),
    })
    const result = await scoreResultPath(`${folder}/energy`)
    expect(result).toMatchObject({mode: 'energy', runner: 'ER', benchmark: 'ad01'})
    expect(result.windows.map((window) => [window.inferences, window.microjoules, window.microjoulesPerInference]))
      .toEqual([[5, 155, 31], [10, 810, 81]])
    expect(result.medianUjPerInference).toBe(56)
    expect(result.printed.medianUjPerInference).toBe('56.000')
  })

  it('ER: without the trace the energy is not recomputed but flagged', async () => {
    const folder = folderWith({
      'energy/log.txt': erEnergyLog([5, 10]),
      'energy/results.txt': '00149.607 ulp-ml: Median energy cost is 324.088 uJ/inf.\n',
    })
    const result = await scoreResultPath(`${folder}/energy`)
    expect(result.medianUjPerInference).toBeNull()
    expect(result.published.medianUjPerInference).toBe('324.088')
    expect(result.warnings[0]).toMatch(/^ENERGY NOT RECOMPUTABLE: trace1-energy.bin and trace1-timestamps.json missing/)
  })

  it('PY: joules between the last two monitor events of results.json, else the log\'s trial totals', async () => {
    const log = [
      'Logging initialized. Writing output to sessions\\1\\log.txt',
      'Device model retrieved: vww01',
      '0726.100944 ulp-mlperf: Loading file 000000343218.bin segment 0',
      'Running inference with 1/2 (warmup/measured) iterations ...',
      'Captured samples:12 timestamps:3',
      ...[[363_093.43, 120], [363_233.95, 120], [364_196.14, 120]].flatMap(([total, count], trial) => [
        `Energy data for trial ${trial}`, '  Elapsed time  : 10.77', `  Inferences    : ${count}`,
        `  Total Energy  : ${total.toFixed(3)} uJ`,
      ]),
    ].join('\r\n')
    const record = {
      file: '000000343218.bin',
      infer: {iterations: 2, warmups: 1},
      // joules; the events are [counter, sample index]: the first of three is a leading extra one
      power: {samples: Array.from({length: 12}, (_, k) => k * 1e-6), timestamps: [['00', 2], ['01', 5], ['02', 9]]},
    }
    const withJson = folderWith({'energy/log.txt': log, 'energy/results.json': JSON.stringify([record])})
    const fromJson = await scoreResultPath(`${withJson}/energy`)
    expect(fromJson.windows[0].seconds).toBe(0.004)
    expect(fromJson.medianUjPerInference).toBeCloseTo((5 + 6 + 7 + 8) / 2, 9)
    const logOnly = folderWith({'energy/log.txt': log})
    const fromLog = await scoreResultPath(`${logOnly}/energy`)
    expect(fromLog.medianUjPerInference).toBe(363_233.95 / 120)
    expect(fromLog.printed.medianUjPerInference).toBe('3026.9496')
  })
})
