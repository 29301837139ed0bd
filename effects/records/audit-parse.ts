// Reads audit lines tolerantly: a torn last line (a writer died mid-write), a
// line that is not JSON or not an AuditEvent, and NUL runs (some file systems
// leave NUL-filled blocks after power loss) are skipped and counted, never fatal.
import { AuditEvent } from '../../schemas/records.ts';
import type { AuditEvent as AuditEventType } from '../../schemas/records.ts';

export type AuditProblemKind = 'unparseable' | 'schema-invalid' | 'nul-run' | 'torn-tail' | 'unreadable-file';

export interface AuditProblem {
  file: string;
  /** 1-based line number in that file; 0 for a whole-file problem */
  line: number;
  kind: AuditProblemKind;
  excerpt: string;
}

export interface ParsedAudit {
  events: AuditEventType[];
  skipped: number;
  problems: AuditProblem[];
}

// JSON.stringify escapes U+0000, so a raw NUL is never part of a record: it can
// only be file-system garbage, and records on either side of a run are kept.
const NUL_RUN = /\0+/g;
const EXCERPT_CHARS = 120;
const excerptOf = (text: string): string => text.slice(0, EXCERPT_CHARS).replaceAll('\0', '\\0');

/** One record of a line (a NUL run splits a line into several), as parseAuditText reads it. */
export function parseAuditSegment(segment: string): { ok: true; event: AuditEventType } | { ok: false; kind: 'unparseable' | 'schema-invalid' } {
  let value: unknown;
  try {
    value = JSON.parse(segment);
  } catch {
    return { ok: false, kind: 'unparseable' };
  }
  const result = AuditEvent.safeParse(value);
  return result.success ? { ok: true, event: result.data } : { ok: false, kind: 'schema-invalid' };
}

/** Complete lines only: a final fragment without "\n" is reported as a torn tail. */
export function parseAuditText(text: string, file: string): ParsedAudit {
  const lines = text.split('\n');
  const fragment = lines.pop() ?? '';
  const parsed: ParsedAudit = { events: [], skipped: 0, problems: [] };
  const skip = (line: number, kind: AuditProblemKind, excerpt: string): void => {
    parsed.skipped += 1;
    parsed.problems.push({ file, line, kind, excerpt: excerptOf(excerpt) });
  };
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    for (const run of line.matchAll(NUL_RUN)) skip(lineNumber, 'nul-run', run[0]);
    for (const segment of line.split(NUL_RUN)) {
      if (segment.trim() === '') continue;
      const result = parseAuditSegment(segment);
      if (result.ok) parsed.events.push(result.event);
      else skip(lineNumber, result.kind, segment);
    }
  });
  if (fragment !== '') skip(lines.length + 1, fragment.replaceAll('\0', '') === '' ? 'nul-run' : 'torn-tail', fragment);
  return parsed;
}
