/** File-system error codes in one-line errors. */

/** Codes a user may not recognise, in words. */
const IN_WORDS: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
}

/** Why a file-system call failed, for a one-line error: `read-only file system: EROFS`, the bare code where it is plain enough. */
export function fsFailure(error: unknown): string {
  const {code, message} = error as NodeJS.ErrnoException
  if (code === undefined) return message
  return IN_WORDS[code] ? `${IN_WORDS[code]}: ${code}` : code
}
