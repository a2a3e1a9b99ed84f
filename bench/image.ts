/**
 * Benchmarks of `prepare vww` and `prepare ic`, each against a baseline measured in the same run:
 *
 * - vww: images per second of `prepare vww --subset all` on both cores (worker threads) over a val2017-style zip,
 *   against sharp decoding the same JPEGs alone with the same parallelism, the floor any exact resize sits on, and
 *   against the script a user writes instead (bench/pil_skimage_vww_baseline.py: PIL decode, scikit-image's
 *   anti-aliased resize, one .bin per image) where python3 has PIL and scikit-image: medians of alternating runs on
 *   the same zip. The JPEGs are the real COCO originals of ../shared repeated under new ids when present (real photos
 *   decode at their real cost), generated photo-like images otherwise.
 * - ic: images per second of `prepare ic --subset test` (all 10,000) against reading the tar.gz alone.
 */
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

// The built library, as users run it: its worker threads exist only in dist/ (`npm run bench` builds first).
import {ic01} from '../dist/datasets/ic01.js'
import {vww01} from '../dist/datasets/vww01.js'
import {openSource} from '../dist/src/archives/source-reader.js'
import {loadSharp} from '../dist/src/image/decode.js'
import {IMAGES_IN_FLIGHT_PER_THREAD} from '../dist/src/prepare/vww.js'
import {defaultThreads} from '../dist/src/parallel/task-pool.js'
import {prepareIc} from '../dist/src/prepare/ic.js'
import {prepareVww} from '../dist/src/prepare/vww.js'
import {buildZip, REPO_ROOT} from '../test/helpers/archives.js'
import {buildCifarArchive, buildCifarBatch, syntheticJpeg, VWW_ORIGINALS} from '../test/helpers/images.js'

export interface ImageBenchResult {
  name: string
  images: number
  seconds: number
  baselineSeconds: number
  baselineName: string
  /** vww: the PIL + scikit-image script on the same zip, or why it was skipped. */
  peer?: {name: string; seconds: number; targetRatio: number} | {skipped: string}
}

/** About half of val2017's share of vww01: enough images for the worker threads to reach their pace. */
const VWW_IMAGES = 510
/** Runs of tinydata and of the Python script, alternating: the medians are compared. */
const PEER_ALTERNATIONS = 3
/** Issue 17: tinydata at most a fifth of the PIL + scikit-image script's time. */
const PEER_TARGET_RATIO = 0.2
/** COCO's most common shapes (width × height), for the generated images. */
const COCO_SHAPES = [[640, 480], [480, 640], [640, 427], [500, 375], [612, 612]] as const

