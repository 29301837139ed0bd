// Property: a session table laid out the way loginctl lays it out (SESSION and
// UID right-aligned, the rest left-aligned, an empty cell left blank) reads
// back to the sessions it was made from, whatever the widths and blanks.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseJsonText } from '../../effects/observe/parsers/json-text.ts';
import { parseLoginctlList } from '../../effects/observe/parsers/loginctl-list.ts';

const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);
const session = fc.record({
  id: fc.oneof(fc.integer({ min: 1, max: 99_999 }).map(String), fc.integer({ min: 1, max: 99 }).map((n) => `c${n}`)),
  uid: fc.integer({ min: 0, max: 65_534 }),
  user: word,
  seat: fc.option(fc.integer({ min: 0, max: 3 }).map((n) => `seat${n}`), { nil: null }),
  tty: fc.option(fc.oneof(fc.integer({ min: 1, max: 12 }).map((n) => `tty${n}`), fc.integer({ min: 0, max: 9 }).map((n) => `pts/${n}`)), { nil: null }),
});

function render(rows: { id: string; uid: number; user: string; seat: string | null; tty: string | null }[]): string {
  const columns = [
    { title: 'SESSION', right: true, cells: rows.map((r) => r.id) },
    { title: 'UID', right: true, cells: rows.map((r) => String(r.uid)) },
    { title: 'USER', right: false, cells: rows.map((r) => r.user) },
    { title: 'SEAT', right: false, cells: rows.map((r) => r.seat ?? '') },
    { title: 'TTY', right: false, cells: rows.map((r) => r.tty ?? '') },
  ];
  const widths = columns.map((c) => Math.max(c.title.length, ...c.cells.map((x) => x.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (columns[i]!.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' ').trimEnd();
  return [line(columns.map((c) => c.title)), ...rows.map((_, r) => line(columns.map((c) => c.cells[r]!))), '', `${rows.length} sessions listed.`, ''].join('\n');
}

describe('loginctl list-sessions tables', () => {
  test.prop([fc.array(session, { minLength: 1, maxLength: 6 })])('read back the sessions they were laid out from', (rows) => {
    const parsed = parseLoginctlList(render(rows));
    expect(parsed.ok && parsed.value.sessions.map((s) => ({ id: s.id, uid: s.uid, user: s.user, seat: s.seat, tty: s.tty }))).toEqual(rows);
  });
});

describe('JSON errors name their line', () => {
  test.prop([fc.array(fc.constantFrom('{"a":1}', '[1,2]', '"x"', 'null'), { minLength: 1, maxLength: 6 }), fc.nat()])(
    'even when V8 reports no position (an unexpected token)',
    (values, pick) => {
      const lines = values.map((v, i) => `  ${v}${i < values.length - 1 ? ',' : ''}`);
      const bad = pick % lines.length;
      lines[bad] = lines[bad]!.replace(/^ {2}/, '  }');
      const text = ['[', ...lines, ']'].join('\n');
      const parsed = parseJsonText(text, 'test JSON');
      expect(parsed).toMatchObject({ ok: false, line: bad + 2 });
    },
  );
});
