/**
 * An error the user can cause and fix (bad input file, bad flag, unwritable folder).
 * Commands print its message as a single line, without a stack trace; anything else is a bug.
 */
export class UserError extends Error {
  override name = 'UserError'
}

/** 128 + SIGINT, what a shell reports for a command stopped with Ctrl-C. */
export const INTERRUPTED_EXIT_CODE = 130

/** The user stopped the command (Ctrl-C): its message says what was kept or left as it was. */
export class Interrupted extends Error {
  override name = 'Interrupted'
}

/** A UserError about one file, `<file>: <problem>`, its parts kept apart so that files with the same problem can be listed once. */
export class FileError extends UserError {
  declare readonly file: string
  declare readonly problem: string

  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`)
    // not enumerable: the error is still just its message to anything that compares or prints errors
    Object.defineProperties(this, {file: {value: file}, problem: {value: problem}})
  }
}

/** Builds a UserError whose message starts with the file it is about: `<file>: <what is wrong>`. */
export function fileError(file: string, problem: string): FileError {
  return new FileError(file, problem)
}
