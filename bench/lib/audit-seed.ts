// An audit log as a workstation has it after weeks of use: the sandbox's own
// events, repeated until the file is near its rotation size. Every append
// reads the log (its last seq; a desired write, its last generation), so a
// request on the bench's fresh log would hide what it costs once the log is
// full (issue 17: ~45 ms an append under --jitless when those reads took the
// whole file). Seqs run from 0 and desired generations rise along the file,
// as the writers leave them under the audit lock; every line is a valid event.
import { formatAuditLine } from '../../effects/records/audit-line.ts';
import type { AuditEvent } from '../../schemas/records.ts';

export interface AuditSeed {
  text: string;
  events: number;
  bytes: number;
  /** the last desired generation of the seed (0 when it holds none) */
  lastGeneration: number;
}

/** `events` again and again, renumbered, for as many whole lines as fit in `targetBytes`. */
export function seedAuditLog(events: readonly AuditEvent[], targetBytes: number): AuditSeed {
  if (events.length === 0) throw new Error('seeding the audit log needs at least one event to repeat; the sandbox recorded none');
  const lines: string[] = [];
  let bytes = 0;
  let generation = 0;
  for (let seq = 0; ; seq += 1) {
    const source = events[seq % events.length]!;
    const event: AuditEvent = { ...source, seq, ...(source.event === 'desired' ? { generation: (generation += 1) } : {}) };
    const line = formatAuditLine(event);
    const size = Buffer.byteLength(line);
    if (bytes + size > targetBytes) {
      if (source.event === 'desired') generation -= 1;
      break;
    }
    lines.push(line);
    bytes += size;
  }
  return { text: lines.join(''), events: lines.length, bytes, lastGeneration: generation };
}
