/**
 * One sww01 WAV from its spec and its decoded clips, in build_long_wav.py's order (stimuli.md §5.2): backgrounds, then
 * wakewords, each in list order, then the peak normalisation and the int16 cast. What only the clips can show wrong
 * (too short, silent, a wakeword past the end, two wakewords overlapping) is refused naming the entry.
 */
import {addScaled, normalizeToInt16, numpyStd, peakMagnitude, trimWakeword} from '../audio/sww-mix.js'
import {fileError} from '../errors.js'
import {sampleIndex, type SwwClipRef, type SwwSpec} from './sww-spec.js'

/** How the clips are looked up: one key per source and path. */
export function clipKey(clip: Pick<SwwClipRef, 'source' | 'member'>): string {
  return `${clip.source}:${clip.member}`
}

export interface SwwSignal {
  /** The mono int16 signal; the WAV holds it twice. */
  samples: Int16Array
  /** `[insertion_s, insertion_s + trimmed samples / rate]` per wakeword, in spec order. */
  windows: Array<[number, number]>
}

export function buildSwwSignal(spec: SwwSpec, clips: ReadonlyMap<string, Int16Array>, relativeThreshold: number): SwwSignal {
  const {mix, windows} = mixSww(spec, clips, relativeThreshold)
  const peak = peakMagnitude(mix)
  if (peak === 0) throw fileError(spec.file, 'the mix is silent everywhere')
  return {samples: normalizeToInt16(mix, peak), windows}
}

/** The float32 mix before its normalisation (`long_wav` of build_long_wav.py), and the windows. */
export function mixSww(spec: SwwSpec, clips: ReadonlyMap<string, Int16Array>, relativeThreshold: number): {mix: Float32Array; windows: SwwSignal['windows']} {
  const rate = spec.sampleRate
  const long = new Float32Array(sampleIndex(spec.lengthSec, rate))
  const clipOf = (entry: SwwClipRef): Int16Array => {
    const samples = clips.get(clipKey(entry))
    if (!samples) throw fileError(spec.file, `${entry.entry}: no such member in the source`)
    return samples
  }
  const refuseSilent = (entry: SwwClipRef, samples: Int16Array, what: string) => {
    if (samples.length === 0 || numpyStd(samples) === 0) throw fileError(spec.file, `${entry.entry}: ${what} is silent (its standard deviation is 0)`)
  }

  for (const background of spec.backgrounds) {
    const wanted = sampleIndex(background.stopSec - background.startSec, rate)
    const samples = clipOf(background)
    if (samples.length < wanted) {
      throw fileError(spec.file, `${background.entry}: the clip has ${samples.length} samples, the segment needs ${wanted}`)
    }
    const segment = samples.subarray(0, wanted)
    refuseSilent(background, segment, 'the segment')
    addScaled(long, segment, sampleIndex(background.startSec, rate), background.rms)
  }

  const windows: Array<[number, number]> = []
  for (const wakeword of spec.wakewords) {
    const trimmed = trimWakeword(clipOf(wakeword), relativeThreshold)
    refuseSilent(wakeword, trimmed, 'the trimmed clip')
    const start = sampleIndex(wakeword.insertSec, rate)
    if (start + trimmed.length > long.length) {
      throw fileError(spec.file, `${wakeword.entry}: the trimmed clip (${trimmed.length} samples) at ${wakeword.insertSec} s ends past the end (length_sec ${spec.lengthSec})`)
    }
    addScaled(long, trimmed, start, wakeword.amplitude)
    windows.push([wakeword.insertSec, wakeword.insertSec + trimmed.length / rate])
  }
  refuseOverlaps(spec, windows)
  return {mix: long, windows}
}

/** Two wakeword windows that overlap would be one detection for the scorer: refused, naming both entries. */
function refuseOverlaps(spec: SwwSpec, windows: ReadonlyArray<[number, number]>): void {
  const order = windows.map((_, index) => index).sort((a, b) => windows[a]![0] - windows[b]![0] || a - b)
  for (let k = 1; k < order.length; k++) {
    const previous = order[k - 1]!
    const next = order[k]!
    if (windows[next]![0] < windows[previous]![1]) {
      const [start, stop] = windows[previous]!
      throw fileError(spec.file, `${spec.wakewords[next]!.entry}: overlaps ${spec.wakewords[previous]!.entry} (window [${start}, ${stop}] s)`)
    }
  }
}
