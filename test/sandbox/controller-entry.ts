// What mode-controller@<mode>.service runs inside the sandbox for the
// end-to-end tests and the demo: the same steps as cli/run/index.ts
// (load the config, the real host, one runController, exit by outcome), plus
// the /proc root of the sandbox's world ($DUBNIUM_PROC_ROOT), which `mode run`
// does not read yet. Both go through cli/run/run-once.ts. Run as `boot`, it is the real `mode boot`
// (mode-boot.service of the sandbox). Once `mode run` reads the /proc root, the sandbox can run the CLI itself:
// { entry: 'cli/mode.ts', args: ['run', '%i'] }. Bundled and run with
// node --jitless under the unit's full hardening.
import { loadConfig } from '../../cli/config/load.ts';
import { auditRejection } from '../../cli/run/audit-rejection.ts';
import { runOnce } from '../../cli/run/run-once.ts';
import { exitForOutcome } from '../../cli/exit-codes.ts';
import { ModeName } from '../../schemas/names.ts';

const env = process.env;

// mode-boot.service runs this same bundle as `<bundle> boot`: the real `mode boot`, through the CLI's own dispatch.
if (process.argv[2] === 'boot') {
  const { main } = await import('../../cli/main.ts');
  const { processIo } = await import('../../cli/io.ts');
  process.exitCode = await main(process.argv.slice(2), processIo());
} else {
  await runController();
}

function required(name: string): string {
  const value = env[name];
  if (!value) throw new Error(`$${name} is not set; mode-controller@.service and the sandbox drop-in set it`);
  return value;
}

async function runController(): Promise<void> {
  const mode = ModeName.safeParse(process.argv[2]);
  if (!mode.success) {
    const reason = `unknown mode ${JSON.stringify(process.argv[2])}; valid: ${ModeName.options.join(', ')}`;
    console.error(`controller: ${reason}`);
    // like `mode run`: the refusal touches nothing and is audited as rejected
    await auditRejection({ runtimeDir: required('RUNTIME_DIRECTORY'), stateDir: required('STATE_DIRECTORY'), requested: process.argv[2], reason, out: (text) => process.stdout.write(text) });
    process.exit(2);
  }
  const { config } = await loadConfig(required('DUBNIUM_CONFIG'));
  // the same run as `mode run` (SIGTERM → interrupted, lock wait, audit mirror, DUBNIUM_FAILPOINT), plus the world's /proc root
  const record = await runOnce({
    config,
    target: mode.data,
    runtimeDir: required('RUNTIME_DIRECTORY'),
    stateDir: required('STATE_DIRECTORY'),
    env,
    roots: env.DUBNIUM_PROC_ROOT ? { proc: env.DUBNIUM_PROC_ROOT } : undefined,
    out: (text) => process.stdout.write(text),
  });
  const failed = record.firstFailedPredicate ? ` (first failed: ${record.firstFailedPredicate.code}: ${record.firstFailedPredicate.message})` : '';
  console.log(`controller: ${record.target} generation ${String(record.generation)}: ${record.outcome} in ${Math.round(record.durationMs)} ms${failed}`);
  process.exitCode = exitForOutcome(record.outcome);
}
