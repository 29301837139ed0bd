// An operator error: something the person at the keyboard can fix. The entry
// point prints its message and hints (never a stack) and exits with its code.
import { EXIT, type ExitCode } from './exit-codes.ts';

export class CliError extends Error {
  readonly exit: ExitCode;
  /** lines that say what to do about it */
  readonly hints: readonly string[];

  constructor(exit: ExitCode, message: string, hints: readonly string[] = []) {
    super(message);
    this.name = 'CliError';
    this.exit = exit;
    this.hints = hints;
  }
}

export const usageError = (message: string, hints: readonly string[] = []): CliError =>
  new CliError(EXIT.usage, message, hints);
