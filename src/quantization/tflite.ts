import {readFile} from 'node:fs/promises'

import {fileError, type UserError} from '../errors.js'

/** TensorType enum of tensorflow/lite/schema/schema.fbs, indexed by its value. */
const TENSOR_TYPES = [
  'float32', 'float16', 'int32', 'uint8', 'int64', 'string', 'bool', 'int16', 'complex64', 'int8',
  'float64', 'complex128', 'uint64', 'resource', 'variant', 'uint32', 'uint16', 'int4', 'bfloat16',
  'int2', 'uint4', 'float8_e4m3fn', 'float8_e5m2',
] as const

/** Lower-case name of a TFLite TensorType. */
export type TfliteTensorType = (typeof TENSOR_TYPES)[number]

/** A tensor of a TFLite model, as far as preparing stimuli for it and reading its outputs need. */
export interface TfliteTensor {
  name: string
  shape: number[]
  type: TfliteTensorType
  /** Exact float32 scale of a quantised input; undefined for a float model. */
  scale: number | undefined
  zeroPoint: number | undefined
}

/** The input tensor of a model that takes one stimulus. */
export type TfliteInput = TfliteTensor

// Field indices of the schema.fbs tables this reader walks.
const MODEL_SUBGRAPHS = 2
const SUBGRAPH_TENSORS = 0
const SUBGRAPH_INPUTS = 1
const SUBGRAPH_OUTPUTS = 2
const TENSOR_SHAPE = 0
const TENSOR_TYPE = 1
const TENSOR_NAME = 3
const TENSOR_QUANTIZATION = 4
const QUANTIZATION_SCALE = 2
const QUANTIZATION_ZERO_POINT = 3

const FILE_IDENTIFIER = 'TFL3'

/**
 * Bounds-checked little-endian reads over a flatbuffer. Every offset in a model file comes from
 * the file itself, so each read is checked: a damaged file must end in a UserError, not a RangeError.
 */
class FlatbufferView {
  private readonly view: DataView

