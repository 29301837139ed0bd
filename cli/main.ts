// Parse, dispatch to the verb's module (its table row imports it lazily), and turn every error
// into an exit status and a message that says what to do.
// first: zod's schemas must be built interpreted (cli/zod-interpreted.ts)
import './zod-interpreted.ts';
import { CliError } from './errors.ts';
import { EXIT, exitName } from './exit-codes.ts';
import { groupHelp, topHelp, verbHelp } from './help/text.ts';
import { writeJson, type Io } from './io.ts';
import { parseCommandLine } from './parse.ts';
import { describeError } from '../shared/describe-error.ts';

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const parsed = parseCommandLine(argv);
    switch (parsed.kind) {
      case 'top-help':
        io.out(topHelp(io.paint));
        return EXIT.ok;
      case 'version': {
        const { version } = await import('./version.ts');
        io.out(`mode ${version}\n`);
        return EXIT.ok;
      }
      case 'group-help':
        io.out(groupHelp(parsed.group, parsed.commands, io.paint));
        return EXIT.ok;
      case 'run': {
        const { invocation } = parsed;
        if (invocation.help) {
          io.out(verbHelp(invocation.command, io.paint));
          return EXIT.ok;
        }
        const module = await invocation.command.load();
        return await module.run(invocation, io);
      }
    }
  } catch (error) {
    return reportError(error, io, argv.includes('--json') || argv.includes('--format=json'));
  }
}

/** Operator errors say what to do; only internal errors may show a stack, and only on request. */
function reportError(error: unknown, io: Io, json: boolean): number {
  const p = io.paintErr;
  if (error instanceof CliError) {
    io.err(`${p.red('mode:')} ${error.message}\n${error.hints.map((h) => `  ${h}\n`).join('')}`);
    if (json) writeJson(io, { error: { exit: error.exit, status: exitName(error.exit), message: error.message, hints: error.hints } });
    return error.exit;
  }
  const message = describeError(error);
  io.err(`${p.red('mode: internal error:')} ${message}\n  this is a bug in mode; rerun with MODE_DEBUG=1 for the stack and report it\n`);
  if (io.env.MODE_DEBUG === '1' && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  if (json) writeJson(io, { error: { exit: EXIT.internal, status: 'internal', message, hints: [] } });
  return EXIT.internal;
}

