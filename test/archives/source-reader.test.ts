import {createHash} from 'node:crypto'
import {mkdtemp, mkdir, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openSource, type SourceReader} from '../../src/archives/source-reader.js'
import {UserError} from '../../src/errors.js'
import {crc32 as zlibCrc32, gzipSync} from 'node:zlib'

import {crc32, tableCrc32} from '../../src/archives/crc32.js'
import {buildTar, buildTarGz, buildZip} from '../helpers/archives.js'

const entries = [
  {path: './yes/a.wav', bytes: Buffer.from('first')},
  {path: './no/b.wav', bytes: Buffer.alloc(70_000, 7)},
  {path: 'LICENSE', bytes: Buffer.from('CC BY 4.0')},
]

async function readAll(reader: SourceReader, wanted?: (path: string) => boolean) {
  const members: {path: string; bytes: Buffer}[] = []
  for await (const member of reader.members(wanted)) members.push({path: member.path, bytes: Buffer.from(member.bytes)})
  return members
}

/** Sets the size a tar header declares for its member (octal, offset 124) and the header checksum that covers it. */
function declareTarSize(tarBytes: Buffer, headerOffset: number, size: number): void {
  const header = tarBytes.subarray(headerOffset, headerOffset + 512)
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1')
  header.fill(0x20, 148, 156) // the checksum is computed with its own field as spaces
  let sum = 0
  for (const byte of header) sum += byte
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
}

