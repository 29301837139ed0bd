// Parses `loginctl show-session -p Id -p Name -p User -p Seat -p Type -p Class
// -p Active -p State -p Remote -p Service -p Leader -p IdleHint
// -p IdleSinceHintMonotonic ID...`. loginctl leaves
// out properties whose value is empty (a session without a seat has no
// Seat= line), so an absent optional property is null; Id, Type and Class
// are always set by logind, and a block without them is not trusted.
// IdleHint and IdleSinceHintMonotonic (µs of CLOCK_MONOTONIC) tell whether the
// desktop says nobody uses the session and since when; how long that is needs
// the reader's now on the same clock, so the caller passes it.
import type { Session } from '../../../schemas/facts.ts';
import { parseShownObjects } from './key-value-blocks.ts';
import { parseOk, type ParseResult } from './parse-result.ts';
import { parseYesNo } from './systemd-values.ts';

export const SESSION_PROPERTIES = ['Id', 'Name', 'User', 'Seat', 'Type', 'Class', 'Active', 'State', 'Remote', 'Service', 'Leader', 'IdleHint', 'IdleSinceHintMonotonic'] as const;

/** `nowMonoMs`: CLOCK_MONOTONIC in ms when the text was read (monotonicMs()); without it an idle session's idleForMs is null. */
export function parseLoginctlShowSession(text: string, nowMonoMs?: number): ParseResult<Session[]> {
  return parseShownObjects(text, { what: '`loginctl show-session`', object: 'session', required: ['Id', 'Type', 'Class'] }, (block) => {
    const get = (key: string) => {
      const value = block.values.get(key);
      return value === undefined || value === '' ? null : value;
    };
    const integer = (key: string) => {
      const value = get(key);
      return value !== null && /^\d+$/.test(value) ? Number(value) : null;
    };
    return parseOk({
      id: get('Id')!,
      user: get('Name'),
      uid: integer('User'),
      seat: get('Seat'),
      type: get('Type')!,
      class: get('Class')!,
      active: parseYesNo(block.values.get('Active')),
      state: get('State'),
      remote: parseYesNo(block.values.get('Remote')),
      service: get('Service'),
      leader: integer('Leader'),
      ...idleness(block.values.get('IdleHint'), integer('IdleSinceHintMonotonic'), nowMonoMs),
    });
  });
}

/** Only when loginctl was asked for IdleHint: an older command line's output says nothing about idleness. */
function idleness(hint: string | undefined, sinceMonoUs: number | null, nowMonoMs: number | undefined): Pick<Session, 'idleHint' | 'idleForMs'> {
  if (hint === undefined) return {};
  const idleHint = parseYesNo(hint);
  // logind leaves IdleSinceHintMonotonic 0 until a hint is first set
  const known = idleHint === true && sinceMonoUs !== null && sinceMonoUs > 0 && nowMonoMs !== undefined;
  return { idleHint, idleForMs: known ? Math.max(0, Math.round(nowMonoMs - sinceMonoUs / 1000)) : null };
}
