/**
 * Memory of writing and reading back a large prepared folder: 20,000 vww01-sized stimuli (553 MB) written through
 * PreparedFolderWriter (each stimulus to disk as it comes, the manifest in record batches), then the manifest's rows
 * read by readManifestRows. The baseline is the stimuli themselves held in memory, which is what writing the folder
 * in one piece needed at the least; the ratio shows how much of that the streamed path needs.
 */

import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {PreparedFolderWriter} from '../dist/src/output/prepared-folder.js'
import {RUNNER_STIMULUS_BYTES} from '../dist/src/quantization/model-input.js'
import {readManifestRows} from '../dist/src/manifest/reader.js'
import type {ManifestRow} from '../dist/src/manifest/schema.js'
import {formatYLabels} from '../dist/src/formats/y-labels.js'
import {sha256Hex} from '../dist/src/io/hash.js'

const STIMULI = 20_000
const STIMULUS_BYTES = RUNNER_STIMULUS_BYTES.vww01

export interface WriteFolderBench {
  stimuli: number
  stimulusBytes: number
  writeSeconds: number
  /** Peak growth of heap and array buffers over the start, while writing and while reading back. */
  writePeakBytes: number
  readPeakBytes: number
}

/** Heap + ArrayBuffer bytes above `start`, sampled every 5 ms until `stop()`. */
function peakMemory(): {stop: () => number} {
  const used = () => {
    const memory = process.memoryUsage()
    return memory.heapUsed + memory.arrayBuffers
  }
  const start = used()
  let peak = 0
  const timer = setInterval(() => (peak = Math.max(peak, used() - start)), 5)
  return {stop: () => (clearInterval(timer), Math.max(peak, used() - start))}
}

export async function benchWriteFolder(): Promise<WriteFolderBench> {
  const dir = await mkdtemp(join(tmpdir(), 'tinydata-bench-folder-'))
  try {
    globalThis.gc?.()
    const writing = peakMemory()
    const start = performance.now()
    const folder = PreparedFolderWriter.create(dir, 'vww01', undefined)
    const rows: ManifestRow[] = []
    for (let index = 0; index < STIMULI; index++) {
      const bytes = new Uint8Array(STIMULUS_BYTES).fill(index & 0xff)
      bytes[0] = index >> 8
      const file = `${String(index).padStart(12, '0')}.bin`
      rows.push(await folder.add({
        file, label: index % 2, className: index % 2 ? 'person' : 'non_person', sourceMember: `train2017/${file}`,
        sourceSha256: '', stimulusSha256: sha256Hex(bytes), dtype: 'uint8', shape: [96, 96, 3], scale: 1 / 255, zeroPoint: 0,
        subset: 'all', bytes,
      }))
    }
    const placements = rows.map((row) => ({file: row.file, staged: row.file}))
    const written = await folder.commit(placements, rows, formatYLabels(rows, 2), {benchmark: 'vww01', recipe: {}, tinydataVersion: 'bench'})
    const writeSeconds = (performance.now() - start) / 1000
    const writePeakBytes = writing.stop()

    globalThis.gc?.()
    const reading = peakMemory()
    const {rows: reread} = await readManifestRows(written.manifest)
    const readPeakBytes = reading.stop()
    if (reread.length !== STIMULI) throw new Error(`read back ${reread.length} rows, not ${STIMULI}`)
    return {stimuli: STIMULI, stimulusBytes: STIMULUS_BYTES, writeSeconds, writePeakBytes, readPeakBytes}
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
