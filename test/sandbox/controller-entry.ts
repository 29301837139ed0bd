// What mode-controller@<mode>.service runs inside the sandbox for the
// end-to-end tests and the demo: the same steps as cli/commands/run.ts
// (load the config, the real host, one runController, exit by outcome), plus
// the /proc root of the sandbox's world ($DUBNIUM_PROC_ROOT), which `mode run`
// does not read yet. Once it does, the sandbox can run the CLI itself:
// { entry: 'cli/mode.ts', args: ['run', '%i'] }. Bundled and run with
// node --jitless under the unit's full hardening.
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../cli/config/load.ts';
import { failpointFromEnv } from '../../cli/controller/failpoint.ts';
import { exitForOutcome } from '../../cli/exit-codes.ts';
import { createRealHost } from '../../effects/real-host.ts';
import { runController } from '../../machines/run-controller.ts';
import { ModeName } from '../../schemas/names.ts';

const env = process.env;
function required(name: string): string {
  const value = env[name];
  if (!value) throw new Error(`$${name} is not set; mode-controller@.service and the sandbox drop-in set it`);
  return value;
}

const mode = ModeName.safeParse(process.argv[2]);
if (!mode.success) {
  console.error(`controller: unknown mode ${JSON.stringify(process.argv[2])}; valid: ${ModeName.options.join(', ')}`);
  process.exit(2);
}
const { config } = await loadConfig(required('DUBNIUM_CONFIG'));
const runId = randomUUID();
const host = createRealHost(config, {
  runtimeDir: required('RUNTIME_DIRECTORY'),
  stateDir: required('STATE_DIRECTORY'),
  env,
  roots: env.DUBNIUM_PROC_ROOT ? { proc: env.DUBNIUM_PROC_ROOT } : undefined,
  store: { runId, mirror: (line) => process.stdout.write(`audit ${line}\n`) },
});
const failpoint = failpointFromEnv(env);
const record = await runController(host, mode.data, { runId, pid: process.pid, ...(failpoint ? { failpoint } : {}) });
const failed = record.firstFailedPredicate ? ` (first failed: ${record.firstFailedPredicate.code}: ${record.firstFailedPredicate.message})` : '';
console.log(`controller: ${record.target} generation ${String(record.generation)}: ${record.outcome} in ${Math.round(record.durationMs)} ms${failed}`);
process.exitCode = exitForOutcome(record.outcome);
