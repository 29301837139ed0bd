// mode status
import type { Io } from '../io.ts';
import { writeJson } from '../io.ts';
import type { Invocation } from '../command.ts';
import { checkConfigShape } from '../config/check-shape.ts';
import { CliError } from '../errors.ts';
import { flag, optionValue } from '../parse.ts';
import { recordFiles } from '../record-views/files.ts';
import { gatherStatus } from './gather.ts';
import { readInspectionFiles, renderInspection } from './inspection.ts';
import { statusModel } from './model.ts';
import { renderStatus } from './render.ts';

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  // A status over records while the config is broken would read as a working machine: say it first, in one line.
  await checkConfigShape(files.paths.configPath).catch((error: unknown) => {
    throw error instanceof CliError ? new CliError(error.exit, error.message) : error;
  });
  const status = statusModel(await gatherStatus(files));
  if (flag(inv, 'json')) writeJson(io, status);
  else {
    const now = Date.now();
    const verbose = flag(inv, 'verbose');
    // the plan's phase 4 reads these before any transition
    const inspection = renderInspection(await readInspectionFiles(files.paths.runtimeDir), io.paint, now, io.paint.bold('inspect'.padEnd(10)), ' '.repeat(10), !verbose);
    io.out(renderStatus(status, io.paint, now, verbose) + inspection.map((line) => `${line}\n`).join(''));
  }
  return status.exit.code;
}
