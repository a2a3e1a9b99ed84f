/** `tinydata score --report`: the HTML page, its ROC math, its self-containment and escaping, and the CLI errors. */

import {existsSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {ic01} from '../datasets/ic01.js'
import {kws01} from '../datasets/kws01.js'
import {GoldenLogWriter} from '../src/inference/golden-log.js'
import {prepareKws} from '../src/prepare/kws.js'
import {stimulusPreviewPng} from '../src/preview/index.js'
import {scoreReportHtml, writeScoreReport} from '../src/report/index.js'
import {classNames} from '../src/report/class-names.js'
import {cornerPoints, rocFigure, rocPoints} from '../src/report/roc.js'
import {type ScoreResult, scoreResultPath} from '../src/scoring/index.js'
import {HAS_BUILT_CLI, expectOneLineError, tinydata} from './helpers/cli.js'
import {REPO_ROOT, SHARED, skipMessage} from './helpers/archives.js'
import {erAccuracyLog, erPerformanceLog, folderWith, labelsCsv} from './scoring/helpers.js'

const TINY_VWW = join(REPO_ROOT, 'test/fixtures/logs/er-vww-tiny')
const LOGS = join(SHARED, 'fixtures/logs')
const KWS_V05 = join(LOGS, 'tiny_results_v0.5/closed/reference/results/Nucleo-L4R5ZI/kws/accuracy')
const PY_VWW = join(LOGS, 'tiny_results_v1.3/closed/STMicroelectronics/results/NUCLEO_L4R5ZI-P/vww/accuracy')
const PY_IC = join(LOGS, 'tiny_results_v1.3/closed/STMicroelectronics/results/NUCLEO_L4R5ZI-P/ic/accuracy')
const AD_STIMULI = join(SHARED, 'fixtures/ad01/official')
const HAS_LOGS = existsSync(KWS_V05) && existsSync(PY_VWW) && existsSync(PY_IC)
const HAS_AD_STIMULI = existsSync(AD_STIMULI)
if (!HAS_LOGS) console.warn(skipMessage('the report tests on published logs'))
if (!HAS_AD_STIMULI) console.warn(skipMessage('the report test with ad01 previews'))

const scoreTinyVww = () => scoreResultPath(join(TINY_VWW, 'accuracy'), {labels: join(TINY_VWW, 'y_labels.csv')})

/** Four stimuli of three classes: two misclassified (c as class 0, d as class 2). Curves worked out by hand below. */
async function scoreThreeClasses(): Promise<ScoreResult> {
  const outputs: [string, number, string][] = [
    ['a.bin', 0, '0.7,0.2,0.1'], ['b.bin', 1, '0.3,0.6,0.1'], ['c.bin', 2, '0.5,0.1,0.4'], ['d.bin', 0, '0.2,0.3,0.5'],
  ]
  const folder = folderWith({
    'accuracy/log.txt': erAccuracyLog('ic01', outputs.map(([file, , results]) => ({path: `/d/${file}`, results}))),
    'y_labels.csv': labelsCsv(3, outputs.map(([file, label]) => [file, label])),
  })
  return scoreResultPath(join(folder, 'accuracy'), {labels: join(folder, 'y_labels.csv')})
}

/** An ER ad01 session on official file names: normals score 1, 2, 10 and anomalies 3, 11, 12 (one normal too high). */
const AD_FILES: [string, number, number][] = [
  ['normal_id_01_00000003_hist_librosa.bin', 0, 1], ['normal_id_01_00000013_hist_librosa.bin', 0, 2],
  ['normal_id_01_00000023_hist_librosa.bin', 0, 10], ['anomaly_id_01_00000003_hist_librosa.bin', 1, 3],
  ['anomaly_id_01_00000013_hist_librosa.bin', 1, 11], ['anomaly_id_01_00000023_hist_librosa.bin', 1, 12],
]

async function scoreAd(): Promise<ScoreResult> {
  const lines = ['00001.000 session: m-session-start-id[1]', '00001.000 parser: m-bm-cfg-name[ulp-mlperf]-key[runMode]-val[multi]',
    '00001.000 dut: m-model-[ad01]']
  for (const [file, , score] of AD_FILES) {
    lines.push(
      `00002.000 parser: Command "bload dut "C:\\data\\ad01\\${file}" 0 2560"`,
      '00002.100 parser: Command "dut infer 1 0"',
      `00002.200 dut: m-results-[${score.toFixed(3)}]`,
    )
  }
  const folder = folderWith({
    'accuracy/log.txt': lines.join('\n'),
    'y_labels.csv': AD_FILES.map(([file, label]) => `${file},2,${label},2560,512\n`).join(''),
  })
  return scoreResultPath(join(folder, 'accuracy'), {labels: join(folder, 'y_labels.csv')})
}

/** Every `src=` and `href=` value: a self-contained page has data: sources and in-page anchors only. */
function references(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)].map((match) => match[1])
}

