/**
 * The TFLite interpreter behind `infer`: tfjs-tflite-node, a Node addon around TensorFlow Lite's C library (the
 * library ships inside the npm package; the addon itself is compiled by node-gyp on install). It is an optional
 * dependency, loaded on first use, so everything but `infer` works where it could not be built.
 *
 * Only its raw interpreter is used (not its tfjs-core model wrapper): int8 bytes in, int8 bytes out. The quantisation
 * of each tensor comes from the flatbuffer, read by tinydata itself.
 */

import {createRequire} from 'node:module'

import {fileError, UserError} from '../errors.js'
import {int8Tensor, readModelFile, readTfliteTensors, type TfliteTensor} from '../quantization/tflite.js'

const INT8_ONLY = 'infer runs int8 models, as the devices do'

interface TensorHandle {
  dataType: string
  shape: string
  data(): ArrayBufferView & ArrayLike<number>
}

interface InterpreterHandle {
  getInputs(): TensorHandle[]
  getOutputs(): TensorHandle[]
  infer(): boolean
}

type InterpreterConstructor = new (model: ArrayBuffer, options: {threads: number}) => InterpreterHandle

const RUNTIME_PACKAGE = 'tfjs-tflite-node'
/**
 * One thread: the models are tiny, and on a 2-core machine 4 threads were 50× slower than 1 (issue 8). Nor can the
 * work go to worker threads: the addon keeps its tensor class in a process-wide static, and a second isolate that
 * loads it aborts the process ("Entering the V8 API without proper locking").
 */
const THREADS = 1

let interpreterClass: InterpreterConstructor | undefined

/** The addon's interpreter class, or a UserError saying how to get it. */
function loadInterpreterClass(): InterpreterConstructor {
  if (interpreterClass) return interpreterClass
  try {
    const runtime = createRequire(import.meta.url)(RUNTIME_PACKAGE) as {TFLiteNodeModelRunner: InterpreterConstructor}
    interpreterClass = runtime.TFLiteNodeModelRunner
    return interpreterClass
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new UserError(`infer needs the optional package ${RUNTIME_PACKAGE} (npm install ${RUNTIME_PACKAGE}; it compiles a`
      + ` small addon with node-gyp, so python3, make and a C++ compiler must be present): ${reason}`)
  }
}

/** True where the TFLite runtime loads (tests of `infer` skip with a message where it does not). */
export function tfliteRuntimeAvailable(): boolean {
  try {
    loadInterpreterClass()
    return true
  } catch {
    return false
  }
}

/** An int8 → int8 TFLite model with one input and one output tensor, run one inference at a time. */
export class Int8Model {
  readonly input: TfliteTensor & {scale: number; zeroPoint: number}
  readonly output: TfliteTensor & {scale: number; zeroPoint: number}
  readonly inputSize: number
  readonly outputSize: number
  private readonly interpreter: InterpreterHandle
  private readonly inputData: Int8Array
  private readonly outputData: Int8Array

  private constructor(readonly file: string, bytes: Uint8Array) {
    const {inputs, outputs} = readTfliteTensors(bytes, file)
    if (inputs.length !== 1 || outputs.length !== 1) {
      throw fileError(file, `the model has ${inputs.length} inputs and ${outputs.length} outputs; infer runs models with one of each`)
    }
    this.input = int8Tensor(inputs[0], 'input', file, INT8_ONLY)
    this.output = int8Tensor(outputs[0], 'output', file, INT8_ONLY)
    const Interpreter = loadInterpreterClass()
    const modelBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    try {
      this.interpreter = new Interpreter(modelBuffer, {threads: THREADS})
    } catch (error) {
      throw fileError(file, `TensorFlow Lite cannot load the model (${(error as Error).message})`)
    }
    this.inputData = this.interpreter.getInputs()[0].data() as Int8Array
    this.outputData = this.interpreter.getOutputs()[0].data() as Int8Array
    this.inputSize = this.inputData.length
    this.outputSize = this.outputData.length
  }

  static async load(file: string): Promise<Int8Model> {
    return new Int8Model(file, await readModelFile(file))
  }

  /** Runs the model on `tensor` (exactly inputSize values) and returns a copy of the output tensor. */
  run(tensor: Int8Array): Int8Array {
    return this.runInPlace(tensor).slice()
  }

  /**
   * Like run, but returns the interpreter's own output tensor, which the next run overwrites: for a caller that reads
   * it at once (the copy cost more than an ad01 window's score, issue 17).
   */
  runInPlace(tensor: Int8Array): Int8Array {
    this.inputData.set(tensor)
    if (!this.interpreter.infer()) throw fileError(this.file, 'TensorFlow Lite could not run the model')
    return this.outputData
  }
}

