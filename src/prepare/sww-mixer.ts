/**
 * The mix of one sww01 WAV from its spec and its decoded clips, in build_long_wav.py's order (stimuli.md §5.2):
 * backgrounds, then wakewords, each in list order (the peak normalisation and the int16 cast are sww-mix.ts's). What
 * only the clips can show wrong (too short, silent, a wakeword past the end, two wakewords overlapping) is refused
 * naming the entry.
 */
import {addScaled, numpyStd, peakMagnitude, trimWakeword} from '../audio/sww-mix.js'
import {fileError} from '../errors.js'
import {sampleIndex, type SwwClipRef, type SwwSpec} from './sww-spec.js'

/** How the clips are looked up: one key per source and path. */
export function clipKey(clip: Pick<SwwClipRef, 'source' | 'member'>): string {
  return `${clip.source}:${clip.member}`
}

/** The float32 mix (`long_wav` of build_long_wav.py, before its normalisation) and the wakeword windows. */
export interface SwwMix {
  mix: Float32Array
  /** `[insertion_s, insertion_s + trimmed samples / rate]` per wakeword, in spec order. */
  windows: Array<[number, number]>
}

/** max|mix|, what the mix is divided by; a silent mix is refused. */
export function mixPeak(spec: SwwSpec, mix: Float32Array): number {
  const peak = peakMagnitude(mix)
  if (peak === 0) throw fileError(spec.file, 'the mix is silent everywhere')
  return peak
}

/**
 * Mixes the clips in as they are read, so that a 1200-s build does not hold every background at once. A float32 sum
 * depends on the order of its terms only where they meet: a background goes in once every earlier background that
 * shares samples with it is in, which equals the list order sample for sample; wakewords (small) wait for `finish`.
 * A clip is let go once the last entry using it is mixed.
 */
export class SwwMixer {
  private readonly mix: Float32Array
  private readonly clips = new Map<string, Int16Array>()
  /** Per clip, the entries still to mix that use it. */
  private readonly uses = new Map<string, number>()
  private readonly mixed: boolean[]
  private readonly ranges: Array<[number, number]>

  constructor(
    private readonly spec: SwwSpec,
    private readonly relativeThreshold: number,
  ) {
    this.mix = new Float32Array(sampleIndex(spec.lengthSec, spec.sampleRate))
    for (const entry of [...spec.backgrounds, ...spec.wakewords]) this.uses.set(clipKey(entry), (this.uses.get(clipKey(entry)) ?? 0) + 1)
    this.mixed = spec.backgrounds.map(() => false)
    this.ranges = spec.backgrounds.map(({startSec, stopSec}) => [sampleIndex(startSec, spec.sampleRate), sampleIndex(stopSec, spec.sampleRate)])
  }

  /** One clip of the spec, read: mixes in every background that may now go in. */
  add(key: string, samples: Int16Array): void {
    this.clips.set(key, samples)
    for (let progress = true; progress; ) {
      progress = false
      this.spec.backgrounds.forEach((background, index) => {
        if (this.mixed[index] || !this.clips.has(clipKey(background)) || !this.earlierOverlapsMixed(index)) return
        this.addBackground(index)
        progress = true
      })
    }
  }

  /** The wakewords, once every clip is read (a clip still missing is refused naming its entry). */
  finish(): SwwMix {
    this.spec.backgrounds.forEach((_, index) => {
      if (!this.mixed[index]) this.addBackground(index)
    })
    const rate = this.spec.sampleRate
    const windows: SwwMix['windows'] = []
    for (const wakeword of this.spec.wakewords) {
      const trimmed = trimWakeword(this.take(wakeword), this.relativeThreshold)
      this.refuseSilent(wakeword, trimmed, 'the trimmed clip')
      const start = sampleIndex(wakeword.insertSec, rate)
      if (start + trimmed.length > this.mix.length) {
        throw fileError(this.spec.file, `${wakeword.entry}: the trimmed clip (${trimmed.length} samples) at ${wakeword.insertSec} s ends past the end (length_sec ${this.spec.lengthSec})`)
      }
      addScaled(this.mix, trimmed, start, wakeword.amplitude)
      windows.push([wakeword.insertSec, wakeword.insertSec + trimmed.length / rate])
    }
    refuseOverlaps(this.spec, windows)
    return {mix: this.mix, windows}
  }

  private earlierOverlapsMixed(index: number): boolean {
    const [start, stop] = this.ranges[index]!
    return this.ranges.slice(0, index).every(([otherStart, otherStop], other) => this.mixed[other] || otherStop <= start || stop <= otherStart)
  }

  private addBackground(index: number): void {
    const background = this.spec.backgrounds[index]!
    const [start, stop] = this.ranges[index]!
    const samples = this.take(background)
    if (samples.length < stop - start) {
      throw fileError(this.spec.file, `${background.entry}: the clip has ${samples.length} samples, the segment needs ${stop - start}`)
    }
    const segment = samples.subarray(0, stop - start)
    this.refuseSilent(background, segment, 'the segment')
    addScaled(this.mix, segment, start, background.rms)
    this.mixed[index] = true
  }

  /** The clip of an entry about to be mixed, let go when no other entry needs it. */
  private take(entry: SwwClipRef): Int16Array {
    const key = clipKey(entry)
    const samples = this.clips.get(key)
    if (!samples) throw fileError(this.spec.file, `${entry.entry}: no such member in the source`)
    const left = this.uses.get(key)! - 1
    this.uses.set(key, left)
    if (left === 0) this.clips.delete(key)
    return samples
  }

  private refuseSilent(entry: SwwClipRef, samples: Int16Array, what: string): void {
    if (samples.length === 0 || numpyStd(samples) === 0) throw fileError(this.spec.file, `${entry.entry}: ${what} is silent (its standard deviation is 0)`)
  }
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
