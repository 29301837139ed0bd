// One audit event a line: when, run, what happened.
import type { AuditEvent } from '../../schemas/records.ts';
import type { Paint } from '../color.ts';

export function renderEvent(e: AuditEvent, p: Paint): string {
  const outcome = e.outcome ? (e.outcome === 'succeeded' || e.outcome === 'noop' ? p.green(e.outcome) : p.red(e.outcome)) : '';
  const parts = [
    p.dim(e.wall),
    e.event.padEnd(9),
    e.target ?? '-',
    e.generation === null ? '' : `gen ${e.generation}`,
    outcome,
    e.reason ?? '',
    e.runId ? p.dim(`run ${e.runId}`) : '',
  ];
  return parts.filter((x) => x !== '').join('  ');
}
