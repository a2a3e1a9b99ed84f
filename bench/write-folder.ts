/**
 * Peak memory (resident set) of writing prepared folders, each run in a child process of its own so that its peak is
 * its own, against the bytes it writes or reads (the baselines) and issue 17's target of 300 MB:
 *
 * - 20,000 vww01-sized stimuli (553 MB) staged through PreparedFolderWriter as the pipeline does (each stimulus to
 *   disk as it comes, only its manifest row kept, the manifest in record batches), then the rows read back.
 * - `tinydata prepare vww --subset all` over a generated zip the size of val2017.zip (5,000 JPEGs, about 800 MB):
 *   the real COCO originals of ../shared repeated under new ids when present, generated JPEGs otherwise.
 */
import {execFile} from 'node:child_process'
import {createWriteStream, existsSync} from 'node:fs'
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {crc32, deflateRawSync} from 'node:zlib'

import {loadSharp} from '../dist/src/image/decode.js'
import {REPO_ROOT} from '../test/helpers/archives.js'
import {syntheticJpeg, VWW_ORIGINALS} from '../test/helpers/images.js'

const STIMULI = 20_000
/** val2017.zip: 5,000 images, 815 MB. */
const ARCHIVE_IMAGES = 5000
/** Issue 17: any prepare over the largest official sources within this resident set. */
export const PEAK_RSS_TARGET_BYTES = 300e6

export interface MemoryBench {
  folder: {stimuli: number; stimulusBytes: number; writeSeconds: number; writePeakRssBytes: number; readPeakRssBytes: number}
  prepareVww: {images: number; archiveBytes: number; seconds: number; peakRssBytes: number}
}

/** The child's peak resident set so far (VmHWM; maxRSS where /proc is missing), then reset where Linux allows it. */
const PEAK_RSS = `
function peakRss(reset) {
  let bytes = process.resourceUsage().maxRSS * 1024
  try {
    const highWater = /^VmHWM:\\s*(\\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))
    if (highWater) bytes = Number(highWater[1]) * 1024
    if (reset) fs.writeFileSync('/proc/self/clear_refs', '5')
  } catch {}
  return bytes
}`

/** Writes the folder as the prepare pipeline does (the rows without their bytes), then reads its rows back. */
const WRITE_FOLDER_CHILD = (dir: string, stimulusBytes: number) => `
import fs from 'node:fs'
const dist = ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist/src')).href)}
const {PreparedFolderWriter} = await import(dist + '/output/prepared-folder.js')
const {stageStimulus} = await import(dist + '/output/stage-stimulus.js')
const {readManifestRows} = await import(dist + '/manifest/reader.js')
const {formatYLabels} = await import(dist + '/formats/y-labels.js')
const {sha256Hex} = await import(dist + '/io/hash.js')
${PEAK_RSS}
const start = performance.now()
const folder = PreparedFolderWriter.create(${JSON.stringify(dir)}, 'vww01', undefined)
const staging = await folder.staging()
const rows = []
for (let index = 0; index < ${STIMULI}; index++) {
  const bytes = new Uint8Array(${stimulusBytes}).fill(index & 0xff)
  bytes[0] = index >> 8
  const file = String(index).padStart(12, '0') + '.bin'
  const {bytes: _written, ...row} = stageStimulus(staging, {
    file, label: index % 2, className: index % 2 ? 'person' : 'non_person', sourceMember: 'train2017/' + file,
    sourceSha256: '', stimulusSha256: sha256Hex(bytes), dtype: 'uint8', shape: [96, 96, 3], scale: 1 / 255, zeroPoint: 0,
    subset: 'all', bytes,
  })
  rows.push(row)
}
const written = await folder.commit(rows.map((row) => ({file: row.file, staged: row.file})), rows, formatYLabels(rows, 2), {benchmark: 'vww01', recipe: {}, tinydataVersion: 'bench'})
const writeSeconds = (performance.now() - start) / 1000
const writePeakRssBytes = peakRss(true)
const {rows: reread} = await readManifestRows(written.manifest)
if (reread.length !== ${STIMULI}) throw new Error('read back ' + reread.length + ' rows')
console.log(JSON.stringify({writeSeconds, writePeakRssBytes, readPeakRssBytes: peakRss(false)}))
`

/** Loaded with --require into the `prepare vww` child: its peak resident set, printed to stderr as it exits. */
const PREPARE_PRELOAD = `const fs = require('node:fs')
${PEAK_RSS}
process.on('exit', () => process.stderr.write('\\npeak-rss ' + peakRss(false) + '\\n'))
`

