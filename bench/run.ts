/**
 * `npm run bench`: speed of `prepare kws` on an archive the size of the real Speech Commands test set (4890 clips),
 * printed as clips/s and as ratios against baselines measured in the same run: reading the archive alone (gunzip +
 * tar + WAV) and, where python3 with numpy is installed, a numpy script doing the float64 mfcc job (read, features,
 * one .bin per clip written), alternating with the default prepare run (medians of 3). Then the image
 * (vww, ic) and ad01 pipelines, downloads from a local server, `infer` with each reference model, and `score` over
 * every published result folder of ../shared, each against a baseline measured in the same run; and the memory that
 * writing and reading back a 20,000-stimulus folder and `prepare vww` over a val2017-sized zip take, against the
 * bytes they handle and the 300 MB target, and `prepare kws --split train` over a tar.gz with the Speech Commands main
 * archive's layout and 105,829 clips, against the same target. Then `check` on a
 * 4,000-file submission tree built from those folders, against `score` on the same tree. Last, sww01: scoring a
 * 1200-s run, the golden run's real-time factor and the peak memory of `prepare sww`, each beside its target.
 */
import {execFile} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {availableParallelism, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {promisify} from 'node:util'

// The built library, as users run it: its worker threads exist only in dist/ (`npm run bench` builds first).
import {decodeWav, encodeWav, kws01, openSource, prepareKws, type Precision} from '../dist/src/index.js'
import {buildTarGz, REPO_ROOT, speechCommandsFolder} from '../test/helpers/archives.js'
import {AD_TARGET_RATIO, benchAd} from './ad.js'
import {benchCheck} from './check-tree.js'
import {benchDownload} from './download.js'
import {benchImages} from './image.js'
import {benchInfer, INFER_TARGET_RATIO} from './infer.js'
import {benchScore} from './score.js'
import {benchShard, SHARDS} from './shard.js'
import {benchSpeechCommandsMemory} from './speech-commands-memory.js'
import {benchSplits} from './splits.js'
import {benchSww} from './sww.js'
import {benchMemory, PEAK_RSS_TARGET_BYTES} from './write-folder.js'

const CLIPS = 4890
const KWS_ROUNDS = 3
/** Issue 17: prepare kws in at most 0.3 of the numpy script's time. */
const KWS_TARGET_RATIO = 0.3

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** Speech-like test clips: noise bursts of varying loudness and length, some shorter than a second, some with silence. */
function syntheticClip(index: number): Int16Array {
  let state = index * 7919 + 1
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const length = index % 4 === 0 ? 12000 + (index % 4000) : 16000
  const samples = new Int16Array(length)
  const onset = Math.floor(random() * 6000)
  const loudness = 2000 + random() * 20000
  for (let i = onset; i < length; i++) {
    const envelope = Math.sin((Math.PI * (i - onset)) / (length - onset))
    samples[i] = Math.round((random() - 0.5) * loudness * envelope + Math.sin(i * (0.05 + (index % 17) * 0.01)) * loudness * 0.3)
  }
  return samples
}

async function timed<T>(run: () => Promise<T>): Promise<{seconds: number; value: T}> {
  const start = performance.now()
  const value = await run()
  return {seconds: (performance.now() - start) / 1000, value}
}

async function numpyBaseline(archive: string): Promise<{seconds: number; clips: number} | string> {
  try {
    const {stdout} = await promisify(execFile)('python3', [join(REPO_ROOT, 'bench/numpy_kws_baseline.py'), archive, join(dirname(archive), 'numpy-out')], {maxBuffer: 1 << 20})
    return JSON.parse(stdout) as {seconds: number; clips: number}
  } catch (error) {
    return `skipped (python3 with numpy not available: ${(error as Error).message.split('\n')[0]})`
  }
}

const dir = await mkdtemp(join(tmpdir(), 'tinydata-bench-'))
try {
  const classNames = kws01.classNames
  const entries = Array.from({length: CLIPS}, (_, i) => ({
    path: `${speechCommandsFolder(classNames[i % classNames.length]!)}/clip${String(i).padStart(5, '0')}_nohash_0.wav`,
    bytes: encodeWav(syntheticClip(i), 16000),
  }))
  const archive = join(dir, 'speech_commands_test_like.tar.gz')
  await writeFile(archive, await buildTarGz(entries))
  console.log(`prepare kws on a generated ${CLIPS}-clip Speech Commands archive (${availableParallelism()} CPUs)`)

  const read = await timed(async () => {
    let clips = 0
    for await (const member of (await openSource(archive)).members()) {
      decodeWav(member.bytes, member.path)
      clips++
    }
    return clips
  })
  const rows: [string, number][] = [['read only: gunzip + tar + WAV (baseline)', read.seconds]]
  const prepareTimed = (precision: Precision, threads: number) =>
    timed(() => prepareKws({benchmark: kws01, source: archive, out: join(dir, precision), subset: 'test', precision, threads, verify: false}))
  for (const precision of ['exact', 'float64'] as Precision[]) {
    for (const threads of [1, availableParallelism()]) {
      if (precision === 'exact' && threads > 1) continue // measured below, alternating with numpy
      rows.push([`prepare kws mfcc --subset test, ${precision}, ${threads} thread${threads > 1 ? 's' : ''}`, (await prepareTimed(precision, threads)).seconds])
    }
  }
  // The default run (exact, one thread per CPU) against the numpy script: alternated, medians of KWS_ROUNDS.
  const exactSeconds: number[] = []
  const numpySeconds: number[] = []
  let numpySkipped: string | undefined
  for (let round = 0; round < KWS_ROUNDS; round++) {
    exactSeconds.push((await prepareTimed('exact', availableParallelism())).seconds)
    if (numpySkipped) continue
    const numpy = await numpyBaseline(archive)
    if (typeof numpy === 'string') numpySkipped = numpy
    else numpySeconds.push(numpy.seconds)
  }
  const exact = median(exactSeconds)
  rows.splice(2, 0, [`prepare kws mfcc --subset test, exact, ${availableParallelism()} threads (median)`, exact])
  const numpyMedian = numpySkipped ? undefined : median(numpySeconds)
  if (numpyMedian) rows.push(['numpy float64 mfcc script (baseline, median)', numpyMedian])

  for (const [name, seconds] of rows) {
    const vsNumpy = numpyMedian ? `   ${(numpyMedian / seconds).toFixed(2)}× numpy's speed` : ''
    console.log(`  ${name.padEnd(52)} ${seconds.toFixed(2).padStart(6)} s  ${(CLIPS / seconds).toFixed(0).padStart(6)} clips/s   ${(read.seconds / seconds).toFixed(2)}× read-only speed${vsNumpy}`)
  }
  if (numpySkipped) console.log(`  numpy baseline ${numpySkipped}`)
  else {
    const ratio = exact / numpyMedian!
    console.log(`  ratio to numpy ${ratio.toFixed(2)} (target ≤ ${KWS_TARGET_RATIO.toFixed(2)}: ${ratio <= KWS_TARGET_RATIO ? 'met' : 'not met'})`)
  }

  const shard = await benchShard(archive, dir)
  const slowest = Math.max(...shard.shardSeconds)
  console.log(`\nprepare kws mfcc --subset test --shard i/${SHARDS}, the same archive, each shard with every thread (the README's worked plan)`)
  console.log(`  ${'unsharded (baseline)'.padEnd(52)} ${shard.wholeSeconds.toFixed(2).padStart(6)} s  ${(CLIPS / shard.wholeSeconds).toFixed(0).padStart(6)} clips/s`)
  shard.shardSeconds.forEach((seconds, index) => console.log(`  ${`shard ${index + 1}/${SHARDS}`.padEnd(52)} ${seconds.toFixed(2).padStart(6)} s  ${(CLIPS / seconds).toFixed(0).padStart(6)} clips/s of the whole   ${(shard.wholeSeconds / seconds).toFixed(2)}× the unsharded speed`))
  console.log(`  ${`merge of the ${SHARDS} shards`.padEnd(52)} ${shard.mergeSeconds.toFixed(2).padStart(6)} s   ${SHARDS} machines: ${(shard.wholeSeconds / (slowest + shard.mergeSeconds)).toFixed(2)}× the unsharded speed (slowest shard + merge)`)

  console.log('\nimage stimuli (generated JPEGs and a generated CIFAR-10 batch)')
  for (const run of await benchImages()) {
    const rate = run.images / run.seconds
    console.log(`  ${run.name.padEnd(52)} ${run.seconds.toFixed(2).padStart(6)} s  ${rate.toFixed(0).padStart(6)} images/s   ${(run.baselineSeconds / run.seconds).toFixed(2)}× the speed of ${run.baselineName} (${(run.images / run.baselineSeconds).toFixed(0)} images/s)`)
    if (run.peer && 'skipped' in run.peer) console.log(`    PIL + scikit-image baseline ${run.peer.skipped}`)
    else if (run.peer) {
      const ratio = run.seconds / run.peer.seconds
      console.log(`  ${run.peer.name.padEnd(52)} ${run.peer.seconds.toFixed(2).padStart(6)} s  ${(run.images / run.peer.seconds).toFixed(0).padStart(6)} images/s   tinydata takes ${ratio.toFixed(2)}× its time; target ≤ ${run.peer.targetRatio} (${ratio <= run.peer.targetRatio ? 'met' : 'not met'})`)
    }
  }

  const ad = await benchAd()
  console.log(`\nad01 log-mel stimuli (generated 10-second clips; medians of 3 alternations)`)
  console.log(`  ${ad.name.padEnd(52)} ${ad.seconds.toFixed(2).padStart(6)} s  ${(ad.clips / ad.seconds).toFixed(1).padStart(6)} clips/s`)
  if ('skipped' in ad.numpy) console.log(`  numpy baseline ${ad.numpy.skipped}`)
  else {
    const ratio = ad.seconds / ad.numpy.seconds
    console.log(`  ${'numpy float64 log-mel script (baseline)'.padEnd(52)} ${ad.numpy.seconds.toFixed(2).padStart(6)} s  ${(ad.clips / ad.numpy.seconds).toFixed(1).padStart(6)} clips/s`)
    console.log(`  ratio to numpy ${ratio.toFixed(2)} (target ≤ ${AD_TARGET_RATIO.toFixed(2)}: ${ratio <= AD_TARGET_RATIO ? 'met' : 'not met'})`)
  }

  const download = await benchDownload()
  const megabytes = download.bytes / 1e6
  console.log(`\ndownload from a local HTTP server`)
  console.log(`  ${download.name.padEnd(52)} ${download.seconds.toFixed(2).padStart(6)} s  ${(megabytes / download.seconds).toFixed(0).padStart(6)} MB/s   sha256 alone: ${(megabytes / download.sha256OnlySeconds).toFixed(0)} MB/s (${(download.sha256OnlySeconds / download.seconds).toFixed(2)}× the download time)`)

  const memory = await benchMemory()
  const {folder, prepareVww: vwwMemory} = memory
  const held = folder.stimuli * folder.stimulusBytes
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
  const againstTarget = (bytes: number) => `target ≤ ${mb(PEAK_RSS_TARGET_BYTES)} (${bytes <= PEAK_RSS_TARGET_BYTES ? 'met' : 'not met'})`
  console.log(`\npeak memory (resident set, each run in a process of its own)`)
  console.log(`  ${`writing a prepared folder of ${folder.stimuli} vww01 stimuli (${folder.writeSeconds.toFixed(1)} s)`.padEnd(76)} ${mb(folder.writePeakRssBytes).padStart(8)}   ${(folder.writePeakRssBytes / held).toFixed(2)}× the stimuli's own ${mb(held)}; ${againstTarget(folder.writePeakRssBytes)}`)
  console.log(`  ${'reading its manifest rows back'.padEnd(76)} ${mb(folder.readPeakRssBytes).padStart(8)}   ${(folder.readPeakRssBytes / held).toFixed(2)}× the stimuli's own ${mb(held)}`)
  console.log(`  ${`prepare vww --subset all, a generated ${mb(vwwMemory.archiveBytes)} zip of ${vwwMemory.images} JPEGs (${vwwMemory.seconds.toFixed(1)} s)`.padEnd(76)} ${mb(vwwMemory.peakRssBytes).padStart(8)}   ${(vwwMemory.peakRssBytes / vwwMemory.archiveBytes).toFixed(2)}× the archive's size; ${againstTarget(vwwMemory.peakRssBytes)}`)

  const speechCommandsMemory = await benchSpeechCommandsMemory()
  const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`
  console.log(`\nprepare kws --split ${speechCommandsMemory.split} over a Speech Commands main-archive look-alike (near-silent clips: its size is the tar's, not the tar.gz's)`)
  console.log(`  ${speechCommandsMemory.clips} clips, ${gb(speechCommandsMemory.tarBytes)} of tar in a ${mb(speechCommandsMemory.archiveBytes)} tar.gz (written in ${speechCommandsMemory.generateSeconds.toFixed(1)} s)`)
  console.log(`  ${`${speechCommandsMemory.examples} examples made (${speechCommandsMemory.seconds.toFixed(1)} s)`.padEnd(76)} ${mb(speechCommandsMemory.peakRssBytes).padStart(8)}   ${(speechCommandsMemory.peakRssBytes / speechCommandsMemory.tarBytes).toFixed(2)}× the tar's size; ${againstTarget(speechCommandsMemory.peakRssBytes)}`)

  const infer = await benchInfer()
  console.log('\ninfer: reference int8 models on generated stimuli (one thread; medians of 3 alternations)')
  if (typeof infer === 'string') console.log(`  ${infer}`)
  else {
    for (const run of infer) {
      const rate = run.inferences / run.seconds
      const bareRate = run.inferences / run.interpreterOnlySeconds
      const ratio = run.interpreterOnlySeconds / run.seconds
      console.log(`  ${`infer ${run.benchmark} (${run.inferences} inferences)`.padEnd(52)} ${run.seconds.toFixed(2).padStart(6)} s  ${rate.toFixed(0).padStart(6)} inferences/s   ${ratio.toFixed(2)}× the speed of the bare interpreter (${bareRate.toFixed(0)}/s); target ≥ ${INFER_TARGET_RATIO.toFixed(2)}: ${ratio >= INFER_TARGET_RATIO ? 'met' : 'not met'}`)
    }
  }

  const score = await benchScore()
  console.log(`\n${score.name} (${score.folders} folders; target well under 30 s)`)
  if (score.folders > 0) {
    console.log(`  read + gunzip only (baseline)   ${score.readOnlySeconds.toFixed(2).padStart(6)} s`)
    console.log(`  tinydata score                  ${score.seconds.toFixed(2).padStart(6)} s   ${(score.seconds / score.readOnlySeconds).toFixed(1)}× the read-only time`)
  }

  const check = await benchCheck()
  console.log('\ncheck: a generated submission tree of about 4,000 files (every figure recomputed)')
  if ('skipped' in check) console.log(`  ${check.skipped}`)
  else {
    const verdict = `exit ${check.exitCode}${check.exitCode === 0 ? '' : `: ${check.outcome}`}`
    console.log(`  ${'tinydata score on the same tree (baseline)'.padEnd(52)} ${check.scoreSeconds.toFixed(2).padStart(6)} s`)
    console.log(`  ${`tinydata check (${check.files} files)`.padEnd(52)} ${check.seconds.toFixed(2).padStart(6)} s   ${(check.seconds / check.scoreSeconds).toFixed(2)}× the score time; target under ${check.targetSeconds} s (${verdict})`)
  }

  const sww = await benchSww()
  console.log('\nsww01 (streaming wake word)')
  for (const run of sww.score) {
    console.log(`  ${`score: ${run.name} (${run.detections} detections)`.padEnd(76)} ${run.seconds.toFixed(3).padStart(6)} s   ${(run.seconds / run.readOnlySeconds).toFixed(1)}× the time of reading + JSON-parsing its files (${run.readOnlySeconds.toFixed(3)} s); target under 0.5 s`)
  }
  if (typeof sww.golden === 'string') console.log(`  golden run: ${sww.golden}`)
  else {
    const golden = sww.golden
    console.log(`  ${`golden run: infer sww on a ${golden.audioSeconds}-s WAV (${golden.source})`.padEnd(76)} ${golden.seconds.toFixed(2).padStart(6)} s   ${(golden.audioSeconds / golden.seconds).toFixed(0)}× real time (stream alone ${(golden.audioSeconds / golden.streamSeconds).toFixed(0)}×; the bare model on ${golden.inferences} inputs ${(golden.audioSeconds / golden.modelOnlySeconds).toFixed(0)}×); target 50× on one core`)
  }
  const prepare = sww.prepare
  console.log(`  ${`prepare sww, the long spec's 1200-s WAV from a ${mb(prepare.musanTarBytes)} MUSAN tar (${prepare.seconds.toFixed(1)} s)`.padEnd(76)} ${mb(prepare.peakRssBytes).padStart(6)} peak RSS   ${(prepare.peakRssBytes / prepare.wavBytes).toFixed(2)}× the WAV's own size (${mb(prepare.wavBytes)}); target under 400 MB`)

  const splits = await benchSplits()
  console.log('\nprepare kws --split train (the TFDS train split as an Arrow file) against prepare kws --subset test, through the CLI')
  console.log(`  ${`prepare kws --subset test (${splits.clips} clips; baseline)`.padEnd(52)} ${splits.testSeconds.toFixed(2).padStart(6)} s  ${(splits.clips / splits.testSeconds).toFixed(0).padStart(6)} clips/s`)
  const testRate = splits.clips / splits.testSeconds
  for (const run of splits.train) {
    const rate = run.examples / run.seconds
    console.log(`  ${`prepare kws --split train, ${run.name} (${run.examples} examples)`.padEnd(52)} ${run.seconds.toFixed(2).padStart(6)} s  ${rate.toFixed(0).padStart(6)} examples/s   ${(rate / testRate).toFixed(2)}× the rate of prepare kws; peak RSS ${mb(run.peakRssBytes)} (target under ${mb(splits.targetRssBytes)})`)
  }
} finally {
  await rm(dir, {recursive: true, force: true})
}
