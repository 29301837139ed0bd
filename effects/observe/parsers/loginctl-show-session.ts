// Parses `loginctl show-session -p Id -p Name -p User -p Seat -p Type -p Class
// -p Active -p State -p Remote -p Service -p Leader ID...`. loginctl leaves
// out properties whose value is empty (a session without a seat has no
// Seat= line), so an absent optional property is null; Id, Type and Class
// are always set by logind, and a block without them is not trusted.
import type { Session } from '../../../schemas/facts.ts';
import { parseShownObjects } from './key-value-blocks.ts';
import { parseOk, type ParseResult } from './parse-result.ts';
import { parseYesNo } from './systemd-values.ts';

export const SESSION_PROPERTIES = ['Id', 'Name', 'User', 'Seat', 'Type', 'Class', 'Active', 'State', 'Remote', 'Service', 'Leader'] as const;

export function parseLoginctlShowSession(text: string): ParseResult<Session[]> {
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
    });
  });
}
