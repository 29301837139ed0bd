// mode run <mode>: one controller run, what mode-controller@<mode>.service
// executes. It reconciles the machine to the newest desired mode (level
// triggered), records exactly one outcome and exits with its status; SIGTERM
// stops it at the next step boundary (cli/run/run-once.ts).
import { ModeName } from '../../schemas/names.ts';
import { loadConfig } from '../config/load.ts';
import { renderRecord } from './render-record.ts';
import { runOnce } from './run-once.ts';
import { auditRejection } from './audit-rejection.ts';
import { CliError, usageError } from '../errors.ts';
import { exitForOutcome } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import type { Invocation } from '../command.ts';
import { optionValue } from '../parse.ts';
import { recordFiles } from '../record-views/files.ts';

export async function run(inv: Invocation, io: Io): Promise<number> {
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const reject = (reason: string) =>
    auditRejection({ runtimeDir: files.paths.runtimeDir, stateDir: files.paths.stateDir, requested: inv.args.mode, reason, out: (text) => io.out(text) });
  // Refusals touch no unit; they are audited as `rejected` and exit 2 (mode) or 78 (config).
  const target = ModeName.safeParse(inv.args.mode);
  if (!target.success) {
    const error = usageError(`unknown mode ${JSON.stringify(inv.args.mode)}`, [`valid modes: ${ModeName.options.join(', ')}`]);
    await reject(error.message);
    throw error;
  }
  let config;
  try {
    ({ config } = await loadConfig(files.paths.configPath));
  } catch (error) {
    if (error instanceof CliError) await reject(`config refused: ${error.message}`);
    throw error;
  }
  // Every audit line also goes to stdout, so the journal holds the history even if /var is lost.
  const record = await runOnce({ config, configPath: files.paths.configPath, target: target.data, runtimeDir: files.paths.runtimeDir, stateDir: files.paths.stateDir, env: io.env, out: (text) => io.out(text) });
  io.out(renderRecord(record));
  return exitForOutcome(record.outcome);
}
