/**
 * SHA-256, the one digest tinydata pins and compares (and md5 or a git blob id, where a publisher gives only that): of
 * bytes in memory, of a file read as a stream, or of bytes as they stream past.
 */
import {createHash, type Hash} from 'node:crypto'
import {createReadStream} from 'node:fs'

/** `git-blob`: the id git (and GitHub) shows for a file, sha1 of `blob <size>\0` and the bytes. */
export type DigestName = 'sha256' | 'md5' | 'git-blob'

/** Files are hashed in chunks of this size: few reads of a multi-gigabyte archive, memory still flat. */
const READ_CHUNK_BYTES = 1024 * 1024

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** The sha256 of a file, read in chunks: memory stays flat whatever the file's size. */
export async function sha256File(path: string): Promise<string> {
  const digests = new Digests(['sha256'])
  await hashFileInto(digests, path)
  return digests.hex().sha256
}

/** Several digests of the same bytes, fed chunk by chunk as they stream past (a download, an archive being read). */
export class Digests<Name extends DigestName = DigestName> {
  private readonly hashes: ReadonlyMap<Name, Hash>

  /** `size`: the bytes that will be fed in all, which a git blob id hashes first; required for `git-blob`. */
  constructor(names: readonly Name[], size?: number) {
    this.hashes = new Map(names.map((name) => [name, createDigest(name, size)]))
  }

  update(chunk: Uint8Array): void {
    for (const hash of this.hashes.values()) hash.update(chunk)
  }

  /** The digests of the bytes so far; more may follow. */
  hex(): Record<Name, string> {
    return Object.fromEntries([...this.hashes].map(([name, hash]) => [name, hash.copy().digest('hex')])) as Record<Name, string>
  }
}

function createDigest(name: DigestName, size: number | undefined): Hash {
  if (name !== 'git-blob') return createHash(name)
  if (size === undefined) throw new Error('a git blob id needs the size of the bytes in advance')
  return createHash('sha1').update(`blob ${size}\0`)
}

/**
 * Feeds a file's bytes (its first `length` bytes, when given) into `digests`, in chunks; `onBytes` hears how many
 * have been hashed so far, for a progress display. Returns that count.
 */
export async function hashFileInto(digests: Pick<Digests, 'update'>, path: string, options: {length?: number; onBytes?: (bytes: number) => void} = {}): Promise<number> {
  if (options.length === 0) return 0
  let bytes = 0
  const end = options.length === undefined ? undefined : options.length - 1
  for await (const chunk of createReadStream(path, {end, highWaterMark: READ_CHUNK_BYTES})) {
    digests.update(chunk as Buffer)
    bytes += (chunk as Buffer).length
    options.onBytes?.(bytes)
  }
  return bytes
}
