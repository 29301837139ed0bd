// One line about the desired record, the same in `mode status` and `mode desired`.
import type { DesiredRecord } from '../../schemas/records.ts';
import { when } from './time.ts';

export function desiredDetail(d: DesiredRecord, nowMs: number, short = false): string {
  const who = d.requestedBy
    ? ` by ${d.requestedBy}`
    : d.via === 'unit-start'
      ? ` by a start of mode-controller@${d.mode}.service (systemd does not say by whom)`
      : '';
  return `generation ${d.generation}, requested ${when(d.requestedAt, nowMs, short)}${who}`;
}
