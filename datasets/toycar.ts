import type {SourceDataset} from './types.js'

/**
 * DCASE 2020 Task 2 development data, ToyCar (ToyADMOS; Koizumi et al., 2019). ad01 takes 248 test clips. No size or
 * checksum is published anywhere (spec sources.md): the first complete download pins its sha256.
 */
export const toycar: SourceDataset = {
  id: 'toycar',
  title: 'DCASE 2020 Task 2 development data, ToyCar',
  homepage: 'https://zenodo.org/record/3678171',
  license: 'CC BY-NC-SA 4.0',
  citation: 'Koizumi, Y. et al. (2019). ToyADMOS: A Dataset of Miniature-Machine Operating Sounds for Anomalous Sound Detection. WASPAA 2019',
  files: [
    {
      name: 'dev_data_ToyCar.zip',
      url: 'https://zenodo.org/record/3678171/files/dev_data_ToyCar.zip?download=1',
      format: 'zip',
      // The ToyCar clips are 11 s of 16 kHz mono 16-bit PCM, 352,044 B with the header (the real clips in
      // ../shared/fixtures/ad01/toycar_wav); no length is published, so 1 MiB (about 32 s) leaves room for longer ones.
      largestMember: 1024 * 1024,
    },
  ],
}
