/**
 * Benchmark of `prepare ad`: clips per second on generated 10-second ToyCar clips (as many as the official subset),
 * in a zip with the dev_data_ToyCar layout, against a baseline measured in the same run: reading the zip, decoding
 * the WAVs and running the 200 float64 FFTs of each clip, in the calling thread, without the mel and log steps.
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

// The built library, as users run it: its worker threads exist only in dist/ (`npm run bench` builds first).
import {ad01} from '../dist/datasets/ad01.js'
import {createRealFft64} from '../dist/src/audio/ad-fft64.js'
import {AD_FFT_SIZE, AD_FIRST_FRAME, AD_FRAMES, AD_HOP, AD_SPECTRUM_BINS} from '../dist/src/audio/ad-features.js'
import {decodeWav} from '../dist/src/audio/wav.js'
import {openSource} from '../dist/src/archives/source-reader.js'
import {prepareAd} from '../dist/src/prepare/ad.js'
import {defaultThreads} from '../dist/src/parallel/task-pool.js'
import {buildZip} from '../test/helpers/archives.js'
import {syntheticToyCarClip, toyCarEntry} from '../test/helpers/toycar.js'

/** The size of the official subset. */
const CLIPS = 248
/** Distinct clips, repeated under different names: generating 248 would take longer than preparing them. */
const DISTINCT_CLIPS = 16

export async function benchAd(): Promise<{name: string; clips: number; seconds: number; baselineSeconds: number; baselineName: string}> {
  const dir = await mkdtemp(join(tmpdir(), 'tinydata-bench-ad-'))
  try {
    const clips = Array.from({length: DISTINCT_CLIPS}, (_, i) => syntheticToyCarClip(i))
    const entries = Array.from({length: CLIPS}, (_, i) => {
      const kind = i % 2 === 0 ? 'normal' : 'anomaly'
      return toyCarEntry(`${kind}_id_0${1 + (i % 4)}_${String(i).padStart(8, '0')}.wav`, clips[i % DISTINCT_CLIPS]!)
    })
    const archive = join(dir, 'dev_data_ToyCar.zip')
    await writeFile(archive, buildZip(entries))

    const baselineStart = performance.now()
    const fft = createRealFft64(AD_FFT_SIZE)
    const frame = new Float64Array(AD_FFT_SIZE)
    const re = new Float64Array(AD_SPECTRUM_BINS)
    const im = new Float64Array(AD_SPECTRUM_BINS)
    for await (const member of (await openSource(archive)).members()) {
      const {samples} = decodeWav(member.bytes, member.path)
      for (let t = AD_FIRST_FRAME; t < AD_FIRST_FRAME + AD_FRAMES; t++) {
        for (let n = 0; n < AD_FFT_SIZE; n++) frame[n] = samples[(t - 1) * AD_HOP + n]! / 32768
        fft.forward(frame, re, im)
      }
    }
    const baselineSeconds = (performance.now() - baselineStart) / 1000

    const threads = defaultThreads()
    const start = performance.now()
    await prepareAd({benchmark: ad01, source: archive, out: join(dir, 'out'), subset: 'all', verify: false, threads})
    const seconds = (performance.now() - start) / 1000
    return {
      name: `prepare ad --subset all on ${CLIPS} generated 10-second ToyCar clips (zip, ${threads} thread${threads > 1 ? 's' : ''})`,
      clips: CLIPS,
      seconds,
      baselineSeconds,
      baselineName: 'read zip + WAV decode + the 200 float64 FFTs per clip, one thread',
    }
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
