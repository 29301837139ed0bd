// mode desired
import type { DesiredOutput } from '../../schemas/cli-output.ts';
import { EXIT } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { writeJson } from '../io.ts';
import type { Invocation } from '../command.ts';
import { flag, optionValue } from '../parse.ts';
import { recordFiles } from '../record-views/files.ts';
import { readRecord } from '../record-views/read.ts';
import { desiredDetail } from '../render/desired.ts';

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const read = await readRecord(files.desired, 'desired');
  const output: DesiredOutput = {
    schemaVersion: 1,
    desired: read.status === 'ok' ? read.value : null,
    problems: read.status === 'unreadable' ? [{ file: files.desired, reason: read.reason }] : [],
  };
  if (flag(inv, 'json')) {
    writeJson(io, output);
  } else if (output.desired) {
    io.out(`${io.paint.bold(output.desired.mode)}  ${desiredDetail(output.desired, Date.now())}\n`);
  } else if (read.status === 'unreadable') {
    io.out(`unknown: ${read.reason}\n`);
  } else {
    io.out('none requested since boot (the boot default applies)\n');
  }
  return read.status === 'unreadable' ? EXIT.unknown : EXIT.ok;
}
