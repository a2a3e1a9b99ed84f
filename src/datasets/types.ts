/** One file a source data set is published as (TFDS's url_checksums, in TypeScript). */
export interface SourceFile {
  name: string
  url: string
  size: number
  sha256?: string
  format: 'tar.gz' | 'tar' | 'zip'
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
