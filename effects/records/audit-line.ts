// One audit event as one line of at most MAX_AUDIT_LINE_BYTES. A bounded line
// keeps every append a single small write(2), which a crash can tear only at
// the tail; oversized detail is cut and marked instead of being dropped silently.
import type { AuditEvent } from '../../schemas/records.ts';

export const MAX_AUDIT_LINE_BYTES = 4096;
const REASON_KEEP_CHARS = 512;
const TRUNCATION_SUFFIX = ' [truncated]';

/**
 * A detail key `__proto__` is written as `(__proto__)`: every reader that
 * builds the record again by assignment (zod's record among them) would turn
 * that key into the object's prototype and drop it, so the line would not say
 * what it seems to. Only a caller's own detail can carry one.
 */
export const PROTO_KEY = '(__proto__)';
const readable = (event: AuditEvent): AuditEvent =>
  event.detail !== undefined && Object.hasOwn(event.detail, '__proto__')
    ? { ...event, detail: Object.fromEntries(Object.entries(event.detail).map(([key, value]) => [key === '__proto__' ? PROTO_KEY : key, value])) }
    : event;
const lineOf = (event: AuditEvent): string => `${JSON.stringify(readable(event))}\n`;
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The detail that replaces one too large to log: a marker, the original size and as much of it as fits. */
export interface TruncatedDetail {
  truncated: true;
  originalBytes: number;
  excerpt: string;
}

export function formatAuditLine(event: AuditEvent, maxBytes: number = MAX_AUDIT_LINE_BYTES): string {
  const whole = lineOf(event);
  if (bytes(whole) <= maxBytes) return whole;
  let current: AuditEvent = event;
  if (current.reason !== null && current.reason.length > REASON_KEEP_CHARS) {
    current = { ...current, reason: `${current.reason.slice(0, REASON_KEEP_CHARS)}${TRUNCATION_SUFFIX}` };
  }
  const detailText = JSON.stringify(event.detail ?? null);
  let keep = detailText.length;
  for (;;) {
    const detail: TruncatedDetail = { truncated: true, originalBytes: bytes(detailText), excerpt: detailText.slice(0, keep) };
    const line = lineOf({ ...current, detail: { ...detail } });
    const over = bytes(line) - maxBytes;
    if (over <= 0) return line;
    if (keep === 0) {
      // Only a caller-made reason or runId can still be this long; cut both hard.
      const cut = (text: string | null): string | null => (text === null ? null : `${text.slice(0, 64)}${TRUNCATION_SUFFIX}`);
      return lineOf({ ...current, reason: cut(current.reason), runId: cut(current.runId), detail: { ...detail } });
    }
    // Removing n characters removes at least n bytes of output, so this always shrinks.
    keep = Math.max(0, keep - over);
  }
}
