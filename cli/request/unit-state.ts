// The state of one controller unit, from one `systemctl show` (the read-only
// runner: no execa on the polling path).
import { runReadOnly } from '../../effects/exec/run-read-only.ts';
import { describeResult } from '../../effects/exec/command-result.ts';
import type { Config } from '../../schemas/config.ts';

export interface UnitState {
  activeState: string;
  result: string;
  /** the exit status of the last run's main process; null when it never ran */
  exitStatus: number | null;
  /** CLOCK_MONOTONIC µs when the last run's main process exited; 0 when it never did */
  exitedAtUs: number;
  /** the id of a job still queued for the unit; '' when none */
  job: string;
}

const UNIT_PROPERTIES = ['ActiveState', 'Result', 'ExecMainStatus', 'ExecMainExitTimestampMonotonic', 'Job'];

/** Pure: `systemctl show -p ...` output of one unit. */
export function parseUnitState(text: string): UnitState {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1));
  }
  const number = (key: string): number | null => {
    const raw = values.get(key);
    return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
  };
  return {
    activeState: values.get('ActiveState') ?? 'unknown',
    result: values.get('Result') ?? 'unknown',
    exitStatus: (number('ExecMainExitTimestampMonotonic') ?? 0) > 0 ? number('ExecMainStatus') : null,
    exitedAtUs: number('ExecMainExitTimestampMonotonic') ?? 0,
    job: values.get('Job') ?? '',
  };
}

export async function unitState(unit: string, config: Config, env: NodeJS.ProcessEnv): Promise<UnitState | { error: string }> {
  const result = await runReadOnly({
    tool: 'systemctl',
    args: ['show', ...UNIT_PROPERTIES.map((p) => `--property=${p}`), '--', unit],
    timeoutMs: config.thresholds.stepTimeoutsMs.observe,
    tools: config.tools,
    env,
  });
  return result.kind === 'ok' ? parseUnitState(result.stdout) : { error: describeResult(result) };
}
