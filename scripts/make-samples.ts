/**
 * Builds the generated samples behind `tinydata demo` for the benchmarks whose source data may not be redistributed
 * (samples/README.md): synthetic pictures and sounds, laid out exactly like the real archives the prepare commands
 * read. Everything is computed from fixed numbers (no clock, no randomness), so a run rewrites the same members.
 * Run with `npx tsx scripts/make-samples.ts`; the files are committed.
 */
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {ad01} from '../datasets/ad01.js'
import {ic01} from '../datasets/ic01.js'
import {BUNDLED_SAMPLES} from '../datasets/samples.js'
import {vww01} from '../datasets/vww01.js'
import {encodeWav} from '../src/audio/wav.js'
import {CIFAR_RECORD_BYTES, CIFAR_SIDE} from '../src/image/cifar.js'
import {readPinnedFile} from '../src/formats/pinned-tables.js'
import {loadIcList} from '../src/prepare/ic-list.js'
import {buildTarGz, buildZip, REPO_ROOT, type ArchiveEntry} from '../test/helpers/archives.js'

const RATE = 16_000

/** One bundled file: its package path, and its members (an archive) or its bytes (a plain file). */
export type GeneratedSample =
  | {file: string; container: 'tar.gz' | 'zip'; members: ArchiveEntry[]}
  | {file: string; container: 'file'; bytes: Uint8Array}

export async function generateSamples(): Promise<GeneratedSample[]> {
  return [
    {file: BUNDLED_SAMPLES.ic01, container: 'tar.gz', members: cifarMembers()},
    {file: BUNDLED_SAMPLES.vww01.images, container: 'zip', members: await cocoImageMembers()},
    {file: BUNDLED_SAMPLES.vww01.annotations, container: 'zip', members: [cocoAnnotationsMember()]},
    {file: BUNDLED_SAMPLES.ad01, container: 'zip', members: toyCarMembers()},
    {file: BUNDLED_SAMPLES.sww01.speechCommands, container: 'tar.gz', members: marvinMembers()},
    {file: BUNDLED_SAMPLES.sww01.musan, container: 'tar.gz', members: [musanNoiseMember()]},
    {file: BUNDLED_SAMPLES.sww01.spec, container: 'file', bytes: Buffer.from(swwSpec())},
  ]
}

export async function encodeSample(sample: GeneratedSample): Promise<Uint8Array> {
  if (sample.container === 'file') return sample.bytes
  return sample.container === 'zip' ? buildZip(sample.members) : buildTarGz(sample.members)
}

