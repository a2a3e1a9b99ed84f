import {spawnSync} from 'node:child_process'
import {mkdtemp, readdir, readFile, rm, utimes, writeFile} from 'node:fs/promises'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {UserError} from '../../src/errors.js'
import {removeStaleTemporaries, replaceAtomically, writeFileAtomically} from '../../src/io/atomic-write.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tinydata-atomic-'))
})
afterEach(async () => {
  await rm(dir, {recursive: true, force: true})
})

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  return child.pid!
}

let made = 0

/** This machine as the temporaries name it. */
const HOST = hostname().split('.')[0]!.replace(/[^\w-]/g, '_')

/**
 * A temporary of the scheme, as a writer with `pid` on `host` would leave it, last modified `ageMs` ago (without a
 * host: as earlier versions named it).
 */
async function leftover(name: string, pid: number, ageMs: number, host?: string): Promise<string> {
  const file = `.${name}.${pid}${host === undefined ? '' : `@${host}`}-0a1b2c${(made++).toString(16).padStart(2, '0')}.tmp`
  await writeFile(join(dir, file), 'half')
  const when = new Date(Date.now() - ageMs)
  await utimes(join(dir, file), when, when)
  return file
}

const HOUR_MS = 60 * 60 * 1000

describe('replaceAtomically', () => {
  it('replaces the content whole: the old file stays readable until the rename, and no temporary is left', async () => {
    const target = join(dir, 'lock.json')
    await writeFile(target, 'old')
    let seenWhileWriting = ''
    await replaceAtomically(target, async (temporary) => {
      expect(temporary).toMatch(new RegExp(`/\\.lock\\.json\\.${process.pid}@${HOST}-[0-9a-f]+\\.tmp$`))
      await writeFile(temporary, 'new and longer')
      seenWhileWriting = await readFile(target, 'utf8')
    })
    expect(seenWhileWriting).toBe('old')
    expect(await readFile(target, 'utf8')).toBe('new and longer')
    expect(await readdir(dir)).toEqual(['lock.json'])
  })

  it('removes the temporary and keeps the old file when the write fails, rethrowing the error as it is', async () => {
    const target = join(dir, 'manifest.arrow')
    await writeFile(target, 'old')
    const failure = new Error('disk full')
    await expect(replaceAtomically(target, async (temporary) => {
      await writeFile(temporary, 'half of it')
      throw failure
    })).rejects.toBe(failure)
    expect(await readFile(target, 'utf8')).toBe('old')
    expect(await readdir(dir)).toEqual(['manifest.arrow'])
  })
})

describe('writeFileAtomically', () => {
  it('writes the bytes and names the file in a one-line error when its folder is missing', async () => {
    await writeFileAtomically(join(dir, 'a.txt'), Uint8Array.from([1, 2, 3]))
    expect([...(await readFile(join(dir, 'a.txt')))]).toEqual([1, 2, 3])
    const missing = join(dir, 'nowhere', 'b.txt')
    await expect(writeFileAtomically(missing, 'x')).rejects.toThrow(UserError)
    await expect(writeFileAtomically(missing, 'x')).rejects.toThrow(`${missing}: cannot write it: no folder ${join(dir, 'nowhere')}`)
  })

  it('removes what a dead writer of the same file left', async () => {
    await leftover('a.txt', deadPid(), HOUR_MS)
    const otherFile = await leftover('b.txt', deadPid(), HOUR_MS)
    await writeFileAtomically(join(dir, 'a.txt'), 'x')
    expect((await readdir(dir)).sort()).toEqual([otherFile, 'a.txt'].sort())
  })
})

describe('removeStaleTemporaries', () => {
  it('removes an old temporary of a dead process, keeps a live process\'s and a recent one (named without a host)', async () => {
    const dead = deadPid()
    const stale = await leftover('y_labels.csv', dead, HOUR_MS)
    const live = await leftover('y_labels.csv', process.pid, HOUR_MS)
    // A writer on another machine sharing the folder may have a pid that is dead here: it is given time.
    const recent = await leftover('y_labels.csv', dead, 1000)
    const notOurs = 'y_labels.csv.tmp'
    await writeFile(join(dir, notOurs), 'a user file')
    await removeStaleTemporaries(dir)
    const left = await readdir(dir)
    expect(left).not.toContain(stale)
    expect(left.sort()).toEqual([live, recent, notOurs].sort())
  })

  it('removes a temporary a dead writer on this machine left at once, and waits for one from another machine', async () => {
    const dead = deadPid()
    const ours = await leftover('a.bin', dead, 1000, HOST)
    const otherMachine = await leftover('a.bin', dead, 1000, `not-${HOST}`)
    const otherMachineOld = await leftover('a.bin', dead, HOUR_MS, `not-${HOST}`)
    const live = await leftover('a.bin', process.pid, HOUR_MS, HOST)
    await removeStaleTemporaries(dir)
    const left = await readdir(dir)
    expect(left).not.toContain(ours)
    expect(left).not.toContain(otherMachineOld)
    expect(left.sort()).toEqual([otherMachine, live].sort())
  })

  it('only touches the named file\'s temporaries when given a name', async () => {
    await leftover('manifest.arrow', deadPid(), HOUR_MS)
    const other = await leftover('a.bin', deadPid(), HOUR_MS)
    await removeStaleTemporaries(dir, 'manifest.arrow')
    expect(await readdir(dir)).toEqual([other])
  })

  it('passes over a folder that does not exist', async () => {
    await expect(removeStaleTemporaries(join(dir, 'none'))).resolves.toBeUndefined()
  })
})
