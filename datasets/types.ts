/** One file a source data set is published as (TFDS's url_checksums, in TypeScript). */
export interface SourceFile {
  name: string
  url: string
  /** Bytes, where published; undefined where no source states it. */
  size?: number
  /** sha256 where published; other published digests go in `md5`. Neither: the first complete download pins one. */
  sha256?: string
  md5?: string
  format: 'tar.gz' | 'tar' | 'zip'
  /** Not needed by the benchmark itself (e.g. COCO train2017 for the open-division set). */
  optional?: boolean
}

/** A public data set the benchmarks draw from: where its bytes come from and under which terms. No feature code. */
export interface SourceDataset {
  id: string
  title: string
  homepage: string
  license: string
  citation: string
  files: readonly SourceFile[]
}