/** A small deterministic generator (a linear congruential one): values in [0, 1). */
function randomSource(seed: number): () => number {
  let state = seed >>> 0
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

const clampInt16 = (value: number) => Math.max(-32768, Math.min(32767, Math.round(value)))

// ic01 ---------------------------------------------------------------------------------------------------------------

/** A colour per CIFAR-10 class (sky, asphalt, grass, …): the background of its pictures. */
const CLASS_BACKGROUNDS: ReadonlyArray<readonly [number, number, number]> = [
  [135, 190, 235], [110, 110, 115], [120, 170, 90], [170, 130, 100], [150, 150, 80],
  [200, 170, 120], [60, 120, 60], [140, 90, 50], [40, 70, 140], [180, 60, 50],
]

/**
 * cifar-10-binary.tar.gz's layout: the test batch with a flat picture (a class colour and a class shape) at every
 * index the two official lists use, black records with label `index % 10` elsewhere (they compress to almost
 * nothing), and the class names. The five training batches are left out: prepare ic never reads them.
 */
function cifarMembers(): ArchiveEntry[] {
  const batch = new Uint8Array(ic01.testImages * CIFAR_RECORD_BYTES)
  for (let index = 0; index < ic01.testImages; index++) batch[index * CIFAR_RECORD_BYTES] = index % 10
  for (const {indexTable} of Object.values(ic01.lists)) {
    for (const {index, label} of loadIcList(indexTable)) {
      batch[index * CIFAR_RECORD_BYTES] = label
      batch.set(cifarPicture(index, label), index * CIFAR_RECORD_BYTES + 1)
    }
  }
  return [
    {path: 'cifar-10-batches-bin/batches.meta.txt', bytes: Buffer.from(`${ic01.classNames.join('\n')}\n\n`)},
    {path: 'cifar-10-batches-bin/test_batch.bin', bytes: batch},
  ]
}

/** 32 × 32 planar RGB: the class colour, and a lighter square, disc or bar (by class) placed by the image's index. */
function cifarPicture(index: number, label: number): Uint8Array {
  const planar = new Uint8Array(CIFAR_SIDE * CIFAR_SIDE * 3)
  const background = CLASS_BACKGROUNDS[label]!
  const centreX = 10 + (index % 13)
  const centreY = 10 + ((index >> 4) % 13)
  for (let y = 0; y < CIFAR_SIDE; y++) {
    for (let x = 0; x < CIFAR_SIDE; x++) {
      const dx = x - centreX
      const dy = y - centreY
      const inShape = label % 3 === 0 ? Math.abs(dx) < 7 && Math.abs(dy) < 7 : label % 3 === 1 ? dx * dx + dy * dy < 49 : Math.abs(dy) < 3
      for (let c = 0; c < 3; c++) planar[c * CIFAR_SIDE * CIFAR_SIDE + y * CIFAR_SIDE + x] = inShape ? 255 - background[c]! : background[c]!
    }
  }
  return planar
}

// vww01 --------------------------------------------------------------------------------------------------------------

/** The images: official val2017 ids (the list's first four of each class), in shapes COCO uses (height × width). */
const COCO_IMAGES_PER_CLASS = 4
const COCO_SHAPES: ReadonlyArray<readonly [number, number]> = [[480, 640], [427, 640], [640, 480], [480, 640]]
/** Two of COCO's categories, with their real ids. */
const PERSON_CATEGORY = {supercategory: 'person', id: 1, name: 'person'}
const CAR_CATEGORY = {supercategory: 'vehicle', id: 3, name: 'car'}

interface CocoPicture {
  id: number
  height: number
  width: number
  person: boolean
  /** The drawn figure's box: [x, y, width, height]. */
  box: [number, number, number, number]
}

function cocoPictures(): CocoPicture[] {
  const listed = vww01Rows()
  const pick = (label: number) => listed.filter((row) => row.label === label).slice(0, COCO_IMAGES_PER_CLASS)
  return [...pick(1), ...pick(0)].map(({id, label}, n) => {
    const [height, width] = COCO_SHAPES[n % COCO_SHAPES.length]!
    const person = label === 1
    // A standing figure a third of the image wide and most of it high, or a car low and wide.
    const box: CocoPicture['box'] = person
      ? [Math.round(width * (0.2 + 0.1 * n)), Math.round(height * 0.2), Math.round(width / 5), Math.round(height * 0.7)]
      : [Math.round(width * 0.15), Math.round(height * 0.6), Math.round(width * 0.5), Math.round(height / 5)]
    return {id, height, width, person, box}
  })
}

function vww01Rows(): {id: number; label: number}[] {
  return readListFile(vww01.officialList).map((line) => {
    const [file, , label] = line.split(',')
    return {id: Number(file!.slice(0, -'.bin'.length)), label: Number(label)}
  })
}

function readListFile(packagePath: string): string[] {
  return readPinnedFile(packagePath).split('\n').filter((line) => line.trim() !== '')
}

/** val2017.zip's layout: `val2017/<12-digit id>.jpg`, baseline JPEGs. */
async function cocoImageMembers(): Promise<ArchiveEntry[]> {
  const {default: sharp} = await import('sharp')
  return Promise.all(cocoPictures().map(async (picture) => ({
    path: `val2017/${cocoFileName(picture.id)}`,
    bytes: await sharp(cocoPixels(picture), {raw: {width: picture.width, height: picture.height, channels: 3}}).jpeg({quality: 75}).toBuffer(),
  })))
}

const cocoFileName = (id: number) => `${String(id).padStart(12, '0')}.jpg`

/** Sky above ground (vertical gradients), and the figure: a person (head and body) or a car (body and wheels). */
function cocoPixels({height, width, person, box: [bx, by, bw, bh], id}: CocoPicture): Uint8Array {
  const pixels = new Uint8Array(height * width * 3)
  const horizon = Math.round(height * (0.55 + (id % 7) / 50))
  const headRadius = bw / 2.5
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sky = y < horizon
      let rgb: readonly number[] = sky ? [120 + (y * 80) / horizon, 170 + (y * 50) / horizon, 235] : [90, 130 - ((y - horizon) * 40) / (height - horizon), 60]
      const inBox = x >= bx && x < bx + bw && y >= by && y < by + bh
      if (person) {
        const headY = by + headRadius
        const inHead = (x - (bx + bw / 2)) ** 2 + (y - headY) ** 2 < headRadius ** 2
        if (inHead) rgb = [225, 180, 150]
        else if (inBox && y > headY + headRadius) rgb = y < by + bh * 0.6 ? [200, 40, 40] : [40, 50, 110]
      } else if (inBox) {
        const wheel = y > by + bh * 0.7 && ((x - bx) % Math.round(bw / 2)) < bw / 6
        rgb = wheel ? [20, 20, 20] : [30, 90, 170]
      }
      pixels.set(rgb.map(Math.round), (y * width + x) * 3)
    }
  }
  return pixels
}

