// What a request starts and writes (issue 17): one `mode request
// studio-local` and one `mode request desktop`, each traced on both sides —
// the CLI under strace, and the controller's run inside its unit under strace
// (a drop-in prefixes the unit's ExecStart, removed afterwards). Their runs
// are not timed and not in the peak-RSS figures.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModeName } from '../../schemas/names.ts';
import { INSIDE_NODE } from '../../test/sandbox/layout.ts';
import { processActivity } from '../lib/request-activity.ts';
import type { RequestListing } from '../lib/results.ts';
import { benchFolder, insideRepo, operatorEnv, traceControllerRuns, traceWrites, untilUnitEnded, type ControllerSandbox } from '../lib/sandbox-bench.ts';

const MODES: readonly ModeName[] = ['studio-local', 'desktop'];
const RUN_END_TIMEOUT_MS = 5 * 60_000;

/** The raw strace output of both sides of each request (also what bench/capture-fixtures.ts saves). */
export async function traceRequests(sandbox: ControllerSandbox, strace: string, cliEntry: string): Promise<{ mode: ModeName; cli: string; controller: string }[]> {
  const folder = benchFolder(sandbox, 'request-traces');
  const program = insideRepo(cliEntry);
  const out: { mode: ModeName; cli: string; controller: string }[] = [];
  await traceControllerRuns(sandbox, strace, program, ['run', '%i'], folder.inside);
  try {
    for (const mode of MODES) {
      const cli = await traceWrites(sandbox, [INSIDE_NODE, program, 'request', mode], operatorEnv(sandbox));
      // the CLI returns once the run's outcome is recorded; strace writes the rest when node exits
      await untilUnitEnded(sandbox, `mode-controller@${mode}.service`, RUN_END_TIMEOUT_MS);
      const file = join(folder.outside, `${mode}.txt`);
      if (!existsSync(file)) throw new Error(`the controller's run of ${mode} left no strace output (${file}): see journalctl -u mode-controller@${mode}.service inside the sandbox`);
      out.push({ mode, cli, controller: readFileSync(file, 'utf8') });
    }
  } finally {
    await traceControllerRuns(sandbox, strace, program, ['run', '%i'], null);
  }
  return out;
}

export async function listRequests(sandbox: ControllerSandbox, strace: string, cliEntry: string): Promise<RequestListing[]> {
  const traces = await traceRequests(sandbox, strace, cliEntry);
  return traces.map(({ mode, cli, controller }) => ({
    mode,
    cli: processActivity(cli, `mode request ${mode}`),
    controller: processActivity(controller, `mode run ${mode} (inside mode-controller@${mode}.service)`),
  }));
}
