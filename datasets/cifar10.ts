import type {SourceDataset} from './types.js'

/**
 * CIFAR-10 (Krizhevsky, 2009). ic01 takes 200 images of the test batch. The binary archive is the one TFDS pins
 * (url_checksums/cifar10.txt); the reference scripts download the python archive (torchvision md5, Keras sha256).
 * Values from spec sources.md.
 */
export const cifar10: SourceDataset = {
  id: 'cifar10',
  title: 'CIFAR-10',
  homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
  license: 'no explicit licence (research use; Krizhevsky, 2009)',
  citation: 'Krizhevsky, A. (2009). Learning Multiple Layers of Features from Tiny Images. Technical report, University of Toronto',
  files: [
    {
      name: 'cifar-10-binary.tar.gz',
      url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
      size: 170_052_171,
      sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
      format: 'tar.gz',
      // A batch: 10,000 records of a label byte and 3072 pixel bytes (the test batch, exactly; the others alike).
      largestMember: 10_000 * (1 + 3072),
    },
    {
      name: 'cifar-10-python.tar.gz',
      url: 'https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz',
      size: 170_498_071,
      sha256: '6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce',
      md5: 'c58f30108f718f92721af3b95e74349a',
      format: 'tar.gz',
      // A pickled batch: the 30,720,000 pixel bytes with labels and file names, about 31 MB (prepare ic refuses this
      // archive, naming the binary one; the bound still holds for any reader of it).
      largestMember: 32 * 1024 * 1024,
      optional: true,
    },
  ],
}
