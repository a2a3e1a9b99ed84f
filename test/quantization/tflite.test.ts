import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {readTfliteInput, readTfliteInputFile, type TfliteInput} from '../../src/quantization/tflite.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const modelsDir = path.resolve(repoRoot, '../shared/models')
const haveModels = existsSync(modelsDir)
if (!haveModels) console.warn(`tflite.test: ${modelsDir} not found, skipping the tests on the reference models`)

/** A value of a hand-built flatbuffer: a byte scalar, or something a uoffset points to. */
type FlatValue =
  | {byte: number}
  | {table: TableFields}
  | {tables: TableFields[]}
  | {int32s: number[]}
  | {float32s: number[]}
  | {int64s: bigint[]}
  | {string: string}
type TableFields = (FlatValue | undefined)[]

/**
 * Builds a flatbuffer front to back. Each child is written after the table or vector that refers
 * to it, so every uoffset is positive as the format requires; every field gets a 4-byte slot.
 */
function buildFlatbuffer(root: TableFields, identifier = 'TFL3'): Uint8Array {
  const bytes = new Uint8Array(4096)
  const view = new DataView(bytes.buffer)
  let end = 8
  const allocate = (size: number): number => {
    const at = Math.ceil(end / 8) * 8
    end = at + size
    return at
  }
  const pointTo = (slot: number, target: number): void => view.setUint32(slot, target - slot, true)

  const writeTable = (fields: TableFields): number => {
    const vtable = allocate(4 + 2 * fields.length)
    const table = allocate(4 + 4 * fields.length)
    view.setUint16(vtable, 4 + 2 * fields.length, true)
    view.setUint16(vtable + 2, 4 + 4 * fields.length, true)
    view.setInt32(table, table - vtable, true)
    fields.forEach((value, index) => {
      if (value === undefined) return // absent field: its vtable entry stays 0
      const slot = table + 4 + 4 * index
      view.setUint16(vtable + 4 + 2 * index, slot - table, true)
      if ('byte' in value) view.setInt8(slot, value.byte)
      else pointTo(slot, writeObject(value))
    })
    return table
  }

  const writeVector = <T>(values: T[], size: number, write: (at: number, value: T) => void): number => {
    const at = allocate(4 + values.length * size)
    view.setUint32(at, values.length, true)
    values.forEach((value, i) => write(at + 4 + i * size, value))
    return at
  }

  const writeObject = (value: Exclude<FlatValue, {byte: number}>): number => {
    if ('table' in value) return writeTable(value.table)
    if ('tables' in value) return writeVector(value.tables, 4, (at, fields) => pointTo(at, writeTable(fields)))
    if ('int32s' in value) return writeVector(value.int32s, 4, (at, v) => view.setInt32(at, v, true))
    if ('float32s' in value) return writeVector(value.float32s, 4, (at, v) => view.setFloat32(at, v, true))
    if ('int64s' in value) return writeVector(value.int64s, 8, (at, v) => view.setBigInt64(at, v, true))
    const utf8 = new TextEncoder().encode(value.string)
    const at = writeVector([...utf8, 0], 1, (at, v) => view.setUint8(at, v))
    view.setUint32(at, utf8.length, true) // the terminating NUL is not part of the length
    return at
  }

  pointTo(0, writeTable(root))
  bytes.set(new TextEncoder().encode(identifier), 4)
  return bytes.slice(0, end)
}

/** Model { subgraphs: [SubGraph { tensors, inputs }] } with Model fields 0 and 1 absent. */
function model(tensors: TableFields[], inputs: number[]): TableFields {
  return [undefined, undefined, {tables: [[{tables: tensors}, {int32s: inputs}]]}]
}

// Tensor fields: shape, type, buffer (absent), name, quantization { min, max, scale, zero_point }.
const otherTensor: TableFields = [{int32s: [1, 2]}, {byte: 0}, undefined, {string: 'other'}]
const int8Input: TableFields = [
  {int32s: [1, 4]}, {byte: 9}, undefined, {string: 'input_ü'},
  {table: [undefined, undefined, {float32s: [0.1]}, {int64s: [-3n]}]},
]
const handBuiltInt8 = buildFlatbuffer(model([otherTensor, int8Input], [1]))

