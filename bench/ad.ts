/**
 * Benchmark of `prepare ad`: clips per second on generated 10-second ToyCar clips (as many as the official subset),
 * in a zip with the dev_data_ToyCar layout, against what a user writes instead, measured in the same run where python3
 * with numpy is installed: bench/numpy_ad_baseline.py, the same log-mel job in vectorised numpy (float64, one dense
 * mel product, one .bin per clip written). The two alternate ROUNDS times and each is the median.
 */
import {execFile} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

// The built library, as users run it: its worker threads exist only in dist/ (`npm run bench` builds first).
import {ad01} from '../dist/datasets/ad01.js'
import {prepareAd} from '../dist/src/prepare/ad.js'
import {defaultThreads} from '../dist/src/parallel/task-pool.js'
import {buildZip, REPO_ROOT} from '../test/helpers/archives.js'
import {syntheticToyCarClip, toyCarEntry} from '../test/helpers/toycar.js'

/** The size of the official subset. */
const CLIPS = 248
/** Distinct clips, repeated under different names: generating 248 would take longer than preparing them. */
const DISTINCT_CLIPS = 16
const ROUNDS = 3
/** Issue 17: prepare ad in at most half the numpy script's time. */
export const AD_TARGET_RATIO = 0.5

export interface AdBench {
  name: string
  clips: number
  seconds: number
  /** The numpy script's median time, or why it was skipped. */
  numpy: {seconds: number} | {skipped: string}
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function numpyRun(archive: string, out: string): Promise<number | string> {
  try {
    const {stdout} = await promisify(execFile)('python3', [join(REPO_ROOT, 'bench/numpy_ad_baseline.py'), archive, out], {maxBuffer: 1 << 20})
    return (JSON.parse(stdout) as {seconds: number}).seconds
  } catch (error) {
    return `skipped (python3 with numpy not available: ${(error as Error).message.split('\n')[0]})`
  }
}

export async function benchAd(): Promise<AdBench> {
  const dir = await mkdtemp(join(tmpdir(), 'tinydata-bench-ad-'))
  try {
    const clips = Array.from({length: DISTINCT_CLIPS}, (_, i) => syntheticToyCarClip(i))
    const entries = Array.from({length: CLIPS}, (_, i) => {
      const kind = i % 2 === 0 ? 'normal' : 'anomaly'
      return toyCarEntry(`${kind}_id_0${1 + (i % 4)}_${String(i).padStart(8, '0')}.wav`, clips[i % DISTINCT_CLIPS]!)
    })
    const archive = join(dir, 'dev_data_ToyCar.zip')
    await writeFile(archive, buildZip(entries))

    const threads = defaultThreads()
    const seconds: number[] = []
    const numpySeconds: number[] = []
    let skipped: string | undefined
    for (let round = 0; round < ROUNDS; round++) {
      const start = performance.now()
      await prepareAd({benchmark: ad01, source: archive, out: join(dir, 'out'), subset: 'all', verify: false, threads})
      seconds.push((performance.now() - start) / 1000)
      if (skipped) continue
      const numpy = await numpyRun(archive, join(dir, 'numpy-out'))
      if (typeof numpy === 'string') skipped = numpy
      else numpySeconds.push(numpy)
    }
    return {
      name: `prepare ad --subset all on ${CLIPS} generated 10-second ToyCar clips (zip, ${threads} thread${threads > 1 ? 's' : ''})`,
      clips: CLIPS,
      seconds: median(seconds),
      numpy: skipped ? {skipped} : {seconds: median(numpySeconds)},
    }
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
