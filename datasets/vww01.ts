import type {VwwBenchmark} from './types.js'
import {OFFICIAL_STIMULI_TABLE} from '../src/formats/pinned-tables.js'
import {coco2017} from './coco2017.js'

const cocoFile = (name: string) => coco2017.files.find((file) => file.name === name)!

/**
 * vww01: visual wake words, person / no person on 1000 COCO val2017 images, 96 × 96 × 3 uint8 HWC RGB (spec
 * stimuli.md §2, vww-parity.md). The official list gives the images by COCO id; the pixels are scikit-image 0.18's
 * anti-aliased resize as Silicon Labs' buildPersonDetectionDatabase.py ran it in 2021.
 */
export const vww01: VwwBenchmark = {
  id: 'vww01',
  source: coco2017,
  images: cocoFile('val2017.zip'),
  otherImages: [cocoFile('train2017.zip')],
  annotations: cocoFile('annotations_trainval2017.zip'),
  annotationsMember: 'instances_val2017.json',
  classNames: ['non_person', 'person'],
  officialList: 'manifests/labels/vww01.csv',
  officialCount: 1000,
  officialStimuli: {table: OFFICIAL_STIMULI_TABLE, set: 'vww01'},
  // buildPersonDetectionDatabase.py: wakeword 'person', areaRatio .025, bounding-box area, iscrowd=False.
  personRule: {category: 'person', minBoxShare: 0.025},
  shape: [96, 96, 3],
  // vww_96_int8.tflite input: int8, scale float32(1/255), zero point −128; the device sends byte − 128, so the model
  // sees byte · scale (stimuli.md §2.2).
  quantization: {dtype: 'uint8', scale: 0.003921568859368563, zeroPoint: 0, origin: 'vww_96_int8.tflite input tensor (scale 1/255, zero point −128) after the device subtracts 128'},
  recipe: {
    decode: 'libjpeg-turbo via sharp: ICC profile ignored, no EXIF rotation, greyscale copied to 3 channels',
    resize: 'scikit-image 0.18 resize(I, (96, 96), anti_aliasing=True)',
    anti_aliasing: 'scipy gaussian_filter on the uint8 image, sigma=max(0,(n/96-1)/2), truncate 4, mirror boundary, rows then columns, each pass truncated to uint8; weights from vww_gauss_kernels.json',
    to_float: 'F * (1/255)',
    affine: 'per image shape from vww_affine_M.json (the 2021 machine); ideal W/96, W/192-0.5, H/96, H/192-0.5 for other shapes',
    warp: 'bilinear, then clip to [min, max] of the filtered image',
    quantization: 'trunc(255 * v) to uint8',
    layout: 'HWC RGB, 27648 bytes',
  },
}
