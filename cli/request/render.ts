// How a request reads while it runs and when it ends.
import type { TransitionRecord } from '../../schemas/records.ts';
import type { Paint } from '../color.ts';
import { reasonsBlock } from '../render/reasons.ts';
import { formatDuration } from '../text.ts';
import type { Progress } from './follow.ts';

export function progressLine(progress: Progress, p: Paint): string | null {
  switch (progress.kind) {
    case 'running':
      return p.dim('  the run has started');
    case 'heartbeat':
      return p.dim(`  still running (${formatDuration(progress.elapsedMs)})`);
    case 'event': {
      const e = progress.event;
      const took = progress.durationMs === null ? '' : p.dim(`  ${formatDuration(progress.durationMs)}`);
      if (e.event === 'step') return `  ${e.reason ?? 'step'}${took}`;
      if (e.event === 'intent') return `  intent journaled (target ${e.target ?? '?'}, generation ${e.generation ?? '-'})${took}`;
      if (e.event === 'desired') return p.dim(`  desired ${e.target ?? '?'} generation ${e.generation ?? '-'} recorded`);
      if (e.event === 'recovered') return `  recovered an interrupted run: ${e.reason ?? ''}`;
      return null;
    }
  }
}

/** The end of a run: the steps (when they were not seen live), the outcome and the first failed predicate. */
export function outcomeLines(record: TransitionRecord, stepsSeen: boolean, p: Paint): string[] {
  const lines: string[] = [];
  if (!stepsSeen) {
    for (const step of record.steps) {
      lines.push(`  ${step.phase} ${step.stepId}: ${step.ok ? 'ok' : p.red(`FAILED ${step.message}`)}${p.dim(`  ${formatDuration(step.durationMs)}`)}`);
    }
  }
  const good = record.outcome === 'succeeded' || record.outcome === 'noop';
  const from = record.from?.mode ?? 'unobserved';
  const observed = record.finalObservation?.mode ?? from;
  lines.push(
    `${good ? p.green(record.outcome) : p.red(record.outcome)}: ${from} -> ${record.target}${record.outcome === 'succeeded' ? '' : `, observed ${observed}`} in ${formatDuration(record.durationMs)}${record.generation === null ? '' : ` (generation ${record.generation})`}`,
  );
  if (record.firstFailedPredicate) lines.push(...reasonsBlock([record.firstFailedPredicate], '  first failed: ', p));
  // what went wrong without changing the outcome: jobs --force left running, a resume of the Slurm node not observed
  if (record.warnings) lines.push(...reasonsBlock(record.warnings, '  warning: ', p));
  return lines;
}
