// Parses `loginctl list-sessions`: the JSON form (`--output=json`, which
// systemd 252 supports for list-sessions; verified in the sandbox) or the
// table form of any version. Table columns are found by the header's
// positions, because an empty SEAT cell leaves only spaces behind.
import { parseJsonText } from './json-text.ts';
import { emptyInput, failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';

export interface ListedSession {
  id: string;
  uid: number | null;
  user: string | null;
  seat: string | null;
  tty: string | null;
  leader: number | null;
  class: string | null;
  state: string | null;
}

export type ListFormat = 'json' | 'table';

export function parseLoginctlList(text: string): ParseResult<{ format: ListFormat; sessions: ListedSession[] }> {
  const trimmed = text.trim();
  if (trimmed === '') return emptyInput('`loginctl list-sessions` output');
  if (trimmed.startsWith('[')) {
    const sessions = parseListJson(text);
    return sessions.ok ? parseOk({ format: 'json', sessions: sessions.value }) : sessions;
  }
  const sessions = parseListTable(text);
  return sessions.ok ? parseOk({ format: 'table', sessions: sessions.value }) : sessions;
}

function parseListJson(text: string): ParseResult<ListedSession[]> {
  const lines = splitLines(text);
  const parsed = parseJsonText(text, '`loginctl list-sessions --output=json` output');
  if (!parsed.ok) return parsed;
  if (!Array.isArray(parsed.value)) return failAt(lines, 1, 'expected a JSON array of sessions');
  const sessions: ListedSession[] = [];
  for (const [i, entry] of (parsed.value as unknown[]).entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return failAt(lines, null, `session ${i} is not a JSON object`);
    const record = entry as Record<string, unknown>;
    const id = record.session;
    if (typeof id !== 'string' && typeof id !== 'number') return failAt(lines, null, `session ${i} has no "session" id`);
    sessions.push({
      id: String(id),
      uid: intOrNull(record.uid),
      user: textOrNull(record.user),
      seat: textOrNull(record.seat),
      tty: textOrNull(record.tty),
      leader: intOrNull(record.leader),
      class: textOrNull(record.class),
      state: textOrNull(record.state),
    });
  }
  return parseOk(sessions);
}

const COLUMN_KEYS: Record<string, keyof ListedSession> = {
  SESSION: 'id',
  UID: 'uid',
  USER: 'user',
  SEAT: 'seat',
  TTY: 'tty',
  LEADER: 'leader',
  CLASS: 'class',
  STATE: 'state',
};

interface Span {
  text: string;
  start: number;
  end: number;
}

function spans(line: string): Span[] {
  return [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

function parseListTable(text: string): ParseResult<ListedSession[]> {
  const lines = splitLines(text);
  const first = lines.findIndex((line) => line.trim() !== '');
  const firstLine = lines[first]!.trim();
  if (firstLine === 'No sessions.') return parseOk([]);
  const header = spans(lines[first]!);
  if (header[0]?.text !== 'SESSION') return parseNoLegend(lines);
  const sessions: ListedSession[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') break; // the legend ("2 sessions listed.") follows an empty line
    const cells = new Map<string, string[]>();
    for (const token of spans(line)) {
      const column = nearestColumn(header, token);
      cells.set(column, [...(cells.get(column) ?? []), token.text]);
    }
    const id = cells.get('SESSION')?.join(' ');
    if (id === undefined) return failAt(lines, i + 1, 'this row has no value under SESSION');
    const cell = (name: string) => cells.get(name)?.join(' ') ?? null;
    const uid = cell('UID');
    if (uid !== null && !/^\d+$/.test(uid)) return failAt(lines, i + 1, `UID ${JSON.stringify(uid)} is not a number`);
    const leader = cell('LEADER');
    sessions.push({
      id,
      uid: uid === null ? null : Number(uid),
      user: cell('USER'),
      seat: dashIsNull(cell('SEAT')),
      tty: dashIsNull(cell('TTY')),
      leader: leader !== null && /^\d+$/.test(leader) ? Number(leader) : null,
      class: cell('CLASS'),
      state: cell('STATE'),
    });
  }
  const legend = lines.slice(first + 1 + sessions.length).find((line) => line.trim() !== '');
  if (legend !== undefined && !/^\d+ sessions? listed\.$/.test(legend.trim())) {
    return failAt(lines, lines.indexOf(legend) + 1, 'expected "N sessions listed." after the table');
  }
  return parseOk(sessions);
}

/** `--no-legend` rows: SESSION UID USER, then SEAT and TTY only when set; they are told apart by their names. */
function parseNoLegend(lines: readonly string[]): ParseResult<ListedSession[]> {
  const sessions: ListedSession[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const [id, uid, user, ...rest] = line.trim().split(/\s+/);
    if (id === undefined || uid === undefined || user === undefined || !/^\d+$/.test(uid) || rest.length > 2) {
      return failAt(lines, i + 1, 'expected "SESSION UID USER [SEAT] [TTY]" (a header line or --no-legend rows of loginctl list-sessions)');
    }
    const seat = rest.find((token) => token.startsWith('seat')) ?? null;
    const tty = rest.find((token) => token !== seat) ?? null;
    sessions.push({ id, uid: Number(uid), user, seat, tty: dashIsNull(tty), leader: null, class: null, state: null });
  }
  return parseOk(sessions);
}

function nearestColumn(header: readonly Span[], token: Span): string {
  let best = header[0]!;
  let bestScore = -Infinity;
  for (const column of header) {
    const overlap = Math.min(column.end, token.end) - Math.max(column.start, token.start);
    const score = overlap > 0 ? overlap : -Math.min(Math.abs(column.start - token.end), Math.abs(token.start - column.end));
    if (score > bestScore) {
      best = column;
      bestScore = score;
    }
  }
  return COLUMN_KEYS[best.text] !== undefined ? best.text : `other:${best.text}`;
}

function dashIsNull(value: string | null): string | null {
  return value === '-' || value === '' ? null : value;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && value !== '-' ? value : null;
}

function intOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}
