// mode completions bash|zsh|fish
import { bashCompletion } from './bash.ts';
import { fishCompletion } from './fish.ts';
import { zshCompletion } from './zsh.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import type { Invocation } from '../command.ts';

const GENERATORS: Record<string, () => string> = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion };

export function run(inv: Invocation, io: Io): Promise<number> {
  const generate = GENERATORS[inv.args.shell ?? ''];
  // The parser has checked the choice; a missing generator is a table/code mismatch.
  if (!generate) throw new Error(`no completion generator for shell ${inv.args.shell}`);
  io.out(generate());
  return Promise.resolve(EXIT.ok);
}