export async function benchImages(): Promise<ImageBenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tinydata-bench-image-'))
  try {
    return [await benchVww(dir), await benchIc(dir)]
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

async function benchVww(dir: string): Promise<ImageBenchResult> {
  const {jpegs, kind} = await benchJpegs()
  const sharp = await loadSharp()
  const fileName = (i: number) => `${String(i + 1).padStart(12, '0')}.jpg`
  const images: {id: number; file_name: string; width: number; height: number}[] = []
  for (const [i, jpeg] of jpegs.entries()) {
    const {width, height} = await sharp(jpeg).metadata()
    images.push({id: i + 1, file_name: fileName(i), width: width!, height: height!})
  }
  const source = join(dir, 'val2017.zip')
  await writeFile(source, buildZip(jpegs.map((bytes, i) => ({path: `val2017/${fileName(i)}`, bytes}))))
  const annotations = join(dir, 'instances_val2017.json')
  await writeFile(annotations, JSON.stringify({images, annotations: [], categories: [{id: 1, name: 'person'}]}))

  // Baseline: the decode alone, as many at once as the pool keeps in flight.
  const threads = defaultThreads()
  const baselineStart = performance.now()
  let next = 0
  await Promise.all(
    Array.from({length: threads * IMAGES_IN_FLIGHT_PER_THREAD}, async () => {
      while (next < jpegs.length) await sharp(jpegs[next++]!, {ignoreIcc: true}).raw().toBuffer()
    }),
  )
  const baselineSeconds = (performance.now() - baselineStart) / 1000

  const prepare = async () => {
    const start = performance.now()
    await prepareVww({benchmark: vww01, source, annotations, subset: 'all', out: join(dir, 'vww'), verify: false, threads})
    return (performance.now() - start) / 1000
  }
  const seconds: number[] = []
  const peerSeconds: number[] = []
  let skipped: string | undefined
  for (let run = 0; run < PEER_ALTERNATIONS; run++) {
    seconds.push(await prepare())
    if (skipped) continue
    const peer = await pilSkimageScript(source, join(dir, 'python-out'), jpegs.length)
    if (typeof peer === 'string') skipped = peer
    else peerSeconds.push(peer)
  }
  return {
    name: `prepare vww --subset all, ${jpegs.length} ${kind} JPEGs in a zip, ${threads} threads`,
    images: jpegs.length,
    seconds: median(seconds),
    baselineSeconds,
    baselineName: 'sharp decode alone (same JPEGs, same parallelism)',
    peer: skipped
      ? {skipped}
      : {name: `PIL + scikit-image script (one process; medians of ${PEER_ALTERNATIONS} alternating runs)`, seconds: median(peerSeconds), targetRatio: PEER_TARGET_RATIO},
  }
}

/** Seconds the Python script took (timed inside it, as prepare is timed in this process), or why it could not run. */
async function pilSkimageScript(zip: string, out: string, images: number): Promise<number | string> {
  try {
    const {stdout} = await promisify(execFile)('python3', [join(REPO_ROOT, 'bench/pil_skimage_vww_baseline.py'), zip, out], {maxBuffer: 1 << 20})
    const result = JSON.parse(stdout) as {images: number; seconds: number}
    if (result.images !== images) throw new Error(`it made ${result.images} of the ${images} images`)
    return result.seconds
  } catch (error) {
    return `skipped (python3 with PIL and scikit-image not available: ${(error as Error).message.trim().split('\n').at(-1)})`
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]!
}

/** The real originals repeated to VWW_IMAGES when ../shared has them, generated photo-like JPEGs otherwise. */
async function benchJpegs(): Promise<{jpegs: Uint8Array[]; kind: string}> {
  if (existsSync(VWW_ORIGINALS)) {
    const originals = await Promise.all((await readdir(VWW_ORIGINALS)).filter((file) => file.endsWith('.jpg')).sort().map((file) => readFile(join(VWW_ORIGINALS, file))))
    return {jpegs: Array.from({length: VWW_IMAGES}, (_, i) => originals[i % originals.length]!), kind: 'real COCO'}
  }
  const distinct = await Promise.all(COCO_SHAPES.map(([width, height], i) => syntheticJpeg(width, height, i)))
  return {jpegs: Array.from({length: VWW_IMAGES}, (_, i) => distinct[i % distinct.length]!), kind: 'generated'}
}

async function benchIc(dir: string): Promise<ImageBenchResult> {
  const archive = join(dir, 'cifar-10-binary.tar.gz')
  await writeFile(archive, await buildCifarArchive(buildCifarBatch(new Map(), ic01.testImages)))

  const baselineStart = performance.now()
  for await (const member of (await openSource(archive)).members()) void member
  const baselineSeconds = (performance.now() - baselineStart) / 1000

  const start = performance.now()
  const result = await prepareIc({benchmark: ic01, source: archive, out: join(dir, 'ic'), subset: 'test', verify: false})
  return {
    name: 'prepare ic --subset test, the 10,000 test images',
    images: result.filesWritten,
    seconds: (performance.now() - start) / 1000,
    baselineSeconds,
    baselineName: 'reading the tar.gz alone',
  }
}
