// The seeded audit log of the bench's full-log round trips: valid events only,
// seqs from 0 and desired generations rising along the file as the writers
// leave them, as many whole lines as fit, and read back by the controller's
// own readers as the log they would write.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { seedAuditLog } from '../../bench/lib/audit-seed.ts';
import { MAX_AUDIT_LINE_BYTES } from '../../effects/records/audit-line.ts';
import { parseAuditText } from '../../effects/records/audit-parse.ts';
import { lastAuditedGeneration, lastAuditedSeq } from '../../effects/records/audit-read.ts';
import type { AuditEvent } from '../../schemas/records.ts';
import { auditEvent } from '../records/support/audit-events.ts';

describe('seedAuditLog', () => {
  test.prop([fc.array(auditEvent, { minLength: 1, maxLength: 12 }), fc.integer({ min: 5000, max: 60_000 })], { numRuns: 40 })(
    'fills the size with whole valid events, seqs 0.., desired generations rising',
    (events, target) => {
      const seed = seedAuditLog(events, target);
      const parsed = parseAuditText(seed.text, 'seed');
      expect(parsed.skipped).toBe(0);
      expect(Buffer.byteLength(seed.text)).toBe(seed.bytes);
      expect(seed.bytes).toBeLessThanOrEqual(target);
      expect(seed.bytes).toBeGreaterThan(target - MAX_AUDIT_LINE_BYTES - 1);
      expect(parsed.events.map((event) => event.seq)).toEqual(Array.from({ length: seed.events }, (_, n) => n));
      const generations = parsed.events.filter((event) => event.event === 'desired').map((event) => event.generation);
      expect(generations).toEqual(Array.from({ length: generations.length }, (_, n) => n + 1));
      expect(seed.lastGeneration).toBe(generations.length);
      // the rest of each event is its source's, in turn (as JSON with its keys sorted)
      const sorted = (_key: string, value: unknown) =>
        value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : value;
      const apart = (event: AuditEvent) => JSON.stringify({ ...event, seq: 0, generation: event.event === 'desired' ? 0 : event.generation }, sorted);
      expect(parsed.events.map(apart)).toEqual(Array.from({ length: seed.events }, (_, n) => apart(events[n % events.length]!)));
    },
  );

  it('is read back by the log\'s own readers as the log the writers would have left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dubnium-seed-'));
    try {
      const desired = { v: 1, seq: 0, bootId: null, wall: '2025-01-01T00:00:00.000Z', monoMs: null, runId: null, event: 'desired', target: 'compute', generation: 1, outcome: null, reason: null } as const;
      const step = { ...desired, event: 'step', generation: null, runId: 'r' } as const;
      const seed = seedAuditLog([desired, step, step], 200_000);
      writeFileSync(join(dir, 'events.jsonl'), seed.text);
      expect(await lastAuditedSeq(join(dir, 'events.jsonl'), 5)).toBe(seed.events - 1);
      expect(await lastAuditedGeneration(join(dir, 'events.jsonl'), 5)).toBe(seed.lastGeneration);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is missing when the sandbox recorded no event to repeat', () => {
    expect(() => seedAuditLog([], 1000)).toThrow(/at least one event/);
  });
});
