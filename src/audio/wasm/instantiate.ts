/** Instantiates one of the audio kernels that `npm run build` compiles from assembly/ into wasm/ (synchronously). */
import {existsSync, readFileSync} from 'node:fs'

import {packageFile} from '../../package-files.js'

/** The slice of the JavaScript WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => {readonly exports: object}
}

/** The exports of wasm/<file>; the caller states their type. */
export function instantiateWasm(file: string): object {
  const path = packageFile('wasm', file)
  if (!existsSync(path)) throw new Error(`tinydata: ${path} is missing; npm run build compiles it from assembly/`)
  const {Module, Instance} = (globalThis as unknown as {WebAssembly: WebAssemblyApi}).WebAssembly
  return new Instance(new Module(readFileSync(path)), {}).exports
}
