/**
 * An error the user can cause and fix (bad input file, bad flag, unwritable folder).
 * Commands print its message as a single line, without a stack trace; anything else is a bug.
 */
export class UserError extends Error {
  override name = 'UserError'
}

/** A UserError about one file, `<file>: <problem>`, its parts kept apart so that files with the same problem can be listed once. */
export class FileError extends UserError {
  constructor(readonly file: string, readonly problem: string) {
    super(`${file}: ${problem}`)
  }
}

/** Builds a UserError whose message starts with the file it is about: `<file>: <what is wrong>`. */
export function fileError(file: string, problem: string): FileError {
  return new FileError(file, problem)
}
