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

/** The processes of one observation: `mode current --json --refresh`. */
export function countObservation(sandbox: ControllerSandbox, cliEntry: string): Promise<SpawnCount> {
  return count(sandbox, cliEntry, ['current', '--json', '--refresh']);
}

export async function countSpawns(sandbox: ControllerSandbox, cliEntry: string): Promise<{ observation: SpawnCount; noopRun: SpawnCount }> {
  return {
    observation: await countObservation(sandbox, cliEntry),
    noopRun: await count(sandbox, cliEntry, ['run', 'desktop']),
  };
}

/** The observer's own tool calls, as the floors replay them: each program by the path it was executed from. */
export function observationArgv(observation: SpawnCount): string[][] {
  const argv = observation.tools.map((t) => [t.path, ...t.argv.slice(1)]);
  if (argv.length === 0) throw new Error(`strace saw ${observation.command} start no tool: the floors need the observer's own calls`);
  return argv;
}
