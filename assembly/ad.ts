/**
 * The float64 hot path of ad01's log-mel stimuli (stimuli.md §4.2, ad-parity.md) as WebAssembly: windowed frames of
 * an int16 signal → real FFT → the complex64 store, hypotf and float32 square → the Slaney mel dot product, into
 * float64 mel energies (TypeScript takes their log10, src/audio/ad-features.ts).
 *
 * It is the arithmetic of src/audio/ad-fft64.ts and slaney-mel.ts, operation for operation: WebAssembly f64 is IEEE
 * double with no FMA, so each + − × ÷ and sqrt rounds as JavaScript's does and the energies are the same bits. The
 * f64x2 butterflies do two independent butterflies, one per lane, with the scalar code's operations. Every table
 * (window, bit reversal, twiddles, mel weights) is computed in TypeScript and written into the buffers below.
 */

/** baseline.yaml n_fft (stimuli.md §4.2 step 2). */
export const FFT_SIZE: i32 = 1024
/** The 1024 real inputs are packed as 512 complex values (even samples real, odd imaginary). */
const HALF: i32 = FFT_SIZE / 2
/** baseline.yaml hop_length (stimuli.md §4.2 step 2). */
export const HOP: i32 = 512
/** n_fft/2 + 1. */
export const SPECTRUM_BINS: i32 = HALF + 1
/** baseline.yaml n_mels (stimuli.md §4.2 step 2). */
export const MEL_BANDS: i32 = 128
/** Room for the mel basis's non-zero weights (librosa's 128 Slaney bands at n_fft 1024 have about 1,000). */
export const MEL_WEIGHT_CAPACITY: i32 = 4096
/** int16 → float: librosa 0.6.0 `buf_to_float` divides by 2^15 (stimuli.md §4.2 step 1). */
const INT16_SCALE: f64 = 32768

/** Periodic Hann (ad-parity.md). */
export const WINDOW: usize = memory.data(FFT_SIZE * 8, 16)
/** Bit reversal of the 512 packed values: value n goes to slot BIT_REVERSE[n]. */
export const BIT_REVERSE: usize = memory.data(HALF * 4, 16)
/** Twiddles of the stage that merges blocks of `span`: e^(−πi·k/span) at [span + k], k < span. */
export const TWIDDLE_RE: usize = memory.data(HALF * 8, 16)
export const TWIDDLE_IM: usize = memory.data(HALF * 8, 16)
/** Split twiddles e^(−2πi·k/1024), k ≤ 512. */
export const SPLIT_COS: usize = memory.data(SPECTRUM_BINS * 8, 16)
export const SPLIT_SIN: usize = memory.data(SPECTRUM_BINS * 8, 16)
/** Band m weighs bins MEL_FIRST_BIN[m] ≤ k < MEL_END_BIN[m] with MEL_WEIGHTS[MEL_WEIGHT_OFFSET[m] + k − first]. */
export const MEL_FIRST_BIN: usize = memory.data(MEL_BANDS * 4, 16)
export const MEL_END_BIN: usize = memory.data(MEL_BANDS * 4, 16)
export const MEL_WEIGHT_OFFSET: usize = memory.data(MEL_BANDS * 4, 16)
export const MEL_WEIGHTS: usize = memory.data(MEL_WEIGHT_CAPACITY * 8, 16)
/** Where TypeScript may put the signal and the energies (memory grows as they need). */
export const HEAP_BASE: usize = __heap_base

const ZR: usize = memory.data(HALF * 8, 16)
const ZI: usize = memory.data(HALF * 8, 16)
const POWER: usize = memory.data(SPECTRUM_BINS * 8, 16)

// @ts-ignore: decorator
@inline function f64At(array: usize, index: i32): usize {
  return array + (<usize>index << 3)
}

// @ts-ignore: decorator
@inline function i32At(array: usize, index: i32): usize {
  return array + (<usize>index << 2)
}

/**
 * Mel energies of `frames` frames of the int16 signal at `signal` (the reflect-padded clip from its first frame on;
 * frame t is samples t·512 … t·512 + 1023) into `energies`, 128 float64 values per frame.
 */
export function melEnergies(signal: usize, frames: i32, energies: usize): void {
  for (let frame = 0; frame < frames; frame++) {
    powerSpectrum(signal + (<usize>(frame * HOP) << 1))
    const out = f64At(energies, frame * MEL_BANDS)
    for (let band = 0; band < MEL_BANDS; band++) {
      const first = load<i32>(i32At(MEL_FIRST_BIN, band))
      const end = load<i32>(i32At(MEL_END_BIN, band))
      const weights = f64At(MEL_WEIGHTS, load<i32>(i32At(MEL_WEIGHT_OFFSET, band)) - first)
      let sum: f64 = 0
      for (let bin = first; bin < end; bin++) sum += load<f64>(f64At(weights, bin)) * load<f64>(f64At(POWER, bin))
      store<f64>(f64At(out, band), sum)
    }
  }
}

