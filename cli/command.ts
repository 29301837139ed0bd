// The shape of a command: its row in the command table (cli/table.ts), what
// the parser makes of argv for it, and what its module (cli/<verb>/index.ts)
// exports. One file, because the three refer to each other: a row loads a
// module, whose run() takes an invocation, which names its row.
import type { ExitName } from './exit-codes.ts';
import type { Io } from './io.ts';

/** What a shell should offer when completing a value. */
export type Completion = 'modes' | 'files' | 'choices' | 'verbs' | 'none';

export interface ValueSpec {
  readonly name: string;
  readonly choices?: readonly string[];
  /** the value must be a whole number in this range */
  readonly integer?: { readonly min: number; readonly max: number };
  readonly complete: Completion;
}

export interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  /** absent: a flag */
  readonly value?: ValueSpec;
  readonly summary: string;
}

export interface ArgumentSpec extends ValueSpec {
  readonly required: boolean;
  /** takes every remaining word (only the last argument) */
  readonly variadic?: boolean;
  readonly summary: string;
}

export interface CommandSpec {
  /** the words that select the command: ['status'], ['debug', 'parse'] */
  readonly path: readonly string[];
  readonly summary: string;
  /** paragraphs, plain text */
  readonly description: readonly string[];
  readonly arguments: readonly ArgumentSpec[];
  readonly options: readonly OptionSpec[];
  readonly exits: readonly ExitName[];
  readonly examples: readonly string[];
  /** the JSON Schema (schemas/json/<name>.schema.json) of its --json output */
  readonly jsonSchema?: string;
  /** run by the systemd units, not by people: left out of the verb list and the completions */
  readonly internal?: boolean;
  /** imports the verb's module, cli/<path joined by '-'>/index.ts, only when it runs */
  readonly load: () => Promise<CommandModule>;
}

export interface Invocation {
  readonly command: CommandSpec;
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  readonly args: Readonly<Record<string, string | undefined>>;
  /** the words taken by a variadic argument */
  readonly rest: readonly string[];
  readonly help: boolean;
}

/** What every verb module exports. */
export interface CommandModule {
  run(inv: Invocation, io: Io): Promise<number>;
}