export async function benchMemory(): Promise<MemoryBench> {
  const dir = await mkdtemp(join(tmpdir(), 'tinydata-bench-memory-'))
  try {
    return {folder: await benchFolder(dir), prepareVww: await benchPrepareVww(dir)}
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

async function benchFolder(dir: string): Promise<MemoryBench['folder']> {
  const {RUNNER_STIMULUS_BYTES} = await import('../dist/src/quantization/model-input.js')
  const stimulusBytes = RUNNER_STIMULUS_BYTES.vww01
  const script = join(dir, 'write-folder.mjs')
  await writeFile(script, WRITE_FOLDER_CHILD(join(dir, 'folder'), stimulusBytes))
  const {stdout} = await promisify(execFile)(process.execPath, [script], {maxBuffer: 1 << 20})
  return {stimuli: STIMULI, stimulusBytes, ...(JSON.parse(stdout) as {writeSeconds: number; writePeakRssBytes: number; readPeakRssBytes: number})}
}

async function benchPrepareVww(dir: string): Promise<MemoryBench['prepareVww']> {
  const {archive, annotations, archiveBytes} = await writeVal2017Like(dir)
  const preload = join(dir, 'peak-rss.cjs')
  await writeFile(preload, PREPARE_PRELOAD)
  const args = ['--require', preload, join(REPO_ROOT, 'bin/run.js'), 'prepare', 'vww', '--subset', 'all', '--source', archive,
    '--annotations', annotations, '--out', join(dir, 'out'), '--no-verify', '--json']
  const start = performance.now()
  const {stderr} = await promisify(execFile)(process.execPath, args, {maxBuffer: 1 << 24})
  const seconds = (performance.now() - start) / 1000
  const peak = /^peak-rss (\d+)$/m.exec(stderr)
  if (!peak) throw new Error(`prepare vww did not report its peak memory: ${stderr.slice(-300)}`)
  return {images: ARCHIVE_IMAGES, archiveBytes, seconds, peakRssBytes: Number(peak[1])}
}

/**
 * A val2017.zip look-alike, written member by member (deflated, as COCO's): the distinct JPEGs are deflated once and
 * repeated under new ids. Its instances_val2017.json lists every image, without annotations (all non-person).
 */
async function writeVal2017Like(dir: string): Promise<{archive: string; annotations: string; archiveBytes: number}> {
  const distinct = existsSync(VWW_ORIGINALS)
    ? await Promise.all((await readdir(VWW_ORIGINALS)).filter((file) => file.endsWith('.jpg')).sort().map((file) => readFile(join(VWW_ORIGINALS, file))))
    : await Promise.all([[640, 480], [480, 640], [640, 427], [500, 375]].map(([width, height], i) => syntheticJpeg(width!, height!, i)))
  const sharp = await loadSharp()
  const members = await Promise.all(distinct.map(async (bytes) => {
    const {width, height} = await sharp(bytes).metadata()
    return {data: deflateRawSync(bytes), crc: crc32(bytes), size: bytes.length, width: width!, height: height!}
  }))
  const archive = join(dir, 'val2017.zip')
  const out = createWriteStream(archive)
  const write = (chunk: Buffer) => (out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())))
  const central: Buffer[] = []
  const images: {id: number; file_name: string; width: number; height: number}[] = []
  let offset = 0
  for (let i = 0; i < ARCHIVE_IMAGES; i++) {
    const member = members[i % members.length]!
    const fileName = `${String(i + 1).padStart(12, '0')}.jpg`
    images.push({id: i + 1, file_name: fileName, width: member.width, height: member.height})
    const name = Buffer.from(`val2017/${fileName}`)
    const header = Buffer.alloc(30)
    header.writeUInt32LE(0x04034b50, 0)
    header.writeUInt16LE(20, 4) // version needed
    header.writeUInt16LE(8, 8) // deflate
    header.writeUInt32LE(member.crc, 14)
    header.writeUInt32LE(member.data.length, 18)
    header.writeUInt32LE(member.size, 22)
    header.writeUInt16LE(name.length, 26)
    await write(Buffer.concat([header, name]))
    await write(member.data)
    const record = Buffer.alloc(46)
    record.writeUInt32LE(0x02014b50, 0)
    record.writeUInt16LE(20, 4)
    record.writeUInt16LE(20, 6)
    record.writeUInt16LE(8, 10)
    record.writeUInt32LE(member.crc, 16)
    record.writeUInt32LE(member.data.length, 20)
    record.writeUInt32LE(member.size, 24)
    record.writeUInt16LE(name.length, 28)
    record.writeUInt32LE(offset, 42)
    central.push(record, name)
    offset += header.length + name.length + member.data.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(ARCHIVE_IMAGES, 8)
  end.writeUInt16LE(ARCHIVE_IMAGES, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  await write(Buffer.concat([directory, end]))
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
  const annotations = join(dir, 'instances_val2017.json')
  await writeFile(annotations, JSON.stringify({images, annotations: [], categories: [{id: 1, name: 'person'}]}))
  return {archive, annotations, archiveBytes: offset + directory.length + end.length}
}
