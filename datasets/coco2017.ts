import type {SourceDataset} from './types.js'

/**
 * The largest image member: a COCO image is at most 640 pixels a side (all 603 val2017 shapes in
 * manifests/vww01/vww_affine_M.json, from COCO's own image sizes), 1,228,800 bytes as raw RGB, which a photograph's
 * JPEG stays well below (the largest of the 85 in ../shared/fixtures/vww01 is 321,136 B). 4 MiB leaves room for
 * EXIF and ICC segments and for train2017, made by the same rule.
 */
const COCO_IMAGE_BOUND = 4 * 1024 * 1024

/**
 * COCO 2017 (Lin et al., 2014). vww01's official images are val2017 ids; the open-division set also needs the
 * instances annotations, and train2017 for training. Values from TFDS url_checksums/coco2017.txt (spec sources.md).
 */
export const coco2017: SourceDataset = {
  id: 'coco2017',
  title: 'COCO 2017',
  homepage: 'https://cocodataset.org',
  license: 'annotations CC BY 4.0; images under their Flickr licences',
  citation: 'Lin, T.-Y. et al. (2014). Microsoft COCO: Common Objects in Context. ECCV 2014',
  files: [
    {
      name: 'val2017.zip',
      url: 'http://images.cocodataset.org/zips/val2017.zip',
      size: 815_585_330,
      sha256: '4f7e2ccb2866ec5041993c9cf2a952bbed69647b115d0f74da7ce8f4bef82f05',
      format: 'zip',
      largestMember: COCO_IMAGE_BOUND,
    },
    {
      name: 'annotations_trainval2017.zip',
      url: 'http://images.cocodataset.org/annotations/annotations_trainval2017.zip',
      size: 252_907_541,
      sha256: '113a836d90195ee1f884e704da6304dfaaecff1f023f49b6ca93c4aaae470268',
      format: 'zip',
      // Only instances_val2017.json is read (about 25 MB; instances_train2017.json, 448 MB, is passed over unread).
      largestMember: 64 * 1024 * 1024,
    },
    {
      name: 'train2017.zip',
      url: 'http://images.cocodataset.org/zips/train2017.zip',
      size: 19_336_861_798,
      sha256: '69a8bb58ea5f8f99d24875f21416de2e9ded3178e903f1f7603e283b9e06d929',
      format: 'zip',
      largestMember: COCO_IMAGE_BOUND,
      optional: true,
    },
  ],
}
