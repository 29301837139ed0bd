// mode run <mode>: one controller run, what mode-controller@<mode>.service
// executes. It reconciles the machine to the newest desired mode (level
// triggered), records exactly one outcome and exits with its status.
import { randomUUID } from 'node:crypto';
import { ModeName } from '../../schemas/names.ts';
import { createRealHost } from '../../effects/real-host.ts';
import { runController } from '../../machines/run-controller.ts';
import { loadConfig } from '../config/load.ts';
import { failpointFromEnv } from '../controller/failpoint.ts';
import { renderRecord } from '../controller/render-record.ts';
import { usageError } from '../errors.ts';
import { exitForOutcome } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { optionValue, type Invocation } from '../parse.ts';
import { recordFiles } from '../records/files.ts';

export async function run(inv: Invocation, io: Io): Promise<number> {
  const target = ModeName.safeParse(inv.args.mode);
  if (!target.success) throw usageError(`unknown mode ${JSON.stringify(inv.args.mode)}`, [`valid modes: ${ModeName.options.join(', ')}`]);
  const files = recordFiles(io.env, optionValue(inv, 'config'));
  const { config } = await loadConfig(files.paths.configPath);
  const runId = randomUUID();
  const host = createRealHost(config, {
    runtimeDir: files.paths.runtimeDir,
    stateDir: files.paths.stateDir,
    env: io.env,
    // Every audit line also goes to stdout, so the journal holds the history even if /var is lost.
    store: { runId, mirror: (line) => io.out(`audit ${line}\n`) },
  });
  const failpoint = failpointFromEnv(io.env);
  const record = await runController(host, target.data, { runId, pid: process.pid, ...(failpoint ? { failpoint } : {}) });
  io.out(renderRecord(record));
  return exitForOutcome(record.outcome);
}
