/** SHA-256, the one digest tinydata pins and compares: of bytes in memory, or of a file read as a stream. */
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** The sha256 of a file, read in chunks: memory stays flat whatever the file's size. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
