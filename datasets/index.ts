import type {SourceDataset} from './types.js'
import {cifar10} from './cifar10.js'
import {coco2017} from './coco2017.js'
import {musan} from './musan.js'
import {speechCommands, speechCommandsTest} from './speech-commands.js'
import {sww01} from './sww01.js'
import {toycar} from './toycar.js'
import {vwCoco2014x96} from './vw-coco2014-96.js'

/**
 * The source data sets each benchmark reads, by the short name used on the command line (`tinydata download kws`).
 * Files marked `optional` in a data set, and the data sets under `optional`, are fetched only on request
 * (`--include-optional`): the benchmark's stimuli do not need them.
 */
export interface BenchmarkSources {
  name: string
  benchmark: string
  description: string
  datasets: readonly SourceDataset[]
  optional: readonly SourceDataset[]
}

export const BENCHMARK_SOURCES: readonly BenchmarkSources[] = [
  {
    name: 'kws',
    benchmark: 'kws01',
    description: 'keyword spotting: the Speech Commands test-set archive (the full archive, for training, is optional)',
    datasets: [speechCommandsTest],
    optional: [speechCommands],
  },
  {
    name: 'ic',
    benchmark: 'ic01',
    description: 'image classification: the CIFAR-10 binary archive (the python archive is optional)',
    datasets: [cifar10],
    optional: [],
  },
  {
    name: 'vww',
    benchmark: 'vww01',
    description: 'visual wake words: COCO val2017 images and annotations (train2017 and the Silicon Labs training archive are optional)',
    datasets: [coco2017],
    optional: [vwCoco2014x96],
  },
  {
    name: 'ad',
    benchmark: 'ad01',
    description: 'anomaly detection: the DCASE 2020 ToyCar development data',
    datasets: [toycar],
    optional: [],
  },
  {
    name: 'sww',
    benchmark: 'sww01',
    description: 'streaming wake word: the runner\'s truth JSONs and test WAVs, the full Speech Commands archive and MUSAN',
    datasets: [sww01.runnerSource, speechCommands, musan],
    optional: [],
  },
]

/** Every benchmark at once on the command line. */
export const ALL_BENCHMARKS = 'all'
