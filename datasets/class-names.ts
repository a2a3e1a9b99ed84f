import type {BenchmarkId} from '../src/benchmark-ids.js'

import {ad01} from './ad01.js'
import {ic01} from './ic01.js'
import {kws01} from './kws01.js'
import {vww01} from './vww01.js'

/** The class names of each benchmark, in label order, as its definition gives them. */
export const BENCHMARK_CLASS_NAMES: Record<BenchmarkId, readonly string[]> = {
  kws01: kws01.classNames, vww01: vww01.classNames, ic01: ic01.classNames, ad01: ad01.classNames,
}
