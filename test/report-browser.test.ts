/**
 * The written report in a real browser: Debian's headless Chromium screenshots it, and the SVG charts must show in
 * the pixels. Without /usr/bin/chromium the test is skipped with a message, unless TINYDATA_REQUIRE_BROWSER=1 (set by
 * .ci/run, which installs Chromium) makes it required: then a missing browser fails it.
 */

import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'

import {loadSharp} from '../src/image/decode.js'
import {writeScoreReport} from '../src/report/index.js'
import {ACCURACY_BAR_COLOUR, BINARY_ROC_COLOUR} from '../src/report/svg.js'
import {scoreResultPath} from '../src/scoring/index.js'
import {REPO_ROOT} from './helpers/archives.js'

const CHROMIUM = '/usr/bin/chromium'
const BROWSER_REQUIRED = process.env.TINYDATA_REQUIRE_BROWSER === '1'
const HAS_CHROMIUM = existsSync(CHROMIUM)
if (!HAS_CHROMIUM && !BROWSER_REQUIRED) {
  console.warn(`report browser test skipped: no ${CHROMIUM} (apt-get install chromium runs it; TINYDATA_REQUIRE_BROWSER=1 makes it required, as in .ci/run)`)
}

const TINY_VWW = join(REPO_ROOT, 'test/fixtures/logs/er-vww-tiny')
const WINDOW = {width: 1200, height: 2000}
/** The ROC plot is 360 px square; a curve from (0, 0) to (1, 1) spans nearly all of it. */
const ROC_PLOT = 360
/** Anti-aliasing blends the edges of a stroke; its core keeps the colour within this distance per channel. */
const COLOUR_TOLERANCE = 24

async function screenshot(htmlFile: string, pngFile: string): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'tinydata-chromium-'))
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
    '--force-device-scale-factor=1', `--user-data-dir=${profile}`, `--screenshot=${pngFile}`,
    `--window-size=${WINDOW.width},${WINDOW.height}`, pathToFileURL(htmlFile).href]
  try {
    await promisify(execFile)(CHROMIUM, flags, {timeout: 60_000})
  } catch (error) {
    // Chromium logs D-Bus complaints on stderr even when it succeeds: only a missing screenshot is a failure.
    if (!existsSync(pngFile)) throw error
  }
}

interface ColourArea {
  pixels: number
  width: number
  height: number
}

/** How many pixels have (nearly) this colour, and the size of the box around them. */
async function colourArea(pngFile: string, hex: string): Promise<ColourArea> {
  const sharp = await loadSharp()
  const {data, info} = await sharp(await readFile(pngFile)).removeAlpha().raw().toBuffer({resolveWithObject: true})
  const target = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16))
  let [pixels, left, right, top, bottom] = [0, Infinity, -Infinity, Infinity, -Infinity]
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const offset = (y * info.width + x) * info.channels
      if (target.every((value, channel) => Math.abs(data[offset + channel] - value) <= COLOUR_TOLERANCE)) {
        pixels++
        left = Math.min(left, x)
        right = Math.max(right, x)
        top = Math.min(top, y)
        bottom = Math.max(bottom, y)
      }
    }
  }
  return pixels === 0 ? {pixels, width: 0, height: 0} : {pixels, width: right - left + 1, height: bottom - top + 1}
}

describe.skipIf(!HAS_CHROMIUM && !BROWSER_REQUIRED)('the report in headless Chromium', () => {
  it('shows the ROC curve across its plot and the per-class bars', async () => {
    if (!HAS_CHROMIUM) {
      throw new Error(`${CHROMIUM} is missing and TINYDATA_REQUIRE_BROWSER=1: install Debian's chromium (apt-get install chromium)`)
    }
    const folder = mkdtempSync(join(tmpdir(), 'tinydata-report-browser-'))
    const [htmlFile, pngFile] = [join(folder, 'report.html'), join(folder, 'report.png')]
    const result = await scoreResultPath(join(TINY_VWW, 'accuracy'), {labels: join(TINY_VWW, 'y_labels.csv')})
    await writeScoreReport(htmlFile, [result])
    await screenshot(htmlFile, pngFile)
    const curve = await colourArea(pngFile, BINARY_ROC_COLOUR)
    expect(curve.pixels, `ROC curve pixels in ${pngFile}`).toBeGreaterThan(ROC_PLOT)
    // the curve runs from the bottom-left to the top-right corner of the plot; the legend swatch alone is 18 px
    expect(curve.width).toBeGreaterThan(0.9 * ROC_PLOT)
    expect(curve.height).toBeGreaterThan(0.9 * ROC_PLOT)
    const bars = await colourArea(pngFile, ACCURACY_BAR_COLOUR)
    // two bars of 66.7 %: 200 × 14 px each
    expect(bars.pixels, `accuracy bar pixels in ${pngFile}`).toBeGreaterThan(2 * 150 * 10)
  })
})
