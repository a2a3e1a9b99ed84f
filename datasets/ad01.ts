import {
  AD_FFT_SIZE, AD_FIRST_FRAME, AD_FRAMES, AD_HOP, AD_LOG_EPSILON, AD_MEL_BANDS, AD_SAMPLE_RATE, AD_STIMULUS_BYTES,
} from '../src/audio/ad-features.js'
import type {AdBenchmark} from './types.js'
import {OFFICIAL_STIMULI_TABLE} from '../src/formats/pinned-tables.js'
import {toycar} from './toycar.js'

/** A model input is 5 consecutive frames (`common.py` l.182-191, stimuli.md §4.2 step 6). */
const WINDOW_FRAMES = 5
/** One frame of 128 float32 values: the runners' window stride in bytes (the 512 of y_labels.csv). */
const FRAME_BYTES = AD_MEL_BANDS * Float32Array.BYTES_PER_ELEMENT
const WINDOW_BYTES = WINDOW_FRAMES * FRAME_BYTES
/** 196 windows per stimulus: frames 0–4, 1–5, …, 195–199. */
const WINDOWS_PER_STIMULUS = (AD_STIMULUS_BYTES - WINDOW_BYTES) / FRAME_BYTES + 1

/**
 * ad01: anomaly detection on DCASE 2020 Task 2 ToyCar (stimuli.md §4). The stimuli are float32 log-mel spectrograms,
 * 200 frames × 128 bands, that the device quantises itself; the runners slide a 5-frame window over each one.
 */
export const ad01: AdBenchmark = {
  id: 'ad01',
  source: toycar,
  classNames: ['normal', 'anomaly'],
  layout: {
    testFolder: 'test',
    trainFolder: 'train',
    clipName: /^(normal|anomaly)_id_(\d{2})_(\d{8})\.wav$/,
    machine: 'ToyCar',
    // The other machine types of DCASE 2020 Task 2 (dev_data_<machine>.zip): same layout, not ad01 sounds.
    otherMachines: ['fan', 'pump', 'slider', 'valve', 'ToyConveyor'],
    stimulusSuffix: '_hist_librosa.bin',
  },
  // mlcommons/tiny benchmark/evaluation/datasets/ad01/y_labels.csv and y_labels_alt.csv, shared with `score`.
  lists: {official: 'manifests/labels/ad01.csv', alt: 'manifests/labels/ad01_alt.csv'},
  officialStimuli: {table: OFFICIAL_STIMULI_TABLE, set: 'ad01'},
  windowing: {
    frames: WINDOW_FRAMES,
    bytes: WINDOW_BYTES,
    strideBytes: FRAME_BYTES,
    perStimulus: WINDOWS_PER_STIMULUS,
  },
  dtype: 'float32',
  shape: [AD_FRAMES, AD_MEL_BANDS],
  recipe: {
    reference: 'mlcommons/tiny benchmark/training/anomaly_detection common.py with librosa 0.6.0, numpy 1.16',
    sample_rate: AD_SAMPLE_RATE,
    samples: 'int16 / 32768 (float32, exact)',
    stft: {n_fft: AD_FFT_SIZE, hop_length: AD_HOP, center: true, pad_mode: 'reflect', window: 'hann (periodic), float64', fft: 'float64'},
    magnitude: 'complex64 store, then f32(sqrt(re^2 + im^2)) as glibc hypotf (numpy 1.16 np.abs)',
    power: 'f32(|X| * |X|)',
    mel: {scale: 'slaney', bands: AD_MEL_BANDS, fmin_hz: 0, fmax_hz: AD_SAMPLE_RATE / 2, norm: 'area (librosa norm=1)', basis: 'float64', dot: 'float64'},
    log: `f32(10 * log10(mel + ${AD_LOG_EPSILON}))`,
    frames: {first: AD_FIRST_FRAME, last: AD_FIRST_FRAME + AD_FRAMES - 1, count: AD_FRAMES},
    layout: `${AD_FRAMES} x ${AD_MEL_BANDS} float32 little-endian, time-major (${AD_STIMULUS_BYTES} bytes)`,
    window: {frames: WINDOW_FRAMES, bytes: WINDOW_BYTES, stride_bytes: FRAME_BYTES, per_stimulus: WINDOWS_PER_STIMULUS},
    // Not applied to the file: the device quantises each value (stimuli.md §4.2 step 7).
    device_quantization: {scale: 0.39101523, zero_point: 89, rounding: 'half away from zero', clamp: [-128, 127]},
  },
}
