// How one controller run reads in the journal: each step with its duration,
// then the outcome and, when something failed, the first failed predicate.
import type { TransitionRecord } from '../../schemas/records.ts';

const ms = (value: number): string => (value >= 10_000 ? `${(value / 1000).toFixed(1)}s` : `${Math.round(value)}ms`);

export function renderRecord(record: TransitionRecord): string {
  const lines = record.steps.map(
    (step) => `${step.phase === 'rollback' ? 'rollback ' : ''}${step.stepId}: ${step.ok ? 'ok' : 'FAILED'} (${ms(step.durationMs)})${step.ok ? '' : ` ${step.message}`}`,
  );
  const from = record.from?.mode ?? 'unobserved';
  const to = record.finalObservation?.mode ?? 'unobserved';
  lines.push(`outcome ${record.outcome}: ${from} -> ${record.target}, observed ${to}, ${ms(record.durationMs)}${record.generation === null ? '' : `, generation ${record.generation}`}`);
  if (record.firstFailedPredicate) {
    lines.push(`first failed predicate: ${record.firstFailedPredicate.code}: ${record.firstFailedPredicate.message}`);
  }
  return `${lines.join('\n')}\n`;
}