/** Offsets in a zip built by buildZip: the central directory record of the first member and its fields. */
function centralRecordOffset(zipBytes: Buffer): number {
  return zipBytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))
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

  it('reads many zip members in their order while it reads ahead, stored or deflated, whatever their local extra fields', async () => {
    const many = Array.from({length: 40}, (_, index) => ({path: `clips/${String(index).padStart(3, '0')}.wav`, bytes: Buffer.alloc(1000 + 997 * index, index)}))
    // 3,000 bytes of local extra field: more than the reader's first read takes beyond the central record's lengths.
    for (const options of [{}, {stored: true}, {localExtraBytes: 3000}, {stored: true, localExtraBytes: 3000}]) {
      const path = join(dir, `many-${JSON.stringify(options).replace(/\W/g, '')}.zip`)
      await writeFile(path, buildZip(many, options))
      const members = await readAll(await openSource(path))
      expect(members.map((m) => m.path)).toEqual(many.map((m) => m.path))
      members.forEach((member, index) => expect(Buffer.from(member.bytes).equals(many[index]!.bytes)).toBe(true))
    }
  })

  it('names the zip and the member when the central directory points where no local header is', async () => {
    const archive = buildZip([{path: 'a/one.wav', bytes: Buffer.alloc(3000, 1)}, {path: 'a/two.wav', bytes: Buffer.alloc(3000, 2)}])
    const second = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), centralRecordOffset(archive) + 4)
    archive.writeUInt32LE(archive.readUInt32LE(second + 42) + 2, second + 42)
    const path = join(dir, 'bad-offset.zip')
    await writeFile(path, archive)
    await expect(readAll(await openSource(path))).rejects.toThrow(new RegExp(`^${path}: a/two\\.wav: corrupt zip member \\(no local file header where the central directory points\\)$`))
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

  it('refuses a zip member whose bytes are not the ones its CRC-32 records, naming the archive and the member', async () => {
    const archive = buildZip([{path: 'test/a.wav', bytes: Buffer.alloc(4000, 9)}])
    const central = centralRecordOffset(archive)
    archive.writeUInt32LE((archive.readUInt32LE(central + 16) ^ 1) >>> 0, central + 16)
    const path = join(dir, 'bad-crc.zip')
    await writeFile(path, archive)
    const error = await readAll(await openSource(path)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(new RegExp(`^${path}: test/a\\.wav: corrupt zip member \\(CRC-32 [0-9a-f]{8}, not the [0-9a-f]{8} the archive records\\)$`))
  })

  it.each([3999, 4001])('refuses a zip member of 4000 bytes whose central directory declares %i, naming archive and member', async (declared) => {
    const archive = buildZip([{path: 'test/a.wav', bytes: Buffer.alloc(4000, 9)}])
    const central = centralRecordOffset(archive)
    archive.writeUInt32LE(declared, central + 24)
    const path = join(dir, `declared-${declared}.zip`)
    await writeFile(path, archive)
    const error = await readAll(await openSource(path)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(new RegExp(`^${path}: test/a\\.wav: corrupt zip member \\(`))
    expect((error as Error).message.split('\n')).toHaveLength(1)
  })

  it('names the archive when the gzip CRC-32 at its end does not match', async () => {
    const archive = Buffer.from(await buildTarGz(entries))
    archive[archive.length - 8]! ^= 0xff // the trailer: CRC-32, then the length
    const path = join(dir, 'bad-crc.tar.gz')
    await writeFile(path, archive)
    const error = await readAll(await openSource(path)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message.split('\n')).toHaveLength(1)
    expect((error as Error).message).toMatch(new RegExp(`^${path}: corrupt gzip data`))
  })

  it('computes CRC-32 the same way with or without zlib.crc32 (Node 20.15 and later)', () => {
    const bytes = Buffer.from(Array.from({length: 1000}, (_, i) => (i * 7919) & 0xff))
    expect(tableCrc32(bytes)).toBe(zlibCrc32(bytes))
    expect(tableCrc32(bytes.subarray(600), tableCrc32(bytes.subarray(0, 600)))).toBe(zlibCrc32(bytes))
    expect(crc32(Buffer.alloc(0))).toBe(0)
  })

  describe('the largest member a source may hold', () => {
    const limit = {largestMember: 1024}
    const limitMessage = (path: string, member: string, size: number) => `${path}: ${member} is ${size} bytes, more than the 1024 bytes of the largest member this source may hold (a different or damaged archive)`

    it('refuses a zip member whose central directory declares more, before inflating it', async () => {
      // 4000 bytes declared as 4 GiB - 1: refused on the declaration alone, since inflating would give far fewer.
      const archive = buildZip([{path: 'LICENSE', bytes: Buffer.from('ok')}, {path: 'test/big.wav', bytes: Buffer.alloc(4000, 1)}])
      const second = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), centralRecordOffset(archive) + 4)
      archive.writeUInt32LE(0xffff_fffe, second + 24)
      const path = join(dir, 'declared-huge.zip')
      await writeFile(path, archive)
      await expect(readAll(await openSource(path, limit))).rejects.toThrow(limitMessage(path, 'test/big.wav', 0xffff_fffe))
      // Not wanted, it is passed over without a word.
      expect((await readAll(await openSource(path, limit), (member) => member === 'LICENSE')).map((m) => m.path)).toEqual(['LICENSE'])
    })

    it('refuses a tar member whose header declares more, before reading it', async () => {
      const tarBytes = await buildTar([{path: 'LICENSE', bytes: Buffer.from('ok')}, {path: 'test/big.wav', bytes: Buffer.alloc(2000, 1)}])
      declareTarSize(tarBytes, 1024, 2 ** 30) // the second header: after the first header and its data block
      const path = join(dir, 'declared-huge.tar.gz')
      await writeFile(path, gzipSync(tarBytes))
      await expect(readAll(await openSource(path, limit))).rejects.toThrow(limitMessage(path, 'test/big.wav', 2 ** 30))
    })

    it('passes over a large member that is not wanted, and reads the wanted ones up to the limit', async () => {
      // 16 MiB of zeros: a few KB compressed, drained through the checksum and never kept.
      const big = {path: 'train/big.wav', bytes: Buffer.alloc(16 << 20)}
      const fits = {path: 'test/fits.wav', bytes: Buffer.alloc(1024, 3)}
      for (const [name, bytes] of [['skip.tar.gz', await buildTarGz([big, fits])], ['skip.zip', buildZip([big, fits])]] as const) {
        const path = join(dir, name)
        await writeFile(path, bytes)
        const reader = await openSource(path, limit)
        expect((await readAll(reader, (member) => member.startsWith('test/'))).map((m) => [m.path, m.bytes.length])).toEqual([['test/fits.wav', 1024]])
        expect(reader.sha256()).toBe(createHash('sha256').update(bytes).digest('hex'))
        await expect(readAll(await openSource(path, limit))).rejects.toThrow(limitMessage(path, 'train/big.wav', 16 << 20))
      }
    })

    it('refuses a file of a folder larger than the limit, before reading it', async () => {
      const folder = join(dir, 'large-folder')
      await mkdir(join(folder, 'test'), {recursive: true})
      await writeFile(join(folder, 'test/big.wav'), Buffer.alloc(2000))
      await expect(readAll(await openSource(folder, limit))).rejects.toThrow(limitMessage(folder, 'test/big.wav', 2000))
    })
  })

  it('says so when the source does not exist', async () => {
    await expect(openSource(join(dir, 'missing.tar.gz'))).rejects.toThrow(/missing\.tar\.gz: does not exist/)
  })
})