  constructor(private readonly bytes: Uint8Array, private readonly file: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  invalid(problem: string): UserError {
    return fileError(this.file, `not a TFLite model (${problem})`)
  }

  private check(offset: number, size: number): number {
    if (offset < 0 || offset + size > this.bytes.byteLength) {
      throw this.invalid(`offset ${offset} is outside the ${this.bytes.byteLength}-byte file`)
    }
    return offset
  }

  int8(offset: number): number { return this.view.getInt8(this.check(offset, 1)) }
  uint16(offset: number): number { return this.view.getUint16(this.check(offset, 2), true) }
  int32(offset: number): number { return this.view.getInt32(this.check(offset, 4), true) }
  uint32(offset: number): number { return this.view.getUint32(this.check(offset, 4), true) }
  float32(offset: number): number { return this.view.getFloat32(this.check(offset, 4), true) }
  int64(offset: number): bigint { return this.view.getBigInt64(this.check(offset, 8), true) }

  ascii(offset: number, length: number): string {
    this.check(offset, length)
    return String.fromCharCode(...this.bytes.subarray(offset, offset + length))
  }

  utf8(offset: number, length: number): string {
    this.check(offset, length)
    return new TextDecoder().decode(this.bytes.subarray(offset, offset + length))
  }

  /** Follows the uoffset stored at `offset` (it is relative to where it is stored). */
  follow(offset: number): number {
    return offset + this.uint32(offset)
  }

  /** Position of field `index` of the table at `table`, or undefined when the field is absent. */
  field(table: number, index: number): number | undefined {
    const vtable = table - this.int32(table)
    const vtableSize = this.uint16(vtable)
    const slot = 4 + 2 * index
    if (slot + 2 > vtableSize) return undefined
    const fieldOffset = this.uint16(vtable + slot)
    return fieldOffset === 0 ? undefined : table + fieldOffset
  }

  /** Position of the table, vector or string a reference field points to, or undefined when absent. */
  reference(table: number, index: number): number | undefined {
    const at = this.field(table, index)
    return at === undefined ? undefined : this.follow(at)
  }

  /** Element positions of the vector at `vector`, after checking the whole vector lies in the file. */
  elements(vector: number, elementSize: number): number[] {
    const count = this.uint32(vector)
    this.check(vector + 4, count * elementSize)
    return Array.from({length: count}, (_, i) => vector + 4 + i * elementSize)
  }

  /** Positions of the tables a vector of tables refers to. */
  tables(vector: number): number[] {
    return this.elements(vector, 4).map((element) => this.follow(element))
  }

  string(at: number): string {
    return this.utf8(at + 4, this.uint32(at))
  }
}

/** The input and output tensors of a model's first subgraph, in the order the model lists them. */
export interface TfliteModelTensors {
  inputs: TfliteTensor[]
  outputs: TfliteTensor[]
}

/**
 * Reads the name, shape, type and quantisation of the input and output tensors of a .tflite model (first
 * subgraph), straight from the flatbuffer.
 */
export function readTfliteTensors(bytes: Uint8Array, file: string): TfliteModelTensors {
  const flat = new FlatbufferView(bytes, file)
  if (bytes.byteLength < 8) throw flat.invalid(`only ${bytes.byteLength} bytes`)
  if (flat.ascii(4, 4) !== FILE_IDENTIFIER) throw flat.invalid(`no "${FILE_IDENTIFIER}" identifier at byte 4`)

  const model = flat.follow(0)
  const subgraphs = flat.reference(model, MODEL_SUBGRAPHS)
  const subgraph = subgraphs === undefined ? undefined : flat.tables(subgraphs)[0]
  if (subgraph === undefined) throw flat.invalid('no subgraph')

  const tensorsVector = flat.reference(subgraph, SUBGRAPH_TENSORS)
  const tensors = tensorsVector === undefined ? [] : flat.tables(tensorsVector)
  const indices = (field: number): number[] => {
    const vector = flat.reference(subgraph, field)
    return vector === undefined ? [] : flat.elements(vector, 4).map((at) => flat.int32(at))
  }
  const read = (role: 'input' | 'output') => (index: number): TfliteTensor => {
    const tensor = tensors[index]
    if (tensor === undefined) throw flat.invalid(`${role} tensor ${index} of ${tensors.length} does not exist`)
    return readTensor(flat, tensor, role, file)
  }
  return {inputs: indices(SUBGRAPH_INPUTS).map(read('input')), outputs: indices(SUBGRAPH_OUTPUTS).map(read('output'))}
}

/** The single input tensor of a model (see readTfliteTensors). */
export function readTfliteInput(bytes: Uint8Array, file: string): TfliteInput {
  const {inputs} = readTfliteTensors(bytes, file)
  // A stimulus file feeds exactly one tensor; a model with several inputs needs a recipe this reader cannot guess.
  if (inputs.length !== 1) throw fileError(file, `the model has ${inputs.length} input tensors, expected 1`)
  return inputs[0]
}

function readTensor(flat: FlatbufferView, tensor: number, role: 'input' | 'output', file: string): TfliteTensor {
  const shapeVector = flat.reference(tensor, TENSOR_SHAPE)
  const shape = shapeVector === undefined ? [] : flat.elements(shapeVector, 4).map((at) => flat.int32(at))
  const typeField = flat.field(tensor, TENSOR_TYPE)
  const typeCode = typeField === undefined ? 0 : flat.int8(typeField) // schema default: FLOAT32
  const type = TENSOR_TYPES[typeCode]
  if (type === undefined) throw fileError(file, `the ${role} tensor has unknown TensorType ${typeCode}`)
  const nameString = flat.reference(tensor, TENSOR_NAME)
  const name = nameString === undefined ? '' : flat.string(nameString)
  return {name, shape, type, ...readQuantization(flat, tensor, role, file)}
}

/** Per-tensor scale and zero point, following the rules of TFLite's own interpreter builder. */
function readQuantization(
  flat: FlatbufferView, tensor: number, role: 'input' | 'output', file: string,
): Pick<TfliteTensor, 'scale' | 'zeroPoint'> {
  const quantization = flat.reference(tensor, TENSOR_QUANTIZATION)
  const scaleVector = quantization === undefined ? undefined : flat.reference(quantization, QUANTIZATION_SCALE)
  const scales = scaleVector === undefined ? [] : flat.elements(scaleVector, 4).map((at) => flat.float32(at))
  if (quantization === undefined || scales.length === 0) return {scale: undefined, zeroPoint: undefined}

  const zeroPointVector = flat.reference(quantization, QUANTIZATION_ZERO_POINT)
  const zeroPoints = zeroPointVector === undefined ? [] : flat.elements(zeroPointVector, 8).map((at) => flat.int64(at))
  if (zeroPoints.length !== scales.length) {
    throw flat.invalid(`the ${role} has ${scales.length} quantisation scales but ${zeroPoints.length} zero points`)
  }
  if (scales.length > 1) {
    throw fileError(file, `the ${role} tensor is quantised per channel (${scales.length} scales); only per-tensor quantisation is supported`)
  }
  return {scale: scales[0], zeroPoint: Number(zeroPoints[0])}
}

/** Reads a .tflite file and returns its input tensor (see readTfliteInput). */
/**
 * `tensor` with its quantisation, where it is an int8 tensor with a scale and zero point; else a UserError naming
 * `file` and the `role` (input, output), ending with `why` (what needs int8).
 */
export function int8Tensor(tensor: TfliteTensor, role: string, file: string, why: string): TfliteTensor & {scale: number; zeroPoint: number} {
  if (tensor.type !== 'int8' || tensor.scale === undefined || tensor.zeroPoint === undefined) {
    throw fileError(file, `the ${role} tensor is ${tensor.type}${tensor.scale === undefined ? ' without quantisation' : ''}; ${why}`)
  }
  return {...tensor, scale: tensor.scale, zeroPoint: tensor.zeroPoint}
}

export async function readTfliteInputFile(path: string): Promise<TfliteInput> {
  return readTfliteInput(await readModelFile(path), path)
}

export async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path)
  } catch (error) {
    throw fileError(path, `cannot read the model (${(error as Error).message})`)
  }
}
