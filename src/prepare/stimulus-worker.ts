/**
 * A worker thread of the stimulus pool: turns clips into kws stimulus bytes with the same function as the main
 * thread, so the bytes cannot depend on where they were made.
 */
import {parentPort, workerData} from 'node:worker_threads'

import {kws01} from '../../datasets/kws01.js'
import {makeKwsStimulus} from './kws-stimulus.js'
import type {StimulusWorkerSetup, StimulusWorkerRequest, StimulusWorkerReply} from './stimulus-pool.js'

const {variant, quantization, precision} = workerData as StimulusWorkerSetup
const definition = kws01.variants[variant]

parentPort!.on('message', ({id, samples}: StimulusWorkerRequest) => {
  const bytes = makeKwsStimulus(samples, definition, quantization, precision)
  const reply: StimulusWorkerReply = {id, bytes}
  parentPort!.postMessage(reply, [bytes.buffer as ArrayBuffer])
})
