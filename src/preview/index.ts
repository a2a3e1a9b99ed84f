/** Stimulus previews: one stimulus as a PNG (image, heatmap or waveform), a contact sheet, and `tinydata show`. */
export {COLOUR_MAP, HIGHEST_COLOUR, LOWEST_COLOUR, type Rgb} from './colour-map.js'
export type {Rect} from './canvas.js'
export {
  benchmarkOfStimulusSize, decodeStimulus, labelText, type DecodedStimulus, type ImageStimulus, type KwsFeatures,
  type SpectrogramStimulus, type WaveformStimulus,
} from './stimulus.js'
export {MAX_SCALE, renderStimulusPreview, stimulusPreviewPng, type PreviewOptions, type StimulusPreview} from './preview.js'
export {contactSheetPng, renderContactSheet, type ContactSheet, type ContactSheetEntry, type ContactSheetOptions} from './contact-sheet.js'
export {DEFAULT_SHOW_COUNT, showStimuli, type ShowOptions, type ShowResult, type ShownStimulus} from './show.js'
