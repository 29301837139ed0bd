// The audit log: tolerant reading, torn-tail repair, seq continuity, rotation,
// and the property that ties them together.
import { appendFileSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, appendAuditHoldingLock, auditLogPath, DEFAULT_AUDIT_SETTINGS } from '../../effects/records/audit-log.ts';
import type { AuditInput, AuditLogSettings, AuditStamp } from '../../effects/records/audit-log.ts';
import { formatAuditLine } from '../../effects/records/audit-line.ts';
import { parseAuditText } from '../../effects/records/audit-parse.ts';
import { lastAuditedSeq, readAuditLog } from '../../effects/records/audit-read.ts';
import { rotateAuditLog } from '../../effects/records/audit-rotate.ts';
import type { AuditEvent } from '../../schemas/records.ts';
import { auditInput } from './support/audit-events.ts';
import { makeDirs } from './support/temp-dirs.ts';
import type { TestDirs } from './support/temp-dirs.ts';

let dirs: TestDirs;
beforeEach(() => {
  dirs = makeDirs();
});
afterEach(() => dirs.cleanup());

const stamp: AuditStamp = { bootId: '26890a87-3ac7-4c69-bdaf-82b6ba09c312', wall: new Date(Date.UTC(2025, 0, 1)), monoMs: 5 };
const settingsFor = (stateDir: string, overrides: Partial<AuditLogSettings> = {}): AuditLogSettings => ({ ...DEFAULT_AUDIT_SETTINGS, stateDir, ...overrides });
const input = (n: number): AuditInput => ({ runId: `run-${n}`, event: 'step', target: 'compute', generation: n, outcome: null, reason: `step ${n}`, detail: { n } });
const eventLine = (seq: number): string => formatAuditLine({ ...input(seq), v: 1, seq, bootId: null, wall: '2025-01-01T00:00:00.000Z', monoMs: null });