function expectUserError(run: () => unknown, file: string, message: RegExp): void {
  let thrown: unknown
  try {
    run()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(UserError)
  expect((thrown as Error).message.startsWith(`${file}: `)).toBe(true)
  expect((thrown as Error).message).toMatch(message)
}

/** Runs the reader on damaged bytes: it may still find an answer, but any failure must be a UserError. */
function expectNoCrash(bytes: Uint8Array): void {
  try {
    readTfliteInput(bytes, 'damaged.tflite')
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
  }
}

describe('readTfliteInput on hand-built flatbuffers', () => {
  it('reads the input tensor named by SubGraph.inputs, with its float32 scale and int64 zero point', () => {
    expect(readTfliteInput(handBuiltInt8, 'hand.tflite')).toEqual<TfliteInput>({
      name: 'input_ü', shape: [1, 4], type: 'int8', scale: Math.fround(0.1), zeroPoint: -3,
    })
  })

  it('reads a subarray of a larger buffer', () => {
    const padded = new Uint8Array(handBuiltInt8.length + 3)
    padded.set(handBuiltInt8, 3)
    expect(readTfliteInput(padded.subarray(3), 'hand.tflite').zeroPoint).toBe(-3)
  })

  it('gives no scale or zero point for a tensor without quantisation, or with an empty scale vector', () => {
    const noQuantization = buildFlatbuffer(model([[{int32s: [3]}, {byte: 0}, undefined, {string: 'x'}]], [0]))
    expect(readTfliteInput(noQuantization, 'f.tflite')).toEqual({name: 'x', shape: [3], type: 'float32', scale: undefined, zeroPoint: undefined})
    const emptyScale = buildFlatbuffer(model([[{int32s: [3]}, {byte: 0}, undefined, {string: 'x'}, {table: [undefined, undefined, {float32s: []}, {int64s: []}]}]], [0]))
    expect(readTfliteInput(emptyScale, 'f.tflite').scale).toBeUndefined()
  })

  it('applies the schema defaults: absent type is float32, absent shape is a scalar', () => {
    const defaults = buildFlatbuffer(model([[undefined, undefined, undefined, {string: 's'}]], [0]))
    expect(readTfliteInput(defaults, 'd.tflite')).toMatchObject({shape: [], type: 'float32'})
  })

  it('rejects models it cannot feed with one stimulus', () => {
    expectUserError(() => readTfliteInput(buildFlatbuffer(model([otherTensor, int8Input], [0, 1])), 'two.tflite'), 'two.tflite', /2 input tensors/)
    expectUserError(() => readTfliteInput(buildFlatbuffer(model([otherTensor], [])), 'none.tflite'), 'none.tflite', /0 input tensors/)
    const perChannel: TableFields = [...int8Input.slice(0, 4), {table: [undefined, undefined, {float32s: [0.1, 0.2]}, {int64s: [0n, 1n]}]}]
    expectUserError(() => readTfliteInput(buildFlatbuffer(model([perChannel], [0])), 'pc.tflite'), 'pc.tflite', /per channel/)
    const unknownType: TableFields = [{int32s: [1]}, {byte: 99}]
    expectUserError(() => readTfliteInput(buildFlatbuffer(model([unknownType], [0])), 'u.tflite'), 'u.tflite', /unknown TensorType 99/)
  })

  it('rejects inconsistent structure as not a TFLite model', () => {
    expectUserError(() => readTfliteInput(buildFlatbuffer(model([otherTensor], [5])), 'idx.tflite'), 'idx.tflite', /not a TFLite model \(input tensor 5 of 1/)
    const noZeroPoint: TableFields = [...int8Input.slice(0, 4), {table: [undefined, undefined, {float32s: [0.5]}]}]
    expectUserError(() => readTfliteInput(buildFlatbuffer(model([noZeroPoint], [0])), 'zp.tflite'), 'zp.tflite', /1 quantisation scales but 0 zero points/)
    expectUserError(() => readTfliteInput(buildFlatbuffer([]), 'empty.tflite'), 'empty.tflite', /not a TFLite model \(no subgraph\)/)
  })

  it('checks the TFL3 file identifier', () => {
    const wrongIdentifier = buildFlatbuffer(model([int8Input], [0]), 'ABCD')
    expectUserError(() => readTfliteInput(wrongIdentifier, 'x.bin'), 'x.bin', /not a TFLite model \(no "TFL3" identifier/)
  })

  it('turns every truncation into a UserError naming the file, never a RangeError', () => {
    for (let length = 0; length < handBuiltInt8.length; length++) {
      expectUserError(() => readTfliteInput(handBuiltInt8.subarray(0, length), 'cut.tflite'), 'cut.tflite', /^cut\.tflite: not a TFLite model \(/)
    }
  })

  it('survives any single corrupted byte and random garbage', () => {
    for (let at = 0; at < handBuiltInt8.length; at++) {
      for (const value of [0x00, 0x7f, 0x80, 0xff]) {
        const damaged = handBuiltInt8.slice()
        damaged[at] = value
        expectNoCrash(damaged)
      }
    }
    let seed = 12345 // fixed xorshift sequence, so a failure reproduces
    const random = (): number => {
      seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5
      return seed >>> 0
    }
    for (let trial = 0; trial < 500; trial++) {
      const garbage = Uint8Array.from({length: 8 + (random() % 256)}, () => random() & 0xff)
      garbage.set(new TextEncoder().encode('TFL3'), 4)
      garbage[0] = random() % 64 // a small root offset reaches into the garbage instead of failing at once
      garbage[1] = garbage[2] = garbage[3] = 0
      expectNoCrash(garbage)
    }
  })
})

// Expected values read independently with a throwaway Python script (struct.unpack_from over the
// flatbuffer layout of schema.fbs, not this TS reader); they agree with the model table in
// ../shared/spec/stimuli.md. Scales are the float32 values printed with Python's repr().
const referenceModels: Record<string, TfliteInput> = {
  'kws_ref_model.tflite': {name: 'input_1', shape: [1, 49, 10, 1], type: 'int8', scale: 0.5847029089927673, zeroPoint: 83},
  'kws_ref_model_float32.tflite': {name: 'input_1', shape: [1, 49, 10, 1], type: 'float32', scale: undefined, zeroPoint: undefined},
  'vww_96_int8.tflite': {name: 'input_1_int8', shape: [1, 96, 96, 3], type: 'int8', scale: 0.003921568859368563, zeroPoint: -128},
  'vww_96_float.tflite': {name: 'input_1', shape: [1, 96, 96, 3], type: 'float32', scale: undefined, zeroPoint: undefined},
  'pretrainedResnet_quant.tflite': {name: 'input_1_int8', shape: [1, 32, 32, 3], type: 'int8', scale: 1, zeroPoint: -128},
  'pretrainedResnet.tflite': {name: 'input_1', shape: [1, 32, 32, 3], type: 'float32', scale: undefined, zeroPoint: undefined},
  'ad01_int8.tflite': {name: 'input_1', shape: [1, 640], type: 'int8', scale: 0.3910152316093445, zeroPoint: 89},
  'ad01_fp32.tflite': {name: 'input_1', shape: [1, 640], type: 'float32', scale: undefined, zeroPoint: undefined},
  'str_ww_ref_model.tflite': {name: 'serving_default_input_1:0', shape: [1, 30, 1, 40], type: 'int8', scale: 0.003701042616739869, zeroPoint: -128},
}

describe.skipIf(!haveModels)('readTfliteInputFile on the MLPerf Tiny reference models', () => {
  for (const [model, expected] of Object.entries(referenceModels)) {
    it(model, async () => {
      expect(await readTfliteInputFile(path.join(modelsDir, model))).toEqual(expected)
    })
  }

  it('returns the kws scale as the exact float32 value', async () => {
    const {scale} = await readTfliteInputFile(path.join(modelsDir, 'kws_ref_model.tflite'))
    expect(scale).toBe(Math.fround(0.5847029089927673))
    expect(scale).toBe(0.5847029089927673)
  })

  it('turns truncated and shifted real models into UserErrors', async () => {
    const bytes = await readFile(path.join(modelsDir, 'kws_ref_model.tflite'))
    for (const length of [0, 4, 7, 8, 16, 64, 256, 1024]) {
      expectUserError(() => readTfliteInput(bytes.subarray(0, length), 'kws.tflite'), 'kws.tflite', /not a TFLite model/)
    }
    expectUserError(() => readTfliteInput(bytes.subarray(1), 'kws.tflite'), 'kws.tflite', /not a TFLite model/)
  })
})

describe('readTfliteInputFile errors', () => {
  it('names the file when it cannot be read', async () => {
    const missing = path.join(repoRoot, 'no-such-model.tflite')
    await expect(readTfliteInputFile(missing)).rejects.toThrow(UserError)
    await expect(readTfliteInputFile(missing)).rejects.toThrow(`${missing}: cannot read the model`)
  })

  it('rejects a file that is not a model', async () => {
    const notAModel = fileURLToPath(import.meta.url)
    await expect(readTfliteInputFile(notAModel)).rejects.toThrow(`${notAModel}: not a TFLite model (no "TFL3" identifier at byte 4)`)
  })
})
