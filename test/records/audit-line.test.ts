import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatAuditLine, MAX_AUDIT_LINE_BYTES, PROTO_KEY } from '../../effects/records/audit-line.ts';
import { AuditEvent } from '../../schemas/records.ts';
import type { AuditEvent as AuditEventType } from '../../schemas/records.ts';
import { auditEvent } from './support/audit-events.ts';

const parse = (line: string): AuditEventType => AuditEvent.parse(JSON.parse(line));
const base: AuditEventType = {
  v: 1, seq: 7, bootId: null, wall: '2025-01-01T00:00:00.000Z', monoMs: 1, runId: 'r', event: 'outcome',
  target: 'compute', generation: 3, outcome: 'succeeded', reason: null,
};

describe('formatAuditLine', () => {
  test.prop([auditEvent])('is one valid line within the cap, equal to the event when it fits', (event) => {
    const line = formatAuditLine(event);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_AUDIT_LINE_BYTES);
    const back = parse(line);
    // JSON is the log's format, so "equal" means equal after a JSON round trip (-0 becomes 0),
    // with a detail key __proto__ written as PROTO_KEY (seed 220119578 found it lost on reading)
    const asJson = JSON.parse(JSON.stringify(event)) as AuditEventType;
    if (asJson.detail) asJson.detail = Object.fromEntries(Object.entries(asJson.detail).map(([k, v]) => [k === '__proto__' ? PROTO_KEY : k, v]));
    if (Buffer.byteLength(`${JSON.stringify(event)}\n`) <= MAX_AUDIT_LINE_BYTES) expect(back).toEqual(asJson);
    else expect({ ...back, detail: undefined, reason: null }).toEqual({ ...asJson, detail: undefined, reason: null });
  });

  test.prop([auditEvent, fc.string({ unit: 'binary', minLength: 5000, maxLength: 20_000 })])(
    'cuts oversized detail down to a marked excerpt and keeps every other field',
    (event, blob) => {
      const line = formatAuditLine({ ...event, reason: 'why', detail: { blob } });
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_AUDIT_LINE_BYTES);
      const back = parse(line);
      expect(back.detail).toMatchObject({ truncated: true, originalBytes: Buffer.byteLength(JSON.stringify({ blob })) });
      expect(JSON.stringify({ blob }).startsWith(String(back.detail?.excerpt))).toBe(true);
      expect({ ...back, detail: null }).toEqual({ ...(JSON.parse(JSON.stringify(event)) as AuditEventType), reason: 'why', detail: null });
    },
  );

  it('writes a detail key __proto__ so that it reads back as a key', () => {
    const detail = JSON.parse('{"__proto__":{"a":1},"b":2}') as Record<string, unknown>;
    expect(parse(formatAuditLine({ ...base, detail })).detail).toEqual({ [PROTO_KEY]: { a: 1 }, b: 2 });
  });

  it('shortens a huge reason and marks it', () => {
    const line = formatAuditLine({ ...base, reason: 'x'.repeat(10_000) });
    const back = parse(line);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_AUDIT_LINE_BYTES);
    expect(back.reason).toMatch(/^x{512} \[truncated\]$/);
  });

  it('fits the cap even when reason and runId alone are too long for it', () => {
    const line = formatAuditLine({ ...base, reason: 'r'.repeat(3000), runId: 'i'.repeat(5000) }, 1024);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(1024);
    expect(parse(line).runId).toMatch(/^i{64} \[truncated\]$/);
  });
});
