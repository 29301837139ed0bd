// Parses `systemctl show --property=Id,Names,LoadState,ActiveState,SubState,
// Result,CPUWeight,IOWeight,AllowIsolate -- UNIT...` into unit states. Result exists only
// for services (and some other types), weights only for units with a cgroup:
// a target has neither, and they are null rather than a default.
import type { UnitState } from '../../../schemas/facts.ts';
import { parseShownObjects } from './key-value-blocks.ts';
import { failAt, parseOk, type ParseResult } from './parse-result.ts';
import { parseWeight } from './systemd-values.ts';

export interface ShownUnit {
  state: UnitState;
  /** every name of the unit, its aliases among them (from Names=, when asked for) */
  names: string[];
  firstLine: number;
}

const REQUIRED = ['Id', 'LoadState', 'ActiveState', 'SubState'] as const;

const SHOWN = { what: '`systemctl show`', object: 'unit', required: REQUIRED, hint: '; was --property=Id,LoadState,ActiveState,SubState given?' };

export function parseSystemctlShow(text: string): ParseResult<ShownUnit[]> {
  return parseShownObjects(text, SHOWN, (block, lines) => {
    const weights: Record<'CPUWeight' | 'IOWeight', number | null> = { CPUWeight: null, IOWeight: null };
    for (const key of ['CPUWeight', 'IOWeight'] as const) {
      const raw = block.values.get(key);
      if (raw === undefined) continue;
      const weight = parseWeight(raw);
      if (!weight.ok) return failAt(lines, block.lineOf.get(key) ?? block.firstLine, `${key}: ${weight.message}`);
      weights[key] = weight.value;
    }
    const id = block.values.get('Id')!;
    const result = block.values.get('Result');
    const allowIsolate = block.values.get('AllowIsolate');
    return parseOk({
      state: {
        id,
        loadState: block.values.get('LoadState')!,
        activeState: block.values.get('ActiveState')!,
        subState: block.values.get('SubState')!,
        result: result === undefined || result === '' ? null : result,
        cpuWeight: weights.CPUWeight,
        ioWeight: weights.IOWeight,
        ...(allowIsolate === undefined ? {} : { allowIsolate: allowIsolate === 'yes' ? true : allowIsolate === 'no' ? false : null }),
      },
      names: (block.values.get('Names') ?? id).split(/\s+/).filter((n) => n !== ''),
      firstLine: block.firstLine,
    });
  });
}
