// mode history [-n N]
import type { HistoryOutput } from '../../schemas/cli-output.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { readTail, type Tail } from './read-tail.ts';
import { renderEvent } from './render.ts';
import type { Io } from '../io.ts';
import { writeJson } from '../io.ts';
import type { Invocation } from '../command.ts';
import { flag, optionValue } from '../parse.ts';
import { recordFiles } from '../record-views/files.ts';
import { describeError } from '../../shared/describe-error.ts';

const DEFAULT_COUNT = 20;

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const count = Number(optionValue(inv, 'lines') ?? DEFAULT_COUNT);
  let tail: Tail;
  try {
    tail = await readTail(files.events, count);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') tail = { events: [], skipped: 0 };
    else if (code === 'EACCES') throw new CliError(EXIT.denied, `${files.events} is not readable by this user`, ['run it as root (sudo mode history)']);
    else throw new CliError(EXIT.noInput, `cannot read ${files.events}: ${describeError(error)}`);
  }
  const output: HistoryOutput = { schemaVersion: 1, file: files.events, events: tail.events, skipped: tail.skipped, problems: [] };
  if (flag(inv, 'json')) {
    writeJson(io, output);
  } else {
    if (tail.events.length === 0) io.out(`no events recorded in ${files.events}\n`);
    for (const event of tail.events) io.out(`${renderEvent(event, io.paint)}\n`);
    if (tail.skipped > 0) io.err(`mode: skipped ${tail.skipped} unreadable line(s) of ${files.events}\n`);
  }
  return EXIT.ok;
}