function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/https?:/i)
  // url(#id) names an element of the page itself (a clip path); any other url( would load something.
  expect(html).not.toMatch(/<script|<link|<iframe|<object|@import|url\((?!#)/i)
  for (const reference of references(html)) expect(reference).toMatch(/^(data:image\/png;base64,|#)/)
}

/** Trapezoids under a curve whose points go left to right: what the legend's AUC must equal, for the curve drawn. */
function areaUnder(points: readonly {fpr: number; tpr: number}[]): number {
  let area = 0
  for (let index = 1; index < points.length; index++) area += ((points[index].fpr - points[index - 1].fpr) * (points[index].tpr + points[index - 1].tpr)) / 2
  return area
}

describe('class names', () => {
  it('of a model run on another benchmark\'s stimuli are its stimuli\'s (ic02 → ic01); sww01 and unknown ids keep numbers', () => {
    expect(classNames('ic02', 10)).toEqual([...ic01.classNames])
    expect(classNames('ic01', 10)).toEqual([...ic01.classNames])
    expect(classNames('sww01', 3)).toEqual(['class 0', 'class 1', 'class 2'])
    expect(classNames('my_model', 2)).toEqual(['class 0', 'class 1'])
  })
})

describe('ROC curves', () => {
  it('has one point per distinct score, highest first (sklearn roc_curve)', () => {
    const points = rocPoints([0.1, 0.4, 0.35, 0.8], [false, false, true, true])
    expect(points).toEqual([
      {fpr: 0, tpr: 0}, {fpr: 0, tpr: 0.5}, {fpr: 0.5, tpr: 0.5}, {fpr: 0.5, tpr: 1}, {fpr: 1, tpr: 1},
    ])
    expect(areaUnder(points!)).toBe(0.75)
  })

  it('moves tied scores in one diagonal step, which counts a tie one half', () => {
    const points = rocPoints([0.5, 0.5, 0.2], [true, false, false])!
    expect(points).toEqual([{fpr: 0, tpr: 0}, {fpr: 0.5, tpr: 1}, {fpr: 1, tpr: 1}])
    expect(areaUnder(points)).toBe(0.75)
  })

  it('is undefined without positives, without negatives, or with a NaN score', () => {
    expect(rocPoints([0.1, 0.2], [true, true])).toBeNull()
    expect(rocPoints([0.1, 0.2], [false, false])).toBeNull()
    expect(rocPoints([0.1, Number.NaN], [true, false])).toBeNull()
  })

  it('keeps the corners only: the middle of a straight run draws nothing', () => {
    const points = [{fpr: 0, tpr: 0}, {fpr: 0, tpr: 0.5}, {fpr: 0, tpr: 1}, {fpr: 0.5, tpr: 1}, {fpr: 1, tpr: 1}]
    expect(cornerPoints(points)).toEqual([{fpr: 0, tpr: 0}, {fpr: 0, tpr: 1}, {fpr: 1, tpr: 1}])
  })

  it('one-vs-rest per class of a classifier, from the scored outputs, worked out by hand', async () => {
    const result = await scoreThreeClasses()
    const figure = rocFigure(result)!
    expect(figure.kind).toBe('one-vs-rest')
    // class 0: column 0 = a 0.7 (P), c 0.5, b 0.3, d 0.2 (P)
    expect(figure.curves[0].points).toEqual([
      {fpr: 0, tpr: 0}, {fpr: 0, tpr: 0.5}, {fpr: 0.5, tpr: 0.5}, {fpr: 1, tpr: 0.5}, {fpr: 1, tpr: 1},
    ])
    // class 2: column 2 = d 0.5, c 0.4 (P), then a and b tied at 0.1
    expect(figure.curves[2].points).toEqual([{fpr: 0, tpr: 0}, {fpr: 1 / 3, tpr: 0}, {fpr: 1 / 3, tpr: 1}, {fpr: 1, tpr: 1}])
    expect(figure.curves[0].auc).toBe(0.5)
    expect(figure.curves[1].auc).toBe(1)
    expect(figure.curves[2].auc).toBeCloseTo(2 / 3, 15)
    for (const curve of figure.curves) expect(curve.auc).toBeCloseTo(areaUnder(curve.points), 15)
    // their mean is the macro AUC that score reports as the exact AUC
    expect(result.aucExact).toBeCloseTo((0.5 + 1 + 2 / 3) / 3, 12)
  })

  it('binary for AD (the score) and VWW (column 1), with the exact AUC of the result', async () => {
    const ad = rocFigure(await scoreAd())!
    expect(ad.kind).toBe('binary')
    // anomalies 12, 11, then normal 10, anomaly 3, normals 2, 1
    expect(ad.curves[0].points).toEqual([
      {fpr: 0, tpr: 0}, {fpr: 0, tpr: 1 / 3}, {fpr: 0, tpr: 2 / 3}, {fpr: 1 / 3, tpr: 2 / 3}, {fpr: 1 / 3, tpr: 1},
      {fpr: 2 / 3, tpr: 1}, {fpr: 1, tpr: 1},
    ])
    expect(ad.curves[0].auc).toBeCloseTo(8 / 9, 12)
    const vww = await scoreTinyVww()
    expect(rocFigure(vww)!.curves[0].auc).toBe(vww.aucExact) // one computation for the legend and the figure
  })
})

describe('scoreReportHtml', () => {
  it('holds the summary, the figures beside the published ones, per-class accuracy and the confusion matrix', async () => {
    const html = await scoreReportHtml([await scoreTinyVww()])
    expect(html).toMatch(/^<!DOCTYPE html>/)
    expect(html).toMatch(/<th>Top-1 %<\/th><td class="number">66\.7<\/td><td class="number">66\.7<\/td>/)
    expect(html).toMatch(/<th>AUC \(ER\)<\/th><td class="number">0\.78<\/td><td class="number">0\.78<\/td>/)
    expect(html).toContain('<th>scored</th><td>6 of 6 stimuli</td>')
    expect(html).toContain('<th>benchmark</th><td>vww01</td>')
    expect(html).toContain('No warnings.')
    // vww01's class names, a bar per class, the 2 × 2 matrix
    expect(html).toContain('<td>non_person</td><td class="number">3</td><td class="number">2</td><td class="number">66.7</td>')
    expect(html).toContain('aria-label="accuracy per class"')
    expect(html.match(/<td class="diagonal"[^>]*>2<\/td>/g)).toHaveLength(2)
    expect(html).toMatch(/title="true person, predicted non_person: 1 \(33\.3 % of person\)">1<\/td>/)
    expectSelfContained(html)
  })

  it('draws the ROC with axes, ticks and the AUC in the legend', async () => {
    const result = await scoreThreeClasses()
    const html = await scoreReportHtml([result])
    // a user's 3-class list under an ic01 model: numbers, not CIFAR names that would mislead
    expect(html).toContain('class 2 · AUC 0.6667')
    expect(html).toContain('class 0 · AUC 0.5000')
    expect(html).toContain('macro AUC 0.7222')
    expect(html.match(/<polyline /g)).toHaveLength(3)
    expect(html).toContain('>false positive rate</text>')
    expect(html).toContain('>true positive rate</text>')
    expect(html).toContain('>0.6</text>')
    const ad = await scoreReportHtml([await scoreAd()])
    expect(ad).toContain('anomaly score · AUC 0.8889')
    expect(ad).toContain('Top-1 % (AD best threshold)')
    expect(ad).toMatch(/score 10, threshold [\d.]+/)
  })

  it('lists the misclassified stimuli with their top outputs, capped, and says why there are no previews', async () => {
    const result = await scoreThreeClasses()
    const html = await scoreReportHtml([result], {labels: join(dirname(dirname(result.log)), 'y_labels.csv')})
    expect(html).toContain('Misclassified stimuli (2 of 4)')
    expect(html).toContain('<td>c.bin</td><td>class 2</td><td>class 0</td><td>class 0 0.5 · class 2 0.4 · class 1 0.1</td>')
    // scored with --labels, but its folder has no d.bin or c.bin
    expect(html).toMatch(/No previews: none of the 2 listed stimuli is in /)
    const capped = await scoreReportHtml([result], {misclassifiedLimit: 1})
    expect(capped).toContain('… and 1 more misclassified stimuli, not listed.')
    expect(capped).not.toContain('<td>d.bin</td>')
    expect(capped).toContain('No previews: no folder of stimuli was given (pass --stimuli DIR')
  })

  it('embeds previews as data: URIs from --stimuli, and counts the listed files it lacks', async () => {
    // an ic01 stimulus is any 3072 bytes; c.bin is there, d.bin is not
    const stimuli = folderWith({'c.bin': Buffer.alloc(3072, 200)})
    const html = await scoreReportHtml([await scoreThreeClasses()], {stimuli})
    expect(html.match(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="preview of c\.bin">/g)).toHaveLength(1)
    expect(html).toContain(`1 of the 2 listed stimuli are not in ${stimuli}.`)
    expectSelfContained(html)
    await expect(scoreReportHtml([await scoreThreeClasses()], {stimuli: join(stimuli, 'c.bin')}))
      .rejects.toThrow(`${join(stimuli, 'c.bin')}: not a folder`)
  })

  it.skipIf(!HAS_AD_STIMULI)('previews real ad01 stimuli, found in the --labels folder', async () => {
    const result = await scoreAd()
    const labelsFolder = dirname(dirname(result.log))
    const misclassified = AD_FILES[2][0]
    writeFileSync(join(labelsFolder, misclassified), await readFile(join(AD_STIMULI, misclassified)))
    const html = await scoreReportHtml([result], {labels: join(labelsFolder, 'y_labels.csv')})
    expect(html.match(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="preview of normal_id_01_00000023_hist_librosa\.bin">/g))
      .toHaveLength(1)
    expect(html).not.toContain('No previews')
    expectSelfContained(html)
  })

  it('gives performance and energy results their summary and window table, no accuracy charts', async () => {
    const windows = [11, 10.5, 12, 10.9, 11.2].map((seconds, index) => ({
      file: `normal_id_01_0000000${index}_hist_librosa.bin`, measured: 2500, warmups: 10, lapStart: 1_000_000,
      lapEnd: 1_000_000 + seconds * 1e6,
    }))
    const folder = folderWith({'performance/log.txt': erPerformanceLog('ad01', 'bmark', windows)})
    const html = await scoreReportHtml([await scoreResultPath(join(folder, 'performance'))])
    expect(html).toContain('<h3>Windows</h3>')
    expect(html).toMatch(/<th>median inf\.\/s<\/th><td class="number">227\.273<\/td>/)
    expect(html).not.toMatch(/<svg|Confusion|ROC|Misclassified/)
  })

  it('puts several results in one page, a section each, with a table of contents', async () => {
    const html = await scoreReportHtml([await scoreTinyVww(), await scoreAd()])
    expect(html.match(/<section id="result-\d">/g)).toEqual(['<section id="result-1">', '<section id="result-2">'])
    expect(html).toContain('<a href="#result-2">')
    expectSelfContained(html)
  })

  it('escapes every text taken from logs, labels and warnings', async () => {
    const result = await scoreTinyVww()
    const hostile = '<script>alert("x")</script>&<img src=x onerror=alert(1)>'
    result.path = hostile
    result.warnings.push(`COVERAGE INCOMPLETE: ${hostile}`)
    result.published.top1 = hostile
    result.predictions.find((prediction) => !prediction.correct)!.file = `${hostile}.bin`
    const html = await scoreReportHtml([result])
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&lt;img src=x onerror=alert(1)&gt;')
    expectSelfContained(html)
  })

  it.skipIf(!HAS_LOGS)('reports published kws (ER), vww and ic (PY) folders with their published figures', async () => {
    const results = [await scoreResultPath(KWS_V05), await scoreResultPath(PY_VWW), await scoreResultPath(PY_IC)]
    const html = await scoreReportHtml(results)
    expect(html).toMatch(/<th>Top-1 %<\/th><td class="number">90\.1<\/td><td class="number">90\.1<\/td>/)
    expect(html).toMatch(/<th>AUC \(PY\)<\/th><td class="number">0\.936<\/td><td class="number">0\.936<\/td>/)
    expect(html).toMatch(/<th>AUC \(PY\)<\/th><td class="number">0\.988<\/td><td class="number">0\.988<\/td>/)
    for (const name of ['Silence', 'Unknown', 'airplane', 'truck', 'non_person']) expect(html).toContain(`<th>${name}</th>`)
    // kws one-vs-rest: 12 curves, whose mean is the exact macro AUC score prints
    expect(html).toContain(`macro AUC ${results[0].aucExact!.toFixed(4)}`)
    // kws: every class's AUC ≥ 0.95, so its curves are drawn twice, the second time in the magnified corner (clipped);
    // vww's one curve and ic's ten (some below 0.95) once
    expect(results[0].perClass!.length).toBe(12)
    expect(html.match(/<polyline /g)).toHaveLength(12 * 2 + 1 + 10)
    expect(html.match(/<polyline [^>]*clip-path="url\(#roc-corner-1\)"/g)).toHaveLength(12)
    expect(html).toContain('<clipPath id="roc-corner-1">')
    expect(html).toContain('The top-left corner magnified: false positive rate 0–0.1, true positive rate 0.5–1.')
    expect(html).not.toContain('roc-corner-3')
    expect(html).toContain('… and ')
    expectSelfContained(html)
    // a thousand stimuli stay a small page: corners only, misclassified capped
    expect(html.length).toBeLessThan(600_000)
  })
})

describe('writeScoreReport', () => {
  it('writes the page atomically, leaving no temporary file', async () => {
    const folder = folderWith({})
    const file = join(folder, 'report.html')
    await writeScoreReport(file, [await scoreTinyVww()])
    expect(await readFile(file, 'utf8')).toMatch(/^<!DOCTYPE html>[^]*<\/html>\n$/)
    expect(readdirSync(folder)).toEqual(['report.html'])
  })

  it('turns an unwritable path into a UserError naming the file', async () => {
    const folder = folderWith({'a-file': 'x'})
    const file = join(folder, 'a-file', 'report.html')
    await expect(writeScoreReport(file, [await scoreTinyVww()])).rejects.toThrow(`${file}: cannot write it (ENOTDIR)`)
  })
})

describe.skipIf(!HAS_BUILT_CLI)('tinydata score --report', () => {
  const outFolder = () => mkdtempSync(join(tmpdir(), 'tinydata-report-'))

  it('writes the report beside the usual table', async () => {
    const file = join(outFolder(), 'report.html')
    const run = await tinydata('score', join(TINY_VWW, 'accuracy'), '--labels', join(TINY_VWW, 'y_labels.csv'), '--report', file)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Top-1 %\s+66\.7\s+66\.7/)
    expect(await readFile(file, 'utf8')).toContain('Misclassified stimuli (2 of 6)')
  })

  it('an unwritable --report path is a one-line error, exit code 2', async () => {
    const folder = outFolder()
    writeFileSync(join(folder, 'a-file'), 'x')
    const file = join(folder, 'a-file', 'report.html')
    const run = await tinydata('score', join(TINY_VWW, 'accuracy'), '--labels', join(TINY_VWW, 'y_labels.csv'), '--report', file)
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, `Error: ${file}: cannot write it (ENOTDIR)`)
  })

  it('a log whose labels are missing fails as score does, and writes no report', async () => {
    const folder = folderWith({'accuracy/log.txt': erAccuracyLog('vww01', [{path: '/d/mine.bin', results: '0,1'}])})
    const file = join(outFolder(), 'report.html')
    const plain = await tinydata('score', join(folder, 'accuracy'))
    const reported = await tinydata('score', join(folder, 'accuracy'), '--report', file)
    expect(reported.code).toBe(2)
    expect(reported.stderr).toBe(plain.stderr)
    expectOneLineError(reported.stderr, 'in an official label list: pass --labels')
    const missingLabels = join(folder, 'no-such-labels.csv')
    const missing = await tinydata('score', join(folder, 'accuracy'), '--labels', missingLabels, '--report', file)
    expectOneLineError(missing.stderr, `Error: ${missingLabels}: no such file or folder`)
    expect(existsSync(file)).toBe(false)
  })

  it('a --stimuli folder that does not exist is a one-line error', async () => {
    const missing = join(outFolder(), 'no-such-folder')
    const run = await tinydata('score', join(TINY_VWW, 'accuracy'), '--labels', join(TINY_VWW, 'y_labels.csv'),
      '--report', join(outFolder(), 'r.html'), '--stimuli', missing)
    expect(run.code).toBe(2)
    expectOneLineError(run.stderr, `Error: ${missing}: no such folder`)
  })
})

describe('previews of kws01 stimuli', () => {
  it('draws a folder\'s stimuli as the LFBE its manifest records, not as MFCC', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinydata-report-lfbe-'))
    await prepareKws({benchmark: kws01, source: join(REPO_ROOT, 'samples/kws01-sample.tar.gz'), out: dir, variant: 'lfbe', verify: false, allowMissing: true})
    const folder = join(dir, 'kws01')
    const [first] = (await readFile(join(folder, 'y_labels.csv'), 'utf8')).split('\n')
    const [file, , label] = first.split(',')
    // One stimulus, predicted as the class after its own: misclassified, so the report previews it.
    const log = new GoldenLogWriter({benchmark: 'kws01', stimuliDir: folder, model: 'm.tflite', tinydataVersion: '0'})
    log.inference({file, outputs: Array.from({length: 12}, (_, cls) => (cls === (Number(label) + 1) % 12 ? 0.99 : 0)), microseconds: 1})
    writeFileSync(join(dir, 'log.txt'), log.text())
    writeFileSync(join(dir, 'one.csv'), `${first}\n`)
    const result = await scoreResultPath(join(dir, 'log.txt'), {labels: join(dir, 'one.csv')})
    const html = await scoreReportHtml([result], {stimuli: folder})
    const bytes = await readFile(join(folder, file))
    const asLfbe = (await stimulusPreviewPng('kws01', bytes, {scale: 2, axes: false, kwsFeatures: 'lfbe'})).toString('base64')
    const asMfcc = (await stimulusPreviewPng('kws01', bytes, {scale: 2, axes: false})).toString('base64')
    expect(asLfbe).not.toBe(asMfcc)
    expect(html).toContain(`data:image/png;base64,${asLfbe}`)
  })
})
