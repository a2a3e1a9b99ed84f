/** Text files of a submission are UTF-8 (the checker opens results.txt with `encoding="utf-8"`). */

const UTF8 = new TextDecoder('utf-8', {fatal: true})

/** The text, or null when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return UTF8.decode(bytes)
  } catch {
    return null
  }
}