/**
 * annotations_trainval2017.zip's member `annotations/instances_val2017.json`: the images, one box annotation each
 * (a person large enough for the Silicon Labs rule, or a car), and the categories, in COCO's fields.
 */
function cocoAnnotationsMember(): ArchiveEntry {
  const pictures = cocoPictures()
  const instances = {
    info: {description: 'tinydata generated sample: synthetic pictures in the COCO 2017 instances format', version: '1.0', year: 2017, contributor: 'tinydata', date_created: '2017-01-01'},
    licenses: [{url: 'https://www.apache.org/licenses/LICENSE-2.0', id: 1, name: 'Apache License 2.0'}],
    images: pictures.map(({id, height, width}) => ({license: 1, file_name: cocoFileName(id), height, width, id})),
    annotations: pictures.map(({id, person, box: [x, y, w, h]}, n) => ({
      segmentation: [[x, y, x + w, y, x + w, y + h, x, y + h]], area: w * h, iscrowd: 0, image_id: id, bbox: [x, y, w, h],
      category_id: (person ? PERSON_CATEGORY : CAR_CATEGORY).id, id: n + 1,
    })),
    categories: [PERSON_CATEGORY, CAR_CATEGORY],
  }
  return {path: `annotations/${vww01.annotationsMember}`, bytes: Buffer.from(JSON.stringify(instances))}
}

// ad01 ---------------------------------------------------------------------------------------------------------------

/** DCASE ToyCar test clips are 10 s long. */
const TOYCAR_SAMPLES = 10 * RATE
/**
 * The sound repeats every half second: deflate finds each repeat within its 32 KiB window, so a 320 KB clip costs
 * about 20 KB in the zip. Every frequency is a multiple of 2 Hz, so the repeat is seamless.
 */
const TOYCAR_PERIOD = RATE / 2

/** The first two clips of each class of the official list, with the names the DCASE archive gives them. */
function toyCarMembers(): ArchiveEntry[] {
  const names = readListFile(ad01.lists.official).map((line) => line.split(',')[0]!)
  const clips = ['normal', 'anomaly'].flatMap((kind) => names.filter((name) => name.startsWith(`${kind}_`)).slice(0, 2))
  return clips.map((name, n) => ({
    path: `dev_data/${ad01.layout.machine}/${ad01.layout.testFolder}/${name.replace(ad01.layout.stimulusSuffix, '.wav')}`,
    bytes: encodeWav(toyCarSound(n, name.startsWith('anomaly_')), RATE),
  }))
}