describe('parseAuditText', () => {
  it('reads complete lines and skips and counts a torn final fragment', () => {
    const text = `${eventLine(0)}${eventLine(1)}${eventLine(2).slice(0, 30)}`;
    const parsed = parseAuditText(text, 'f');
    expect(parsed.events.map((event) => event.seq)).toEqual([0, 1]);
    expect(parsed.skipped).toBe(1);
    expect(parsed.problems).toMatchObject([{ file: 'f', line: 3, kind: 'torn-tail' }]);
  });

  it('skips a bad line in the middle and keeps the records on both sides', () => {
    const text = `${eventLine(0)}{"v":1,"seq":\n${eventLine(1)}not json at all\n{"v":2,"seq":9}\n${eventLine(2)}`;
    const parsed = parseAuditText(text, 'f');
    expect(parsed.events.map((event) => event.seq)).toEqual([0, 1, 2]);
    expect(parsed.problems.map((problem) => [problem.line, problem.kind])).toEqual([
      [2, 'unparseable'],
      [4, 'unparseable'],
      [5, 'schema-invalid'],
    ]);
  });

  it('skips NUL runs (power-loss garbage) and keeps a record that follows one', () => {
    const nul = '\0'.repeat(4096);
    const text = `${eventLine(0)}${nul}\n${nul}${eventLine(1)}${eventLine(2)}${nul}`;
    const parsed = parseAuditText(text, 'f');
    expect(parsed.events.map((event) => event.seq)).toEqual([0, 1, 2]);
    expect(parsed.problems.map((problem) => problem.kind)).toEqual(['nul-run', 'nul-run', 'nul-run']);
    expect(parsed.problems[0]?.excerpt).toMatch(/^(\\0)+$/);
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        const parsed = parseAuditText(text, 'f');
        expect(parsed.skipped).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('appendAudit', () => {
  it('stamps v, seq, bootId, wall and monoMs and continues seq from the last good line', async () => {
    const settings = settingsFor(dirs.stateDir);
    for (let n = 0; n < 3; n += 1) expect((await appendAudit(settings, input(n), stamp)).ok).toBe(true);
    const log = await readAuditLog(auditLogPath(dirs.stateDir), settings.keep);
    expect(log.events.map((event) => event.seq)).toEqual([0, 1, 2]);
    expect(log.events[0]).toMatchObject({ v: 1, bootId: stamp.bootId, wall: '2025-01-01T00:00:00.000Z', monoMs: 5, runId: 'run-0' });
    expect(statSync(auditLogPath(dirs.stateDir)).mode & 0o777).toBe(0o640);
  });

  it('repairs a torn tail before appending, so the fragment stays one skipped line', async () => {
    const settings = settingsFor(dirs.stateDir);
    const path = auditLogPath(dirs.stateDir);
    writeFileSync(path, `${eventLine(0)}${eventLine(1)}${eventLine(2).slice(0, 40)}`);
    const result = await appendAudit(settings, input(9), stamp);
    expect(result).toMatchObject({ ok: true, repairedTail: true, event: { seq: 2 } });
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')).toHaveLength(5);
    const log = await readAuditLog(path, settings.keep);
    expect(log.events.map((event) => [event.seq, event.runId])).toEqual([[0, 'run-0'], [1, 'run-1'], [2, 'run-9']]);
    expect(log.problems).toMatchObject([{ line: 3, kind: 'unparseable' }]);
  });

  it('does not hand out the seq of a record whose only missing byte was the newline', async () => {
    const settings = settingsFor(dirs.stateDir);
    const path = auditLogPath(dirs.stateDir);
    writeFileSync(path, `${eventLine(0)}${eventLine(1).slice(0, -1)}`);
    const result = await appendAudit(settings, input(5), stamp);
    expect(result).toMatchObject({ ok: true, repairedTail: true, event: { seq: 2 } });
    const log = await readAuditLog(path, settings.keep);
    expect(log.events.map((event) => event.seq)).toEqual([0, 1, 2]);
    expect(log.skipped).toBe(0);
  });

  it('rotates by rename before the file would pass its size, losing no line', async () => {
    const settings = settingsFor(dirs.stateDir, { rotateBytes: 1000, keep: 50 });
    const results = [];
    for (let n = 0; n < 30; n += 1) results.push(await appendAudit(settings, input(n), stamp));
    expect(results.filter((result) => result.ok && result.rotated).length).toBeGreaterThan(3);
    for (const name of readdirSync(dirs.stateDir).filter((file) => file.startsWith('events.jsonl'))) {
      expect(statSync(join(dirs.stateDir, name)).size).toBeLessThanOrEqual(1000);
    }
    const log = await readAuditLog(auditLogPath(dirs.stateDir), settings.keep);
    expect(log.events.map((event) => event.seq)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    expect(log.skipped).toBe(0);
  });

  it('drops only files beyond `keep` and continues seq after a rotation', async () => {
    const settings = settingsFor(dirs.stateDir, { rotateBytes: 1_000_000, keep: 2 });
    await appendAudit(settings, input(0), stamp);
    for (let rotation = 0; rotation < 3; rotation += 1) {
      expect(await rotateAuditLog(auditLogPath(dirs.stateDir), settings.keep)).toEqual({ ok: true });
      await appendAudit(settings, input(rotation + 1), stamp);
    }
    const log = await readAuditLog(auditLogPath(dirs.stateDir), settings.keep);
    expect(log.events.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(log.files.map((file) => file.slice(dirs.stateDir.length + 1))).toEqual(['events.jsonl.2', 'events.jsonl.1', 'events.jsonl']);
  });

  it('refuses an event that does not match the schema, writing nothing', async () => {
    const result = await appendAudit(settingsFor(dirs.stateDir), { ...input(0), target: 'gamer' } as unknown as AuditInput, stamp);
    expect(result).toMatchObject({ ok: false, failure: { code: 'invalid-record' } });
    expect(await lastAuditedSeq(auditLogPath(dirs.stateDir), 5)).toBeNull();
  });

  it('orders by seq, not by wall time, when the clock jumps backwards and forwards', async () => {
    const settings = settingsFor(dirs.stateDir);
    const walls = [Date.UTC(2030, 0, 1), Date.UTC(1999, 0, 1), Date.UTC(2100, 0, 1), Date.UTC(1971, 0, 1)];
    for (const [n, wall] of walls.entries()) {
      expect((await appendAudit(settings, input(n), { ...stamp, wall: new Date(wall) })).ok).toBe(true);
    }
    const log = await readAuditLog(auditLogPath(dirs.stateDir), settings.keep);
    expect(log.events.map((event) => [event.seq, event.runId])).toEqual([[0, 'run-0'], [1, 'run-1'], [2, 'run-2'], [3, 'run-3']]);
    expect(log.events.map((event) => Date.parse(event.wall))).toEqual(walls);
  });

  it('serializes concurrent appenders: distinct seqs, whole lines', async () => {
    const settings = settingsFor(dirs.stateDir);
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => appendAudit(settings, input(n), stamp)));
    expect(results.every((result) => result.ok)).toBe(true);
    const log = await readAuditLog(auditLogPath(dirs.stateDir), settings.keep);
    expect(log.skipped).toBe(0);
    expect(log.events.map((event) => event.seq)).toEqual(Array.from({ length: 12 }, (_, n) => n));
  });
});

// The model: a record the writer finished (append returned ok) must be read
// back exactly once, in seq order, whatever crashes (torn writes), power-loss
// garbage (NUL runs) and rotations happened around it.
type Op =
  | { kind: 'append'; input: AuditInput }
  | { kind: 'torn'; input: AuditInput; keep: number }
  | { kind: 'nul'; length: number }
  | { kind: 'rotate' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: auditInput.map((value): Op => ({ kind: 'append', input: value })) },
  { weight: 2, arbitrary: fc.tuple(auditInput, fc.double({ min: 0, max: 1, noNaN: true })).map(([value, keep]): Op => ({ kind: 'torn', input: value, keep })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 600 }).map((length): Op => ({ kind: 'nul', length })) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'rotate' }) },
);

