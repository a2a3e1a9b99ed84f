/** The fixed colour map of the spectrogram heatmaps: viridis (perceptually uniform, readable in greyscale). */

export type Rgb = readonly [number, number, number]

/** matplotlib's viridis at 10 evenly spaced points, from the lowest value to the highest. */
const VIRIDIS_STOPS: readonly Rgb[] = [
  [0x44, 0x01, 0x54], [0x48, 0x28, 0x78], [0x3e, 0x4a, 0x89], [0x31, 0x68, 0x8e], [0x26, 0x82, 0x8e],
  [0x1f, 0x9e, 0x89], [0x35, 0xb7, 0x79], [0x6d, 0xcd, 0x59], [0xb4, 0xde, 0x2c], [0xfd, 0xe7, 0x25],
]

export const COLOUR_MAP_SIZE = 256

/** COLOUR_MAP_SIZE colours, linearly interpolated between the stops: entry 0 is the lowest value, the last the highest. */
export const COLOUR_MAP: readonly Rgb[] = Array.from({length: COLOUR_MAP_SIZE}, (_, index): Rgb => {
  const position = (index / (COLOUR_MAP_SIZE - 1)) * (VIRIDIS_STOPS.length - 1)
  const lower = Math.min(Math.floor(position), VIRIDIS_STOPS.length - 2)
  const fraction = position - lower
  const [from, to] = [VIRIDIS_STOPS[lower]!, VIRIDIS_STOPS[lower + 1]!]
  const mix = (channel: 0 | 1 | 2): number => Math.round(from[channel] + (to[channel] - from[channel]) * fraction)
  return [mix(0), mix(1), mix(2)]
})

export const LOWEST_COLOUR = COLOUR_MAP[0]!
export const HIGHEST_COLOUR = COLOUR_MAP[COLOUR_MAP_SIZE - 1]!

/**
 * The colour of `value` on a scale from `min` to `max`. Values outside the range (±Infinity) are clamped to its ends,
 * and NaN, which has no place on it, takes the lowest colour; a range of one value is drawn in the lowest colour.
 */
export function colourOf(value: number, min: number, max: number): Rgb {
  const fraction = max > min ? (value - min) / (max - min) : 0
  const clamped = Number.isNaN(fraction) ? 0 : Math.min(1, Math.max(0, fraction))
  return COLOUR_MAP[Math.round(clamped * (COLOUR_MAP_SIZE - 1))]!
}
