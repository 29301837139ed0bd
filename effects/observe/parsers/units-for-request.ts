// Matches the blocks of one `systemctl show` to the unit names the config
// asked for. A unit reached through an alias reports its real Id; Names=
// lists the alias, so the match is by name. Every requested unit must be
// answered for: a missing one is never guessed inactive.
import type { UnitState } from '../../../schemas/facts.ts';
import { failAt, parseOk, type ParseResult } from './parse-result.ts';
import type { ShownUnit } from './systemctl-show.ts';

export function unitsForRequest(requested: readonly string[], shown: readonly ShownUnit[], lines: readonly string[]): ParseResult<UnitState[]> {
  const states: UnitState[] = [];
  for (const name of requested) {
    const unit = shown.find((candidate) => candidate.state.id === name || candidate.names.includes(name));
    if (unit === undefined) {
      const ids = shown.map((candidate) => candidate.state.id).join(', ') || 'none';
      return failAt(lines, null, `systemctl show did not answer for ${name} (it answered for: ${ids})`);
    }
    // predicates look units up by the name the config uses, so that is the id kept
    states.push({ ...unit.state, id: name });
  }
  return parseOk(states);
}
