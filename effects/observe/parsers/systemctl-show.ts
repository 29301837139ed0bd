// Parses `systemctl show --property=Id,Names,LoadState,ActiveState,SubState,
// Result,CPUWeight,IOWeight,AllowIsolate -- UNIT...` into unit states. Result exists only
// for services (and some other types), weights only for units with a cgroup:
// a target has neither, and they are null rather than a default.
import type { UnitState } from '../../../schemas/facts.ts';
import { parseKeyValueBlocks } from './key-value-blocks.ts';
import { emptyInput, failAt, parseOk, splitLines, type ParseResult } from './parse-result.ts';
import { parseWeight } from './systemd-values.ts';

export interface ShownUnit {
  state: UnitState;
  /** every name of the unit, its aliases among them (from Names=, when asked for) */
  names: string[];
  firstLine: number;
}

const REQUIRED = ['Id', 'LoadState', 'ActiveState', 'SubState'] as const;

export function parseSystemctlShow(text: string): ParseResult<ShownUnit[]> {
  if (text.trim() === '') return emptyInput('`systemctl show` output (KEY=VALUE lines)');
  const parsed = parseKeyValueBlocks(text, '`systemctl show`');
  if (!parsed.ok) return parsed;
  const lines = splitLines(text);
  const units: ShownUnit[] = [];
  for (const block of parsed.value) {
    const missing = REQUIRED.filter((key) => !block.values.has(key));
    if (missing.length > 0) {
      return failAt(lines, block.firstLine, `the unit block starting here has no ${missing.join(', ')}; was --property=Id,LoadState,ActiveState,SubState given?`);
    }
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
    units.push({
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
  }
  return parseOk(units);
}