/** POWER[k] of the 1024 samples at `samples`: window, real FFT, then the complex64 store, hypotf, float32 square. */
function powerSpectrum(samples: usize): void {
  // Windowed and packed straight into bit-reversed order, the permutation the FFT would otherwise do first.
  for (let n = 0; n < HALF; n++) {
    const slot = load<i32>(i32At(BIT_REVERSE, n))
    const even = <f64>load<i16>(samples + (<usize>n << 2)) / INT16_SCALE
    const odd = <f64>load<i16>(samples + (<usize>n << 2) + 2) / INT16_SCALE
    store<f64>(f64At(ZR, slot), load<f64>(f64At(WINDOW, 2 * n)) * even)
    store<f64>(f64At(ZI, slot), load<f64>(f64At(WINDOW, 2 * n + 1)) * odd)
  }
  complexStages()
  // X[k] = E[k] + e^(−2πik/N)·O[k], E and O the even and odd samples' spectra (ad-fft64.ts).
  const zr0 = load<f64>(ZR)
  const zi0 = load<f64>(ZI)
  store<f64>(POWER, power(zr0 + zi0, 0))
  store<f64>(f64At(POWER, HALF), power(zr0 - zi0, 0))
  for (let k = 1; k < HALF; k++) {
    const j = HALF - k
    const zrk = load<f64>(f64At(ZR, k)), zrj = load<f64>(f64At(ZR, j))
    const zik = load<f64>(f64At(ZI, k)), zij = load<f64>(f64At(ZI, j))
    const evenRe = (zrk + zrj) / 2
    const evenIm = (zik - zij) / 2
    const oddRe = (zik + zij) / 2
    const oddIm = (zrj - zrk) / 2
    const c = load<f64>(f64At(SPLIT_COS, k))
    const s = load<f64>(f64At(SPLIT_SIN, k))
    store<f64>(f64At(POWER, k), power(evenRe + (c * oddRe + s * oddIm), evenIm + (c * oddIm - s * oddRe)))
  }
}

/** f32(|f32(re) + i·f32(im)|)², the roundings 1–3 of ad-features.ts. */
// @ts-ignore: decorator
@inline function power(re: f64, im: f64): f64 {
  const real = <f64><f32>re // complex64 store
  const imaginary = <f64><f32>im
  const magnitude = <f64><f32>Math.sqrt(real * real + imaginary * imaginary) // glibc hypotf
  return <f64><f32>(magnitude * magnitude) // float32 square
}

/** The radix-2 decimation-in-time stages on ZR/ZI (already in bit-reversed order). */
function complexStages(): void {
  // span 1: the one twiddle e^0, each butterfly on its own.
  const wr1 = load<f64>(f64At(TWIDDLE_RE, 1))
  const wi1 = load<f64>(f64At(TWIDDLE_IM, 1))
  for (let a = 0; a < HALF; a += 2) {
    const ra = f64At(ZR, a), ia = f64At(ZI, a)
    const reA = load<f64>(ra), imA = load<f64>(ia), reB = load<f64>(ra, 8), imB = load<f64>(ia, 8)
    const br = reB * wr1 - imB * wi1
    const bi = reB * wi1 + imB * wr1
    store<f64>(ra, reA - br, 8)
    store<f64>(ia, imA - bi, 8)
    store<f64>(ra, reA + br)
    store<f64>(ia, imA + bi)
  }
  // span ≥ 2: butterflies k and k + 1 of a block side by side, one per f64x2 lane.
  for (let span = 2; span < HALF; span <<= 1) {
    for (let block = 0; block < HALF; block += 2 * span) {
      for (let k = 0; k < span; k += 2) {
        const wr = v128.load(f64At(TWIDDLE_RE, span + k))
        const wi = v128.load(f64At(TWIDDLE_IM, span + k))
        const ra = f64At(ZR, block + k), ia = f64At(ZI, block + k)
        const rb = f64At(ZR, block + k + span), ib = f64At(ZI, block + k + span)
        const reA = v128.load(ra), imA = v128.load(ia), reB = v128.load(rb), imB = v128.load(ib)
        const br = f64x2.sub(f64x2.mul(reB, wr), f64x2.mul(imB, wi))
        const bi = f64x2.add(f64x2.mul(reB, wi), f64x2.mul(imB, wr))
        v128.store(rb, f64x2.sub(reA, br))
        v128.store(ib, f64x2.sub(imA, bi))
        v128.store(ra, f64x2.add(reA, br))
        v128.store(ia, f64x2.add(imA, bi))
      }
    }
  }
}
