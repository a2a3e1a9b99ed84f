import {open, readFile, stat, unlink} from 'node:fs/promises'
import {hostname} from 'node:os'
import {setTimeout as sleep} from 'node:timers/promises'

import {fileError} from '../errors.js'
import {fsFailure} from '../io/fs-error.js'
import {isAlive} from '../io/process.js'

/** How often a download waiting for another process's download of the same file looks again. */
const POLL_MS = 250
/** A claim file still empty after this long was left by a process that died while creating it. */
const EMPTY_CLAIM_STALE_MS = 10_000

interface Holder {
  pid: number
  host: string
}

/**
 * One download of a file at a time in a cache, across processes (two `prepare` runs started together, say): two
 * writers of one .part could leave a mix of their bytes, or holes, under a name that then passes as verified. The
 * claim is `<name>.part.lock`, created exclusively and holding the pid and host of its owner. A claim whose process
 * has died on this host (killed, crashed) is taken over; one from another host sharing the cache is reported.
 * Resolves with the function that releases the claim.
 */
export async function claimDownload(claimPath: string, options: {signal?: AbortSignal; onWait?: (holder: Holder) => void}): Promise<() => Promise<void>> {
  const me: Holder = {pid: process.pid, host: hostname()}
  for (;;) {
    try {
      const handle = await open(claimPath, 'wx')
      try {
        await handle.writeFile(JSON.stringify(me))
      } finally {
        await handle.close()
      }
      return () => unlink(claimPath).catch(() => undefined)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'EEXIST') throw fileError(claimPath, `cannot be created (${fsFailure(error)})`)
    }
    const holder = await readHolder(claimPath)
    if (holder === 'stale' || (holder && holder.host === me.host && !isAlive(holder.pid))) {
      await unlink(claimPath).catch(() => undefined)
      continue
    }
    if (holder && holder.host !== me.host) {
      throw fileError(claimPath, `${holder.host} (pid ${holder.pid}) is downloading this file into the same cache; if no download runs there any more, delete this file`)
    }
    if (holder) options.onWait?.(holder)
    // Throws an AbortError on Ctrl-C; the caller reports the interruption.
    await sleep(POLL_MS, undefined, {signal: options.signal})
  }
}

/** The claim's owner; undefined while it is being written; 'stale' when it stayed empty or unreadable too long. */
async function readHolder(claimPath: string): Promise<Holder | 'stale' | undefined> {
  try {
    const holder = JSON.parse(await readFile(claimPath, 'utf8')) as Holder
    if (Number.isInteger(holder.pid) && typeof holder.host === 'string') return holder
  } catch {
    // Gone (released meanwhile), or not written yet: decided by its age below.
  }
  const info = await stat(claimPath).catch(() => undefined)
  if (!info) return undefined
  return Date.now() - info.mtimeMs > EMPTY_CLAIM_STALE_MS ? 'stale' : undefined
}
