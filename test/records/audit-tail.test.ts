// The audit log read from its end (effects/records/audit-tail.ts): the last
// seq and the last desired generation, from the newest lines only. Checked
// against reading the whole file, which is what lastAuditedSeq and
// lastAuditedGeneration did before, on logs written in order whatever is torn,
// NUL-filled or not JSON in them, with reads as small as one byte.
import { appendFileSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditInput } from '../../effects/records/audit-log.ts';
import { formatAuditLine } from '../../effects/records/audit-line.ts';
import { parseAuditSegment, parseAuditText } from '../../effects/records/audit-parse.ts';
import { lastAuditedGeneration, lastAuditedSeq } from '../../effects/records/audit-read.ts';
import { lastOfFile, recordsFromEnd } from '../../effects/records/audit-tail.ts';
import { auditInput } from './support/audit-events.ts';
import { makeDirs } from './support/temp-dirs.ts';
import type { TestDirs } from './support/temp-dirs.ts';

let dirs: TestDirs;
beforeEach(() => {
  dirs = makeDirs();
});
afterEach(() => dirs.cleanup());

const lineOf = (input: AuditInput, seq: number): string => formatAuditLine({ ...input, v: 1, seq, bootId: null, wall: '2025-01-01T00:00:00.000Z', monoMs: null });
const desired = (generation: number, reason: string | null = null): AuditInput => ({ runId: null, event: 'desired', target: 'compute', generation, outcome: null, reason });
const step = (reason: string | null = null): AuditInput => ({ runId: 'r', event: 'step', target: 'compute', generation: null, outcome: null, reason });

// the whole-file readings these replace
const highestSeqOfText = (text: string): number | null => {
  let highest: number | null = null;
  for (const segment of text.split(/\n|\0+/)) {
    if (segment.trim() === '') continue;
    const parsed = parseAuditSegment(segment);
    if (parsed.ok && (highest === null || parsed.event.seq > highest)) highest = parsed.event.seq;
  }
  return highest;
};
const lastGenerationOfText = (text: string): number | null => {
  const generations = parseAuditText(text, 'f').events.flatMap((event) => (event.event === 'desired' && event.generation !== null ? [event.generation] : []));
  return generations.length > 0 ? Math.max(...generations) : null;
};

// What a log holds besides whole records: tears, power-loss NULs, lines that are not JSON or not events.
type Piece =
  | { kind: 'record'; input: AuditInput }
  | { kind: 'torn'; input: AuditInput; keep: number }
  | { kind: 'nul'; length: number; newline: boolean }
  | { kind: 'junk'; text: string };

const piece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 6, arbitrary: auditInput.map((input): Piece => ({ kind: 'record', input })) },
  { weight: 1, arbitrary: fc.tuple(auditInput, fc.double({ min: 0, max: 1, noNaN: true })).map(([input, keep]): Piece => ({ kind: 'torn', input, keep })) },
  { weight: 1, arbitrary: fc.record({ length: fc.integer({ min: 1, max: 300 }), newline: fc.boolean() }).map((nul): Piece => ({ kind: 'nul', ...nul })) },
  { weight: 1, arbitrary: fc.constantFrom('not json', '{"v":1,"seq":', '{"v":2,"seq":99999}', 'äöü € 🎛️').map((text): Piece => ({ kind: 'junk', text })) },
);

/** A log as the writers leave it: seqs and desired generations rising along the file, each assigned as the last one + 1. */
function writeLog(pieces: readonly Piece[]): string {
  let seq = 0;
  let generation = 0;
  const stamped = (input: AuditInput) => {
    const line = lineOf(input.event === 'desired' ? { ...input, generation: (generation += 1) } : input, seq);
    seq += 1;
    return line;
  };
  return pieces
    .map((p) => {
      if (p.kind === 'record') return stamped(p.input);
      if (p.kind === 'torn') {
        const line = stamped(p.input);
        return line.slice(0, Math.floor(p.keep * (line.length - 1)));
      }
      if (p.kind === 'nul') return '\0'.repeat(p.length) + (p.newline ? '\n' : '');
      return `${p.text}\n`;
    })
    .join('');
}

