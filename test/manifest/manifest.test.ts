import {createHash} from 'node:crypto'
import {mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {
  Field, FixedSizeBinary, Float64, Int32, List, Precision, RecordBatch, Schema, Table, tableFromIPC, tableToIPC, Type, Utf8,
  vectorFromArray,
} from 'apache-arrow'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {decodeManifest, readManifest, readManifestMeta, readManifestRows} from '../../src/manifest/reader.js'
import type {ManifestMetadata, StimulusRecord} from '../../src/manifest/schema.js'
import {encodeManifest, writeManifest} from '../../src/manifest/writer.js'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

function record(file: string, label: number, className: string, bytes: number[], overrides: Partial<StimulusRecord> = {}): StimulusRecord {
  const stimulus = Uint8Array.from(bytes)
  return {
    file, label, className,
    sourceMember: `speech_commands_test_set_v0.02/${className}/${file}.wav`,
    sourceSha256: sha256(Uint8Array.from([label])),
    stimulusSha256: sha256(stimulus),
    dtype: 'int8', shape: [2, 3, 1], scale: Math.fround(0.5847029089927673), zeroPoint: 83, subset: 'official',
    bytes: stimulus,
    ...overrides,
  }
}

const records: StimulusRecord[] = [
  record('tst_000000_Stop_7.bin', 7, 'Stop', [0, 1, 2, 127, 128, 255]),
  record('tst_000001_Ärger_日本語_😀.bin', 0, 'Ünïcödé', [9, 9, 9, 9, 9, 9], {subset: 'test', shape: [6], zeroPoint: -128}),
  record('tst_000002_pcm.bin', 11, 'Unknown', [1, 0, 255, 255, 0, 128], {dtype: 'int16', shape: [3], scale: 1, zeroPoint: 0}),
]

const meta: ManifestMetadata = {
  benchmark: 'kws01',
  recipe: {features: 'mfcc', frames: 49, window: {length: 640, stride: 320}, clip: [-128, 127]},
  tinydataVersion: '0.1.0',
  sourceArchive: {name: 'speech_commands_test_set_v0.02.tar.gz', bytes: 112563277},
  note: 'ünï — extra keys survive',
}

const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes)

