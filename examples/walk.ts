// The walk the plan's phases 5-8 prove by hand: desktop → studio-local →
// desktop → compute → desktop, one controller run per request, each outcome
// printed with its duration and, when it failed, the first failed predicate.
// It takes the way to run one request as a function, so the same walk runs on
// the simulated host (examples/demo.ts) and against a real systemd.
import type { ModeName } from '../schemas/names.ts';
import type { TransitionRecord } from '../schemas/records.ts';

export const WALK: readonly ModeName[] = ['desktop', 'studio-local', 'desktop', 'compute', 'desktop'];

export type RunRequest = (target: ModeName) => Promise<TransitionRecord>;

/** A request is proven when a fresh observation shows the target: it succeeded, or it was already there. */
export const isProven = (record: TransitionRecord): boolean => record.outcome === 'succeeded' || record.outcome === 'noop';

export function describeRun(record: TransitionRecord): string[] {
  const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
  const from = record.from?.mode ?? 'unobserved';
  const lines = [`${from} → ${record.target}: ${record.outcome} in ${seconds(record.durationMs)} (generation ${record.generation ?? '-'})`];
  for (const step of record.steps) {
    lines.push(`    ${step.ok ? 'ok  ' : 'FAIL'} ${step.phase === 'rollback' ? 'undo ' : ''}${step.stepId} (${seconds(step.durationMs)})${step.ok ? '' : `: ${step.message}`}`);
  }
  if (record.firstFailedPredicate) lines.push(`    first failed predicate: [${record.firstFailedPredicate.code}] ${record.firstFailedPredicate.message}`);
  for (const warning of record.warnings ?? []) lines.push(`    warning: [${warning.code}] ${warning.message}`);
  return lines;
}

/** Runs the walk, printing as it goes; true when every request was proven. Stops at the first unproven one. */
export async function walk(run: RunRequest, print: (line: string) => void, targets: readonly ModeName[] = WALK): Promise<boolean> {
  for (const target of targets) {
    const record = await run(target);
    for (const line of describeRun(record)) print(line);
    if (!isProven(record)) {
      print(`stopped: ${target} was not proven (${record.outcome})`);
      return false;
    }
  }
  print(`every request proven: ${targets.join(' → ')}`);
  return true;
}
