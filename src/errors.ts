/**
 * An error the user can cause and fix (bad input file, bad flag, unwritable folder).
 * Commands print its message as a single line, without a stack trace; anything else is a bug.
 */
export class UserError extends Error {
  override name = 'UserError'
}

/** Builds a UserError whose message starts with the file it is about: `<file>: <what is wrong>`. */
export function fileError(file: string, problem: string): UserError {
  return new UserError(`${file}: ${problem}`)
}
