import type {SourceDataset} from './types.js'

/**
 * Silicon Labs' Visual Wake Words training archive: COCO 2014 images already labelled person / non-person by
 * buildPersonDetectionDatabase.py and resized to 96 × 96, in two folders (`vw_coco2014_96/person/`,
 * `vw_coco2014_96/non_person/`). The vww01 reference model was trained on it (mlcommons/tiny
 * benchmark/training/visual_wake_words/README.md, train_vww.py). Silicon Labs publishes no size or checksum: the two
 * below are another project's pin of the download (mlperf-edu's MLPERF_TINY_VWW_ARCHIVE_SHA256 and _BYTES), not
 * measured here; `prepare vww --split … --no-verify` reads an archive that differs.
 */
export const vwCoco2014x96: SourceDataset = {
  id: 'vw_coco2014_96',
  title: 'Visual Wake Words training images (COCO 2014, 96 × 96, Silicon Labs)',
  homepage: 'https://github.com/mlcommons/tiny/tree/master/benchmark/training/visual_wake_words',
  license: 'COCO: annotations CC BY 4.0; images under their Flickr licences',
  citation: 'Chowdhery, A. et al. (2019). Visual Wake Words Dataset. arXiv:1906.05721',
  files: [
    {
      name: 'vw_coco2014_96.tar.gz',
      url: 'https://www.silabs.com/public/files/github/machine_learning/benchmarks/datasets/vw_coco2014_96.tar.gz',
      size: 234_810_765,
      sha256: 'f8746b9e44f8a7a4293f73be9ba6e8da9239fe69798d42364aae62b915cfab58',
      format: 'tar.gz',
      // A 96 × 96 JPEG is a few kB (27,648 B as raw RGB); 1 MiB leaves room for any metadata segment.
      largestMember: 1024 * 1024,
      optional: true,
    },
  ],
}
