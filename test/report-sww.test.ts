/** `tinydata score --report` on sww01 results: the timeline of the whole WAV (truth windows, detections, TP/FN/FP). */

import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {scoreReportHtml} from '../src/report/index.js'
import {swwTimelineSvg, TIMELINE_COLOURS} from '../src/report/timeline.js'
import {scoreResultPath} from '../src/scoring/index.js'
import {REPO_ROOT, SHARED, skipMessage} from './helpers/archives.js'
import {folderWith, swwLog} from './scoring/helpers.js'

const SWW_PERFORMANCE = join(SHARED, 'fixtures/logs/tiny_results_v1.3/closed/STMicroelectronics/results/NUCLEO_L4R5ZI-P/sww/performance')
const HAS_SWW = existsSync(SWW_PERFORMANCE)
if (!HAS_SWW) console.warn(skipMessage('the sww01 timeline on a published folder'))

const count = (html: string, pattern: RegExp) => html.match(new RegExp(pattern, 'g'))?.length ?? 0

/** short_wav_easy10s.wav, t0 = 500 ms: window 1 hit twice, window 2 hit 2 s past its end, window 3 missed; FP 9.5 s
 * (10.3 s debounced into it) and FP 11.0 s. */
async function scoreShortRun() {
  const folder = folderWith({'performance/log.txt': swwLog({detections: '[500, 1700, 2000, 7260, 10000, 10800, 11500]'})})
  return scoreResultPath(join(folder, 'performance'))
}

describe('sww01 timeline', () => {
  it('draws a run with 200,000 detections (more arguments than Math.max(...spread) takes)', async () => {
    const run = await scoreShortRun()
    const detectionsS = Array.from({length: 200_000}, (_, index) => index * 0.005)
    const svg = swwTimelineSvg({...run.sww!, stats: {...run.sww!.stats, detectionsS}})
    expect(svg).toMatch(/^<svg /)
  })

  it('marks each truth window hit or missed and each detection matched, false positive or debounced', async () => {
    const svg = swwTimelineSvg((await scoreShortRun()).sww!)
    expect(svg).toMatch(/^<svg [^>]*aria-label="timeline of short_wav_easy10s\.wav: 2 true positives, 1 false negatives, 2 false positives"/)
    expect(count(svg, /<rect class="tp"/)).toBe(2)
    expect(count(svg, /<rect class="fn"/)).toBe(1)
    expect(count(svg, /<line class="matched"/)).toBe(3)
    expect(count(svg, /<line class="fp"/)).toBe(2)
    expect(count(svg, /<line class="debounced"/)).toBe(1)
    // the axis runs on to the last detection (11 s), past the WAV's end (10 s, marked): 960 px for 11 s
    expect(svg).toContain(`<rect class="fn" x="666.9" y="32" width="31.3" height="14" fill="${TIMELINE_COLOURS.missed}">`
      + '<title>window 3: 7.000–7.359 s, missed (false negative)</title></rect>')
    expect(svg).toContain('<title>detection at 10.300 s (10800 ms): within 1 s of a false positive (debounced, not counted)</title>')
    // false positives on top of what was debounced into them
    expect(svg.indexOf('(10800 ms): within 1 s')).toBeLessThan(svg.indexOf('(10000 ms): false positive'))
    expect(svg).toContain('<line class="wav-end" x1="928.7" y1="26" x2="928.7" y2="68" stroke="#333" stroke-dasharray="3 3">')
    // one row for an 11-s axis
    expect(count(svg, /<rect x="56" y="\d+" width="960"/)).toBe(1)
    expect(svg).toContain('>10 s</text>')
    expect(svg).not.toContain('>12 s</text>')
  })

  it('a 1200-s WAV in ten rows of 120 s, every published count drawn', async ({skip}) => {
    if (!HAS_SWW) skip()
    const result = await scoreResultPath(SWW_PERFORMANCE)
    const svg = swwTimelineSvg(result.sww!)
    expect(count(svg, /<rect class="tp"/)).toBe(44)
    expect(count(svg, /<rect class="fn"/)).toBe(6)
    expect(count(svg, /<line class="fp"/)).toBe(4)
    expect(count(svg, /<rect x="56" y="\d+" width="960"/)).toBe(10)
    expect(svg).toContain('>1200 s</text>')
  })

  it('the report: a timeline section for a sww result with its misses and false positives, none for the others', async () => {
    const tinyVww = await scoreResultPath(join(REPO_ROOT, 'test/fixtures/logs/er-vww-tiny/accuracy'),
      {labels: join(REPO_ROOT, 'test/fixtures/logs/er-vww-tiny/y_labels.csv')})
    const html = await scoreReportHtml([await scoreShortRun(), tinyVww])
    expect(count(html, /<h3>Timeline of /)).toBe(1)
    expect(html).toContain('<h3>Timeline of short_wav_easy10s.wav</h3>')
    expect(html).toContain('Truth windows from manifests/sww01/truth/sww_short_test.json.')
    expect(html).toContain('<tr><th>missed windows (FN)</th><td>3: 7.000–7.359 s</td></tr>')
    expect(html).toContain('<tr><th>false positives</th><td>9.500 s, 11.000 s</td></tr>')
    expect(html).toContain('<th>true/false positives</th><td class="number">2 True positives, 1 False negatives, 2 False positives</td>')
  })
})
