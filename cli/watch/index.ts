// mode watch [--json]: the state once, then one line (or one JSON object) per
// event until SIGINT or SIGTERM, which end it with status 0. A closed stdout
// (the status bar went away) ends it quietly too: cli/mode.ts exits on EPIPE.
import type { Invocation } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { flag, optionValue } from '../parse.ts';
import { recordFiles } from '../record-views/files.ts';
import { followRecords } from './follow.ts';
import { watchLine } from './render.ts';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const json = flag(inv, 'json');
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
  try {
    await followRecords({
      files,
      signal: stop.signal,
      // one compact object a line, each written whole: `jq --unbuffered` or a status bar reads it at once
      emit: (event) => io.out(json ? `${JSON.stringify(event)}\n` : `${watchLine(event, io.paint)}\n`),
      notice: (text) => io.err(`mode watch: ${text}\n`),
    });
  } finally {
    for (const name of STOP_SIGNALS) process.off(name, onSignal);
  }
  return EXIT.ok;
}