// found by the property (seed 418641394): a tear that kept every byte but the newline
const TORN_EXAMPLE: AuditInput = { runId: null, event: 'desired', target: null, generation: null, outcome: null, reason: null };

describe('audit log model', () => {
  test.prop([fc.array(op, { maxLength: 25 })], { numRuns: 80, examples: [[[{ kind: 'torn', input: TORN_EXAMPLE, keep: 1 }, { kind: 'append', input: TORN_EXAMPLE }]]] })(
    'every completed record is read back exactly once, in seq order',
    async (ops) => {
      const local = makeDirs('dubnium-audit-prop-');
      try {
        const settings = settingsFor(local.stateDir, { rotateBytes: 4096, keep: 30 });
        const path = auditLogPath(local.stateDir);
        const completed: AuditEvent[] = [];
        const attempted = new Set<string>();
        for (const step of ops) {
          if (step.kind === 'append') {
            const result = await appendAuditHoldingLock(settings, step.input, stamp);
            if (!result.ok) throw new Error(result.failure.message);
            completed.push(result.event);
            attempted.add(result.line);
          } else if (step.kind === 'torn') {
            // What a writer SIGKILLed mid-write(2) leaves: a prefix of its line, seq included.
            const seq = ((await lastAuditedSeq(path, settings.keep)) ?? -1) + 1;
            // in the writer's key order: a tear that kept all but the newline leaves a record the next append completes
            const line = formatAuditLine({ v: 1, seq, bootId: stamp.bootId, wall: stamp.wall.toISOString(), monoMs: stamp.monoMs, ...step.input });
            attempted.add(line);
            appendFileSync(path, line.slice(0, Math.floor(step.keep * (line.length - 1))));
          } else if (step.kind === 'nul') {
            appendFileSync(path, '\0'.repeat(step.length));
          } else {
            const rotated = await rotateAuditLog(path, settings.keep);
            if (!rotated.ok) throw new Error(rotated.failure.message);
          }
        }
        const log = await readAuditLog(path, settings.keep);
        const seqs = log.events.map((event) => event.seq);
        // strictly increasing: in order and no seq twice
        expect(seqs.every((seq, index) => index === 0 || seq > seqs[index - 1]!)).toBe(true);
        const read = new Map(log.events.map((event) => [event.seq, event]));
        for (const event of completed) expect(read.get(event.seq)).toEqual(JSON.parse(JSON.stringify(event)));
        // nothing invented: every record read is one somebody tried to write
        for (const event of log.events) expect(attempted.has(formatAuditLine(event))).toBe(true);
      } finally {
        local.cleanup();
      }
    },
  );
});
