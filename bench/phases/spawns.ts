// Processes spawned per observation, counted for real: strace follows
// `mode current --json --refresh` (one observation) and a no-op `mode run
// desktop` (one observation inside a controller run) and lists what the
// command itself started.
import type { SpawnCount } from '../lib/results.ts';
import { insideRepo, operatorEnv, traceProcesses, type ControllerSandbox } from '../lib/sandbox-bench.ts';
import { countByTool, directChildren } from '../lib/strace-processes.ts';
import { INSIDE_NODE } from '../../test/sandbox/layout.ts';

async function count(sandbox: ControllerSandbox, cliEntry: string, args: string[]): Promise<SpawnCount> {
  const tree = await traceProcesses(sandbox, [INSIDE_NODE, insideRepo(cliEntry), ...args], operatorEnv(sandbox));
  const tools = directChildren(tree);
  return { command: `mode ${args.join(' ')}`, tools, counts: countByTool(tools) };
}

export async function countSpawns(sandbox: ControllerSandbox, cliEntry: string): Promise<{ observation: SpawnCount; noopRun: SpawnCount }> {
  return {
    observation: await count(sandbox, cliEntry, ['current', '--json', '--refresh']),
    noopRun: await count(sandbox, cliEntry, ['run', 'desktop']),
  };
}