function caught(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

function expectUserError(run: () => unknown, file: string, message: RegExp): void {
  const error = caught(run)
  expect(error).toBeInstanceOf(UserError)
  expect((error as Error).message.startsWith(`${file}: `)).toBe(true)
  expect((error as Error).message).not.toContain('\n')
  expect((error as Error).message).toMatch(message)
}

describe('encodeManifest / decodeManifest', () => {
  it('round-trips records and metadata', () => {
    const decoded = decodeManifest(encodeManifest(records, meta), 'manifest.arrow')
    expect(decoded.records).toEqual(records)
    expect(decoded.meta).toEqual(meta)
    expect(decoded.records[0]!.scale).toBe(0.5847029089927673)
  })

  it('gives each record its own copy of the bytes', () => {
    const decoded = decodeManifest(encodeManifest(records, meta), 'manifest.arrow')
    expect(decoded.records[1]!.bytes.buffer.byteLength).toBe(6)
  })

  it('round-trips a full-size benchmark', () => {
    const many = Array.from({length: 1000}, (_, i) => record(`tst_${String(i).padStart(6, '0')}.bin`, i % 12, 'Go', Array.from({length: 490}, (_, j) => (i + j) & 0xff)))
    // Compared through hashes of the bytes: a deep equality over 1000 typed arrays takes seconds.
    const digest = (rows: StimulusRecord[]) => rows.map((row) => ({...row, bytes: sha256(row.bytes)}))
    expect(digest(decodeManifest(encodeManifest(many, meta), 'm.arrow').records)).toEqual(digest(many))
  })

  it('writes an Arrow IPC file that plain apache-arrow reads with the documented column types', () => {
    const bytes = encodeManifest(records, meta)
    expect(ascii(bytes.subarray(0, 6))).toBe('ARROW1')
    expect(ascii(bytes.subarray(bytes.length - 6))).toBe('ARROW1')

    const table = tableFromIPC(bytes)
    expect(table.numRows).toBe(3)
    const fields = Object.fromEntries(table.schema.fields.map((field) => [field.name, field]))
    expect(table.schema.fields.map((field) => field.name)).toEqual([
      'file', 'label', 'class_name', 'source_member', 'source_sha256', 'stimulus_sha256', 'dtype', 'shape', 'scale',
      'zero_point', 'subset', 'bytes',
    ])
    for (const name of ['file', 'class_name', 'source_member', 'source_sha256', 'stimulus_sha256', 'dtype', 'subset']) {
      expect(fields[name]!.typeId).toBe(Type.Utf8)
    }
    for (const name of ['label', 'zero_point']) {
      expect(fields[name]!.type).toMatchObject({typeId: Type.Int, bitWidth: 32, isSigned: true})
    }
    expect(fields.scale!.type).toMatchObject({typeId: Type.Float, precision: Precision.DOUBLE})
    expect(fields.shape!.typeId).toBe(Type.List)
    expect((fields.shape!.type as List).valueType).toMatchObject({typeId: Type.Int, bitWidth: 32, isSigned: true})
    expect(fields.bytes!.typeId).toBe(Type.FixedSizeBinary)
    expect((fields.bytes!.type as FixedSizeBinary).byteWidth).toBe(6)
    expect(table.schema.fields.every((field) => !field.nullable)).toBe(true)

    expect(table.getChild('file')!.get(1)).toBe('tst_000001_Ärger_日本語_😀.bin')
    expect([...table.getChild('bytes')!.get(0)]).toEqual([0, 1, 2, 127, 128, 255])
    expect([...table.getChild('shape')!.get(0)!.toArray()]).toEqual([2, 3, 1])

    const metadata = table.schema.metadata
    expect(metadata.get('tinydata.benchmark')).toBe('kws01')
    expect(JSON.parse(metadata.get('tinydata.recipe')!)).toEqual(meta.recipe)
    expect(metadata.get('tinydata.version')).toBe('0.1.0')
    expect(JSON.parse(metadata.get('tinydata.sourceArchive')!)).toEqual(meta.sourceArchive)
    expect(JSON.parse(metadata.get('tinydata.note')!)).toBe(meta.note)
  })

  it('refuses stimuli of mixed lengths, no records, and values an Int32 column would truncate', () => {
    const longer = record('long.bin', 1, 'Go', [1, 2, 3, 4, 5, 6, 7])
    expect(() => encodeManifest([...records, longer], meta)).toThrow(/tst_000000_Stop_7\.bin has 6 bytes, long\.bin has 7/)
    expect(() => encodeManifest([], meta)).toThrow(/at least one record/)
    expect(() => encodeManifest([record('a.bin', 1.5, 'Go', [1])], meta)).toThrow(/label 1\.5/)
    expect(() => encodeManifest([record('a.bin', 1, 'Go', [1], {zeroPoint: 2 ** 31})], meta)).toThrow(/zeroPoint/)
    expect(() => encodeManifest([record('a.bin', 1, 'Go', [1], {shape: [49, 10.5]})], meta)).toThrow(/shape 10\.5/)
  })

  it('refuses an extra metadata key that would overwrite a fixed one', () => {
    expect(() => encodeManifest(records, {...meta, version: '2'})).toThrow(/tinydata\.version/)
  })

  it('keeps hostile metadata keys as own properties', () => {
    const hostile: ManifestMetadata = {...meta, ['__proto__']: {polluted: true}}
    const decoded = decodeManifest(encodeManifest(records, hostile), 'm.arrow').meta
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('decodeManifest, readManifest, readManifestRows and readManifestMeta on files that are not manifests', () => {
  const valid = encodeManifest(records, meta)
  let folder: string
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tinydata-bad-manifest-'))
  })
  afterAll(async () => {
    await rm(folder, {recursive: true, force: true})
  })

  /** Every reader gives the same one-line error naming the file (readManifestMeta reads no batch, so no nulls). */
  async function expectRejected(bytes: Uint8Array, name: string, message: RegExp, readers = [readManifest, readManifestRows, readManifestMeta]): Promise<void> {
    expectUserError(() => decodeManifest(bytes, name), name, message)
    const file = path.join(folder, name)
    await writeFile(file, bytes)
    for (const read of readers) {
      const error = await read(file).then(() => undefined, (e: unknown) => e)
      expect(error, read.name).toBeInstanceOf(UserError)
      expect((error as Error).message.startsWith(`${file}: `), read.name).toBe(true)
      expect((error as Error).message, read.name).toMatch(message)
    }
  }

  it('rejects garbage, empty input, an Arrow stream and a truncated file', async () => {
    await expectRejected(new TextEncoder().encode('not arrow at all'), 'garbage.arrow', /not an Arrow IPC file/)
    await expectRejected(new Uint8Array(0), 'empty.arrow', /not an Arrow IPC file/)
    const stream = tableToIPC(tableFromIPC(valid), 'stream')
    await expectRejected(stream, 'stream.arrow', /not an Arrow IPC file/)
    for (const cut of [10, valid.length / 2, valid.length - 7]) {
      await expectRejected(valid.subarray(0, cut), 'cut.arrow', /not an Arrow IPC file/)
    }
  })

  it('rejects a corrupted body behind valid magic', async () => {
    const corrupted = valid.slice()
    corrupted.fill(0xff, 8, corrupted.length - 10) // keeps both magics, destroys the messages and the footer
    await expectRejected(corrupted, 'corrupt.arrow', /not a readable Arrow IPC file/)
  })

  it('rejects a footer whose blocks do not start a message (it sent apache-arrow into an endless loop)', async () => {
    const shifted = new Uint8Array([...valid.subarray(0, 6), 0, 0, ...valid.subarray(6)]) // two bytes after the magic
    await expectRejected(shifted, 'shifted.arrow', /not a readable Arrow IPC file \(its footer names a record batch at byte \d+ that is not there\)/)
  })

  it('rejects Arrow files without the manifest columns, types or metadata', async () => {
    const onlyFile = tableToIPC(new Table({file: vectorFromArray(['a.bin'], new Utf8())}), 'file')
    await expectRejected(onlyFile, 'other.arrow', /not a tinydata manifest \(no label column\)/)

    const wrongLabelType = tableFromIPC(valid)
    const columns = Object.fromEntries(wrongLabelType.schema.fields.map((field) => [field.name, wrongLabelType.getChild(field.name)!]))
    const relabelled = new Table({...columns, label: vectorFromArray(['7', '0', '11'], new Utf8())})
    await expectRejected(tableToIPC(relabelled, 'file'), 'types.arrow', /column label is Utf8, expected Int32/)

    const withoutMetadata = new Table(new RecordBatch(new Schema(wrongLabelType.schema.fields), wrongLabelType.batches[0]!.data))
    await expectRejected(tableToIPC(withoutMetadata, 'file'), 'meta.arrow', /no tinydata\.recipe schema metadata/)
  })

  it('rejects null values', async () => {
    const schema = new Schema([
      new Field('file', new Utf8(), true), new Field('label', new Int32()), new Field('class_name', new Utf8()),
      new Field('source_member', new Utf8()), new Field('source_sha256', new Utf8()), new Field('stimulus_sha256', new Utf8()),
      new Field('dtype', new Utf8()), new Field('shape', new List(new Field('item', new Int32(), false))), new Field('scale', new Float64()),
      new Field('zero_point', new Int32()), new Field('subset', new Utf8()), new Field('bytes', new FixedSizeBinary(1)),
    ], tableFromIPC(valid).schema.metadata)
    const nulls = new Table(schema, {
      file: vectorFromArray([null], new Utf8()),
      label: vectorFromArray([1], new Int32()),
      class_name: vectorFromArray(['x'], new Utf8()),
      source_member: vectorFromArray(['x'], new Utf8()),
      source_sha256: vectorFromArray(['x'], new Utf8()),
      stimulus_sha256: vectorFromArray(['x'], new Utf8()),
      dtype: vectorFromArray(['int8'], new Utf8()),
      shape: vectorFromArray([[1]], schema.fields[7]!.type),
      scale: vectorFromArray([1], new Float64()),
      zero_point: vectorFromArray([0], new Int32()),
      subset: vectorFromArray(['x'], new Utf8()),
      bytes: vectorFromArray([Uint8Array.of(1)], new FixedSizeBinary(1)),
    })
    await expectRejected(tableToIPC(nulls, 'file'), 'nulls.arrow', /column file has nulls/, [readManifest, readManifestRows])
    expect((await readManifestMeta(path.join(folder, 'nulls.arrow'))).benchmark).toBe('kws01') // the schema alone is sound
  })
})

describe('writeManifest / readManifest', () => {
  let folder: string
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tinydata-manifest-'))
  })
  afterEach(async () => {
    await rm(folder, {recursive: true, force: true})
  })

  it('round-trips through the disk and leaves only manifest.arrow behind', async () => {
    const file = path.join(folder, 'manifest.arrow')
    await writeManifest(file, records, meta)
    expect(await readdir(folder)).toEqual(['manifest.arrow'])
    expect(await readManifest(file)).toEqual({records, meta})
    expect(tableFromIPC(await readFile(file)).numRows).toBe(3)
  })

  it('replaces an existing manifest', async () => {
    const file = path.join(folder, 'manifest.arrow')
    await writeManifest(file, records, meta)
    await writeManifest(file, records.slice(0, 1), {...meta, benchmark: 'kws01-open'})
    const reread = await readManifest(file)
    expect(reread.records).toHaveLength(1)
    expect(reread.meta.benchmark).toBe('kws01-open')
  })

  it('does not touch an existing manifest when encoding fails', async () => {
    const file = path.join(folder, 'manifest.arrow')
    await writeManifest(file, records, meta)
    const before = await readFile(file)
    await expect(writeManifest(file, [...records, record('long.bin', 1, 'Go', [1, 2, 3, 4, 5, 6, 7])], meta)).rejects.toThrow(/one length/)
    expect(await readFile(file)).toEqual(before)
    expect(await readdir(folder)).toEqual(['manifest.arrow'])
  })

  it('cleans the temporary file and names the manifest when the rename fails', async () => {
    const occupied = path.join(folder, 'manifest.arrow')
    await mkdir(occupied)
    await writeFile(path.join(occupied, 'keep'), 'x') // a non-empty folder cannot be replaced by a file
    const error = await writeManifest(occupied, records, meta).catch((error: unknown) => error)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(new RegExp(`^${occupied.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write the manifest`))
    expect(await readdir(folder)).toEqual(['manifest.arrow'])
  })

  describe('rows whose bytes are read as their batch is written', () => {
    // 400 stimuli of 100 KB (ad01's size): 40 MB, ten batches of at most 4 MiB.
    const width = 102_400
    const stimulus = (index: number): Uint8Array => {
      const bytes = new Uint8Array(width)
      for (let i = 0; i < width; i += 97) bytes[i] = (index * 31 + i) & 0xff
      bytes[0] = index & 0xff
      bytes[1] = index >> 8
      return bytes
    }
    const rows = Array.from({length: 400}, (_, index) => {
      const {bytes, ...row} = record(`s${index}.bin`, index % 2, 'normal', [], {dtype: 'float32', shape: [5, 128, 40]})
      void bytes
      return {...row, stimulusSha256: sha256(stimulus(index))}
    })

    it('writes batches of at most 4 MiB, reading a batch\'s stimuli only once the batches before it are in the file', async () => {
      const file = path.join(folder, 'manifest.arrow')
      const asked: number[] = []
      const perBatch = 40 // stimuli of 100 KB in 4 MiB
      const onDisk = async (): Promise<number> => {
        const temporary = (await readdir(folder)).find((name) => name.endsWith('.tmp'))
        return temporary ? (await stat(path.join(folder, temporary))).size : 0
      }
      const behind: number[] = []
      await writeManifest(file, rows, meta, async (row) => {
        const index = Number(row.file.slice(1, -4))
        asked.push(index)
        if (asked.length > 1 && index % perBatch === 0) {
          // The batches before this one reach the file while it is read (within a second), not at the end.
          const needed = (index / perBatch) * perBatch * width
          const deadline = Date.now() + 1000
          while ((await onDisk()) < needed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
          if ((await onDisk()) < needed) behind.push(index)
        }
        return stimulus(index)
      })
      expect(behind).toEqual([])
      // Every row once (the first, which gives the width of the bytes column, first of all).
      expect(asked[0]).toBe(0)
      expect([...asked].sort((a, b) => a - b)).toEqual(rows.map((_, index) => index))
      const table = tableFromIPC(await readFile(file))
      expect(table.batches.map((batch) => batch.numRows)).toEqual(Array(10).fill(40))
      expect(await readManifestRows(file)).toEqual({rows, meta})
      expect(await readManifestMeta(file)).toEqual(meta)
      const reread = await readManifest(file)
      expect(reread.records.map((r) => r.file)).toEqual(rows.map((r) => r.file))
      reread.records.forEach((r, index) => {
        expect(r.bytes.length).toBe(width)
        expect(sha256(r.bytes), r.file).toBe(rows[index]!.stimulusSha256)
      })
      expect(reread.meta).toEqual(meta)
      expect(await readdir(folder)).toEqual(['manifest.arrow'])
    })

    it('a stimulus of another length is an Error naming both files; the temporary file is removed', async () => {
      const file = path.join(folder, 'manifest.arrow')
      const error = await writeManifest(file, rows, meta, async (row) => (row.file === 's300.bin' ? new Uint8Array(7) : stimulus(0))).catch((e: unknown) => e)
      expect(error).not.toBeInstanceOf(UserError)
      expect((error as Error).message).toBe(`manifest stimuli must all have one length: s0.bin has ${width} bytes, s300.bin has 7`)
      expect(await readdir(folder)).toEqual([])
    })

    it('a stimulus that cannot be read is a one-line error naming the manifest', async () => {
      const file = path.join(folder, 'manifest.arrow')
      const error = await writeManifest(file, rows, meta, (row) => readFile(path.join(folder, row.file))).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UserError)
      expect((error as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write the manifest \\(ENOENT`))
      expect(await readdir(folder)).toEqual([])
    })

    it('rows without bytes and no way to read them are a caller bug', async () => {
      await expect(writeManifest(path.join(folder, 'manifest.arrow'), rows, meta)).rejects.toThrow(/s0\.bin has no bytes/)
    })
  })

  it('gives UserErrors naming the file for a missing or garbage manifest', async () => {
    const missing = path.join(folder, 'missing.arrow')
    await expect(readManifest(missing)).rejects.toThrow(UserError)
    await expect(readManifest(missing)).rejects.toThrow(`${missing}: cannot read the manifest`)
    const garbage = path.join(folder, 'garbage.arrow')
    await writeFile(garbage, 'ARROW1 but then nothing useful')
    await expect(readManifest(garbage)).rejects.toThrow(UserError)
    await expect(readManifest(garbage)).rejects.toThrow(`${garbage}: not an Arrow IPC file`)
  })
})
