/**
 * A worker thread of the ad01 stimulus pool: turns clips into stimulus bytes with the same function as the main
 * thread, so the bytes cannot depend on where they were made.
 */
import {parentPort} from 'node:worker_threads'

import {adStimulusBytes} from '../audio/ad-features.js'
import type {AdWorkerReply, AdWorkerRequest} from './ad-pool.js'

parentPort!.on('message', ({id, samples}: AdWorkerRequest) => {
  const bytes = adStimulusBytes(samples)
  const reply: AdWorkerReply = {id, bytes}
  parentPort!.postMessage(reply, [bytes.buffer as ArrayBuffer])
})