describe('the audit log read from its end', () => {
  test.prop([fc.array(piece, { maxLength: 30 }), fc.integer({ min: 1, max: 600 })], { numRuns: 150 })(
    'finds the seq and the generation that reading the whole file finds, whatever the size of each read',
    async (pieces, chunkBytes) => {
      const text = writeLog(pieces);
      const path = join(dirs.stateDir, 'events.jsonl');
      writeFileSync(path, text);
      expect(await lastOfFile(path, { fragment: true, chunkBytes }, (event) => event.seq)).toBe(highestSeqOfText(text));
      expect(await lastOfFile(path, { fragment: false, chunkBytes }, (event) => (event.event === 'desired' ? event.generation : null))).toBe(lastGenerationOfText(text));
      const all = [];
      for await (const event of recordsFromEnd(path, { fragment: false, chunkBytes })) all.push(event);
      expect(all.reverse()).toEqual(parseAuditText(text, path).events);
    },
  );

  it('takes the newest record, not the largest number: a log is in seq order by the audit lock', async () => {
    const path = join(dirs.stateDir, 'events.jsonl');
    writeFileSync(path, [lineOf(step(), 900), lineOf(desired(7), 901), lineOf(step(), 3), lineOf(desired(2), 4)].join(''));
    expect(await lastAuditedSeq(path, 5)).toBe(4);
    expect(await lastAuditedGeneration(path, 5)).toBe(2);
  });

  it('reads only the end: a log whose first GiB is a hole (NULs, as a power cut can leave) still answers, where read whole it would not fit in a string', async () => {
    const path = join(dirs.stateDir, 'events.jsonl');
    writeFileSync(path, '');
    // sparse: the hole takes no disk. Read whole, as before, readFile(path, 'utf8') rejects (Node's strings end
    // short of 1 GiB), the file was passed over and both answered null; not done here, it would take 1 GiB of memory
    truncateSync(path, 2 ** 30);
    appendFileSync(path, `\n${lineOf(step(), 41)}${lineOf(desired(9), 42)}`);
    expect(await lastAuditedSeq(path, 5)).toBe(42);
    expect(await lastAuditedGeneration(path, 5)).toBe(9);
  });

  it('counts the fragment after the last newline for the seq, which the next append completes, but not for the generation', async () => {
    const path = join(dirs.stateDir, 'events.jsonl');
    writeFileSync(path, lineOf(desired(1), 0) + lineOf(desired(2), 1).slice(0, -1));
    expect(await lastAuditedSeq(path, 5)).toBe(1);
    expect(await lastAuditedGeneration(path, 5)).toBe(1);
  });

  it('goes on to the older files when the newest holds no record, and answers null for none at all', async () => {
    const path = join(dirs.stateDir, 'events.jsonl');
    expect(await lastAuditedSeq(path, 5)).toBeNull();
    expect(await lastAuditedGeneration(path, 5)).toBeNull();
    writeFileSync(`${path}.2`, lineOf(desired(5), 10) + lineOf(step(), 11));
    writeFileSync(`${path}.1`, lineOf(step(), 12));
    writeFileSync(path, '\0'.repeat(5000));
    expect(await lastAuditedSeq(path, 5, 64)).toBe(12);
    expect(await lastAuditedGeneration(path, 5, 64)).toBe(5);
  });

  it('passes over a file it cannot read, as it passed over one it could not read whole', async () => {
    const path = join(dirs.stateDir, 'events.jsonl');
    writeFileSync(`${path}.1`, lineOf(desired(3), 8));
    mkdirSync(path);
    expect(await lastAuditedSeq(path, 5)).toBe(8);
    expect(await lastAuditedGeneration(path, 5)).toBe(3);
  });

  it('keeps a character whole when a read ends inside it', async () => {
    const path = join(dirs.stateDir, 'events.jsonl');
    const reason = 'Kühlung für GPU 0 → 🎛️ '.repeat(20);
    writeFileSync(path, lineOf(desired(1, reason), 0) + lineOf(step(reason), 1));
    for (const chunkBytes of [1, 2, 3, 5, 7, 64, 333]) {
      const found = [];
      for await (const event of recordsFromEnd(path, { fragment: false, chunkBytes })) found.push(event.reason);
      expect(found).toEqual([reason, reason]);
    }
  });
});
