// After a start, stop or isolate timed out, the job it queued is still in
// PID 1 and may run later — a vLLM start firing after the rollback, say. So
// the jobs queued for that unit are cancelled (`systemctl cancel`), each call
// bounded like any other. Catalogue row 8. Never throws; returns evidence.
import type { CommandEvidence } from '../../schemas/records.ts';
import type { Config } from '../../schemas/config.ts';
import type { RunCommand } from '../exec/command-result.ts';
import { parseListJobs } from './list-jobs.ts';

// list-jobs and cancel answer at once unless PID 1 itself is stuck; then we give up quickly
const CANCEL_TIMEOUT_MS = 3000;

export interface CancelOutcome {
  cancelled: number[];
  /** what went wrong, when the jobs could not be listed or cancelled */
  problem: string | null;
  commands: CommandEvidence[];
}

export async function cancelQueuedJobs(unit: string, ctx: { config: Config; run: RunCommand; env?: NodeJS.ProcessEnv | undefined }): Promise<CancelOutcome> {
  const commands: CommandEvidence[] = [];
  const run = (args: string[]) => ctx.run({ tool: 'systemctl', args, timeoutMs: CANCEL_TIMEOUT_MS, tools: ctx.config.tools, env: ctx.env, killGraceMs: 500 });
  const listed = await run(['list-jobs', '--no-legend', '--full', '--', unit]);
  commands.push(listed.evidence);
  if (listed.kind !== 'ok') return { cancelled: [], problem: `the queued jobs of ${unit} could not be listed`, commands };
  const parsed = parseListJobs(listed.stdout);
  if (!parsed.ok) return { cancelled: [], problem: parsed.problem, commands };
  const cancelled: number[] = [];
  for (const job of parsed.jobs.filter((j) => j.unit === unit)) {
    const result = await run(['cancel', '--', String(job.id)]);
    commands.push(result.evidence);
    // "Job N does not exist": it finished between the two calls, which is as good
    if (result.kind === 'ok' || (result.kind === 'failed' && /does not exist/.test(result.stderr))) cancelled.push(job.id);
  }
  return { cancelled, problem: null, commands };
}
