import {createHash} from 'node:crypto'
import {mkdtemp, mkdir, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openSource, type SourceReader} from '../../src/archives/source-reader.js'
import {UserError} from '../../src/errors.js'
import {buildTar, buildTarGz, buildZip} from '../helpers/archives.js'

const entries = [
  {path: './yes/a.wav', bytes: Buffer.from('first')},
  {path: './no/b.wav', bytes: Buffer.alloc(70_000, 7)},
  {path: 'LICENSE', bytes: Buffer.from('CC BY 4.0')},
]

async function readAll(reader: SourceReader) {
  const members: {path: string; bytes: Buffer}[] = []
  for await (const member of reader.members()) members.push({path: member.path, bytes: Buffer.from(member.bytes)})
  return members
}

describe('openSource', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tinydata-source-'))
  })
  afterAll(async () => rm(dir, {recursive: true, force: true}))

  it('streams the members of a tar.gz and checksums the archive in the same pass', async () => {
    const archive = await buildTarGz(entries)
    const path = join(dir, 'a.tar.gz')
    await writeFile(path, archive)
    const reader = await openSource(path)
    expect(reader.kind).toBe('tar.gz')
    expect(reader.sha256()).toBeUndefined()
    const members = await readAll(reader)
    expect(members.map((m) => m.path)).toEqual(['yes/a.wav', 'no/b.wav', 'LICENSE'])
    expect(members[1]!.bytes.equals(Buffer.alloc(70_000, 7))).toBe(true)
    expect(reader.sha256()).toBe(createHash('sha256').update(archive).digest('hex'))
  })

  it('reads a plain tar, recognised by content whatever its name', async () => {
    const path = join(dir, 'plain.tar.gz')
    await writeFile(path, await buildTar(entries))
    const reader = await openSource(path)
    expect(reader.kind).toBe('tar')
    expect((await readAll(reader)).map((m) => m.path)).toEqual(['yes/a.wav', 'no/b.wav', 'LICENSE'])
  })

  it('reads a zip member by member, and checksums the file alongside', async () => {
    const archive = buildZip([...entries, {path: 'val2017/000000000139.jpg', bytes: Buffer.alloc(5000, 3)}])
    const path = join(dir, 'a.zip')
    await writeFile(path, archive)
    const reader = await openSource(path)
    expect(reader.kind).toBe('zip')
    const members = await readAll(reader)
    expect(members.map((m) => m.path)).toEqual(['yes/a.wav', 'no/b.wav', 'LICENSE', 'val2017/000000000139.jpg'])
    expect(members[1]!.bytes.equals(Buffer.alloc(70_000, 7))).toBe(true)
    expect(reader.sha256()).toBe(createHash('sha256').update(archive).digest('hex'))
  })

  it('names the zip when its central directory is missing', async () => {
    const archive = buildZip(entries)
    const path = join(dir, 'cut.zip')
    await writeFile(path, archive.subarray(0, archive.length - 30))
    await expect(readAll(await openSource(path))).rejects.toThrow(new RegExp(`^${path}: corrupt zip archive`))
  })

  it('names the zip and the member when a member is corrupt', async () => {
    const archive = buildZip([{path: 'yes/a.wav', bytes: Buffer.alloc(4000, 9)}])
    for (let i = 40; i < 50; i++) archive[i] = 0xff
    const path = join(dir, 'bad-member.zip')
    await writeFile(path, archive)
    await expect(readAll(await openSource(path))).rejects.toThrow(new RegExp(`^${path}: (yes/a\\.wav: corrupt zip member|corrupt zip archive)`))
  })

  it('passes over the members a filter does not want: a zip member is not even inflated', async () => {
    // The first member's deflated data is damaged: reading it fails, passing over it does not.
    const archive = buildZip([{path: 'train/a.wav', bytes: Buffer.alloc(4000, 9)}, {path: 'test/b.wav', bytes: Buffer.from('kept')}])
    for (let i = 40; i < 50; i++) archive[i] = 0xff
    const path = join(dir, 'filtered.zip')
    await writeFile(path, archive)
    await expect(readAll(await openSource(path))).rejects.toThrow(/corrupt zip/)
    const kept = []
    for await (const member of (await openSource(path)).members((member) => member.startsWith('test/'))) kept.push(member.path)
    expect(kept).toEqual(['test/b.wav'])

    const tarPath = join(dir, 'filtered.tar.gz')
    const tarBytes = await buildTarGz(entries)
    await writeFile(tarPath, tarBytes)
    const tarSource = await openSource(tarPath)
    const tarKept = []
    for await (const member of tarSource.members((member) => member.endsWith('.wav'))) tarKept.push([member.path, member.bytes.byteLength])
    expect(tarKept).toEqual([['yes/a.wav', 5], ['no/b.wav', 70_000]])
    // The unwanted member still passed through the checksum of the whole archive.
    expect(tarSource.sha256()).toBe(createHash('sha256').update(tarBytes).digest('hex'))
  })

  it('reads an extracted folder in sorted order, with POSIX member paths, following links', async () => {
    const folder = join(dir, 'folder')
    await mkdir(join(folder, 'yes'), {recursive: true})
    await mkdir(join(folder, 'no'), {recursive: true})
    await writeFile(join(folder, 'yes/a.wav'), 'x')
    await writeFile(join(folder, 'no/b.wav'), 'y')
    await mkdir(join(dir, 'elsewhere'), {recursive: true})
    await writeFile(join(dir, 'elsewhere/c.wav'), 'z')
    await symlink(join(dir, 'elsewhere/c.wav'), join(folder, 'yes/c.wav'))
    await symlink(join(dir, 'elsewhere'), join(folder, 'linked'))
    await symlink(join(dir, 'nowhere'), join(folder, 'dangling'))
    const reader = await openSource(folder)
    expect(reader.kind).toBe('folder')
    expect((await readAll(reader)).map((m) => m.path)).toEqual(['linked/c.wav', 'no/b.wav', 'yes/a.wav', 'yes/c.wav'])
    expect(reader.sha256()).toBeUndefined()
  })

  it('names the archive when the gzip stream is cut short', async () => {
    const archive = await buildTarGz(entries)
    const path = join(dir, 'truncated.tar.gz')
    await writeFile(path, archive.subarray(0, archive.length - 40))
    await expect(readAll(await openSource(path))).rejects.toThrow(new RegExp(`^${path}: corrupt gzip data`))
  })

  it('names the archive when the gzip data is corrupt', async () => {
    const archive = Buffer.from(await buildTarGz(entries))
    for (let i = 20; i < 60; i++) archive[i] = archive[i]! ^ 0xff
    const path = join(dir, 'corrupt.tar.gz')
    await writeFile(path, archive)
    const error = await readAll(await openSource(path)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(new RegExp(`^${path}: corrupt (gzip data|tar archive)`))
  })

  it('names the archive when a gzip holds no tar', async () => {
    const {gzipSync} = await import('node:zlib')
    const path = join(dir, 'notar.tar.gz')
    await writeFile(path, gzipSync(Buffer.alloc(3000, 65)))
    await expect(readAll(await openSource(path))).rejects.toThrow(new RegExp(`^${path}: corrupt tar archive`))
  })

  it.each([
    ['empty.tar.gz', Buffer.alloc(0), 'is empty'],
    ['text.tar.gz', Buffer.from('<html>not found</html>'), 'is not a tar.gz, tar or zip archive, nor a folder'],
  ])('rejects %s before reading', async (name, bytes, message) => {
    const path = join(dir, name)
    await writeFile(path, bytes)
    await expect(openSource(path)).rejects.toThrow(`${path}: ${message}`)
  })

  it('says so when the source does not exist', async () => {
    await expect(openSource(join(dir, 'missing.tar.gz'))).rejects.toThrow(/missing\.tar\.gz: does not exist/)
  })
})
