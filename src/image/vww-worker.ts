/**
 * A worker thread of the vww pool: decodes and resizes one image per message with the same function as the calling
 * thread, so the bytes cannot depend on where they were made. A UserError (a bad image) goes back as its message.
 */
import {parentPort} from 'node:worker_threads'

import {UserError} from '../errors.js'
import type {VwwWorkerReply, VwwWorkerRequest} from './vww-pool.js'
import {makeVwwStimulus} from './vww-stimulus.js'

parentPort!.on('message', ({id, image, name}: VwwWorkerRequest) => {
  makeVwwStimulus(image, name).then(
    (stimulus) => {
      const reply: VwwWorkerReply = {id, stimulus}
      parentPort!.postMessage(reply, [stimulus.bytes.buffer as ArrayBuffer])
    },
    (error: unknown) => {
      const reply: VwwWorkerReply = {id, error: {message: error instanceof Error ? error.message : String(error), user: error instanceof UserError}}
      parentPort!.postMessage(reply)
    },
  )
})
