import {Command, type Interfaces} from '@oclif/core'

import {Interrupted, INTERRUPTED_EXIT_CODE, UserError} from '../errors.js'

/** What the parser returns for flags and arguments (@oclif/core's FlagOutput and ArgOutput, which it does not export). */
type ParsedValues = {[name: string]: any}

/** Exit code of an error the user can fix (bad input, bad flag, a folder that fails verify); 1 stays for bugs. */
export const USER_ERROR_EXIT = 2

/**
 * The base of every tinydata command: `--json` on all of them (the returned value is printed as JSON on stdout),
 * and errors the user can fix printed as one line, without a stack trace, with exit code 2.
 */
export abstract class TinydataCommand extends Command {
  static override enableJsonFlag = true

  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    // Ctrl-C: the message says what was kept (a download's .part files) or left as it was (prepare's folder); exit code 130.
    if (error instanceof Interrupted) {
      process.exitCode = INTERRUPTED_EXIT_CODE
      if (this.jsonEnabled()) this.logJson({error: {code: 'interrupted', message: error.message}})
      else process.stderr.write(`${error.message}\n`)
      return undefined
    }
    if (error instanceof UserError) {
      process.exitCode = USER_ERROR_EXIT
      if (this.jsonEnabled()) return super.catch(error)
      this.printError(error.message)
      return undefined
    }
    return super.catch(error)
  }

  /** `Error: <message>` on stderr, written by hand: oclif would wrap it at the terminal width, and a path must stay on one line. */
  protected printError(message: string): void {
    process.stderr.write(`Error: ${message}\n`)
  }

  /** `Warning: <message>` on stderr, one line for the same reason as printError (oclif's wraps it, ` › ` at each break); none in --json mode. */
  override warn(input: Error | string): Error | string {
    if (!this.jsonEnabled()) process.stderr.write(`Warning: ${input instanceof Error ? input.message : input}\n`)
    return input
  }

  /** `{"error": {"code", "message"}}` on stdout in --json mode (oclif's default drops the message). */
  protected override toErrorJson(error: unknown): unknown {
    const message = error instanceof Error ? error.message : String(error)
    return {error: {code: error instanceof UserError ? 'user_error' : 'internal_error', message}}
  }

  /** Whatever the parser refuses is a bad flag or argument: a user error, in --json mode too. */
  protected override async parse<F extends ParsedValues, B extends ParsedValues, A extends ParsedValues>(
    options?: Interfaces.Input<F, B, A>, argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv)
    } catch (error) {
      throw this.flagOrArgumentError(error as Error)
    }
  }

  /** A bad flag or argument as one line (oclif's own is several lines, then the whole help). */
  private flagOrArgumentError(error: Error): UserError {
    const command = this.id ? `${this.config.bin} ${this.id.replaceAll(':', ' ')}` : this.config.bin
    const missing = 'args' in error && error.message.startsWith('Missing') ? (error.args as {name: string}[]) : []
    const problem = missing.length > 0
      ? `missing ${missing.map((arg) => arg.name.toUpperCase()).join(' and ')}`
      : error.message.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('See more help')).join(' ')
    return new UserError(`${problem} (${command} --help lists the arguments and flags)`)
  }

  /** Progress lines belong on a terminal only: never in --json mode, never into a pipe or a CI log. */
  protected get showsProgress(): boolean {
    return !this.jsonEnabled() && Boolean(process.stderr.isTTY)
  }
}