/** A toy motor: a hum with harmonics and some hiss; an anomaly adds a rattle of short clicks. */
function toyCarSound(seed: number, anomaly: boolean): Int16Array {
  const random = randomSource(1000 + seed)
  const hiss = Float64Array.from({length: TOYCAR_PERIOD}, () => random() - 0.5)
  const hum = 90 + 12 * seed
  const period = new Int16Array(TOYCAR_PERIOD)
  for (let i = 0; i < TOYCAR_PERIOD; i++) {
    const t = i / RATE
    let value = 3000 * Math.sin(2 * Math.PI * hum * t) + 1500 * Math.sin(2 * Math.PI * 3 * hum * t) + 400 * Math.sin(2 * Math.PI * 1234 * t)
    value += 800 * hiss[i]!
    if (anomaly && i % 2000 < 160) value += 6000 * hiss[(i * 7) % TOYCAR_PERIOD]! * (1 - (i % 2000) / 160)
    period[i] = clampInt16(value)
  }
  return Int16Array.from({length: TOYCAR_SAMPLES}, (_, i) => period[i % TOYCAR_PERIOD]!)
}

// sww01 --------------------------------------------------------------------------------------------------------------

const MARVIN_CLIPS = ['marvin/0a7c2a8d_nohash_0.wav', 'marvin/3b1c5d2e_nohash_1.wav']
const MUSAN_NOISE = 'noise/free-sound/noise-free-sound-0000.wav'
const SWW_LENGTH_SEC = 6

/** speech_commands_v0.02.tar.gz's layout: `marvin/<speaker>_nohash_<n>.wav`, 1 s, 16 kHz mono 16-bit PCM. */
function marvinMembers(): ArchiveEntry[] {
  return MARVIN_CLIPS.map((path, n) => ({path, bytes: encodeWav(voicedWord(n), RATE)}))
}

/**
 * A two-syllable voiced sound in one second of near silence: harmonics of a falling pitch, shaped by two vowel-like
 * resonances, with a dip between the syllables.
 */
function voicedWord(seed: number): Int16Array {
  const random = randomSource(2000 + seed)
  const samples = new Int16Array(RATE)
  const start = 0.2 + 0.05 * seed
  const length = 0.55
  let phase = 0
  for (let i = 0; i < RATE; i++) {
    const t = i / RATE
    const u = (t - start) / length
    const pitch = 150 + 40 * seed - 40 * Math.max(0, Math.min(1, u))
    phase += (2 * Math.PI * pitch) / RATE
    let value = 20 * (random() - 0.5)
    if (u > 0 && u < 1) {
      const envelope = Math.sin(Math.PI * u) * (1 - 0.8 * Math.exp(-(((u - 0.45) / 0.06) ** 2)))
      const formant = u < 0.45 ? 700 : 2200
      let voice = 0
      for (let k = 1; k <= 20; k++) voice += Math.sin(k * phase) / (1 + ((k * pitch - formant) / 300) ** 2) / k ** 0.5
      value += 9000 * envelope * voice
    }
    samples[i] = clampInt16(value)
  }
  return samples
}

/** musan.tar.gz's layout: `musan/noise/free-sound/noise-free-sound-NNNN.wav`, a soft hiss repeating every half second. */
function musanNoiseMember(): ArchiveEntry {
  const random = randomSource(3000)
  const period = new Int16Array(RATE / 2)
  let smooth = 0
  for (let i = 0; i < period.length; i++) period[i] = clampInt16((smooth = 0.7 * smooth + 0.3 * (random() - 0.5)) * 8000)
  const samples = Int16Array.from({length: SWW_LENGTH_SEC * RATE}, (_, i) => period[i % period.length]!)
  return {path: `musan/${MUSAN_NOISE}`, bytes: encodeWav(samples, RATE)}
}

/** A build spec in the form of training/streaming_wakeword/*_spec.json: the noise throughout, two wakewords. */
function swwSpec(): string {
  return `${JSON.stringify({
    configs_background: [[`{musan_path}/${MUSAN_NOISE}`, 0.0, SWW_LENGTH_SEC, 0.05]],
    configs_wakeword: [[`{speech_commands_path}/${MARVIN_CLIPS[0]}`, 1.0, 0.7], [`{speech_commands_path}/${MARVIN_CLIPS[1]}`, 3.5, 0.8]],
    length_sec: SWW_LENGTH_SEC,
    sample_rate: RATE,
  }, null, 1)}\n`
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const sample of await generateSamples()) {
    const bytes = await encodeSample(sample)
    await writeFile(join(REPO_ROOT, sample.file), bytes)
    console.log(`wrote ${sample.file}: ${bytes.length.toLocaleString('en-US')} bytes`)
  }
}
