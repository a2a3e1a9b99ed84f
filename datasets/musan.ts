import type {SourceDataset} from './types.js'

/** MUSAN (Snyder et al., 2015), the noise of the streaming wake-word benchmark (sww01). md5 from spec sources.md. */
export const musan: SourceDataset = {
  id: 'musan',
  title: 'MUSAN: music, speech and noise corpus',
  homepage: 'https://www.openslr.org/17/',
  license: 'CC BY 4.0 (speech and noise parts; music under its own licences)',
  citation: 'Snyder, D., Chen, G., Povey, D. (2015). MUSAN: A Music, Speech, and Noise Corpus. arXiv:1510.08484',
  files: [
    {
      name: 'musan.tar.gz',
      url: 'https://www.openslr.org/resources/17/musan.tar.gz',
      md5: '0c472d4fc0c5141eca47ad1ffeb2a7df',
      format: 'tar.gz',
      // Recordings of music, speech and noise of very different lengths, none measured here: a generous 512 MiB (4.6
      // hours of 16 kHz mono 16-bit PCM) that still refuses a decompression bomb before it fills the memory.
      largestMember: 512 * 1024 * 1024,
    },
  ],
}
