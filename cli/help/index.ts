// mode help [verb...]
import { EXIT } from '../exit-codes.ts';
import { groupHelp, topHelp, verbHelp } from './text.ts';
import type { Io } from '../io.ts';
import type { Invocation } from '../command.ts';
import { parseCommandLine } from '../parse.ts';

export function run(inv: Invocation, io: Io): Promise<number> {
  if (inv.rest.length === 0) {
    io.out(topHelp(io.paint));
    return Promise.resolve(EXIT.ok);
  }
  // The words name a command exactly as on the command line; the parser finds it or says why not.
  const parsed = parseCommandLine([...inv.rest, '--help']);
  if (parsed.kind === 'group-help') io.out(groupHelp(parsed.group, parsed.commands, io.paint));
  else if (parsed.kind === 'run') io.out(verbHelp(parsed.invocation.command, io.paint));
  else io.out(topHelp(io.paint));
  return Promise.resolve(EXIT.ok);
}
