// Unit predicates over the `units` fact. A unit the observer did not report is
// missing (we cannot say what it is doing); a unit reported with
// LoadState=not-found is judged by its ActiveState like any other, because
// systemd reports such a unit as inactive — so "must be inactive" holds and
// "must be active" conflicts.
import type { Facts, UnitState } from '../schemas/facts.ts';
import { conflict, fine, missingFact, type Check } from './check.ts';
import { evidenceOf, reason, unknownFactReason } from './evidence.ts';

export type UnitLookup = { found: true; unit: UnitState } | { found: false; check: Check };

export function lookupUnit(facts: Facts, name: string): UnitLookup {
  const units = facts.units;
  if (units.status === 'unknown') return { found: false, check: missingFact(unknownFactReason(units, 'units', ['units', name])) };
  const unit = units.value.find((u) => u.id === name);
  if (unit) return { found: true, unit };
  return {
    found: false,
    check: missingFact(
      reason('unit-not-observed', `${name} was not among the units the observer reported; observe it before deciding`, ['units', name], [
        evidenceOf(units, 'units', [`reported: ${units.value.map((u) => u.id).join(' ') || '(none)'}`]),
      ]),
    ),
  };
}

const describeUnit = (u: UnitState): string =>
  `${u.id}: LoadState=${u.loadState} ActiveState=${u.activeState} SubState=${u.subState}`;

/** The unit's ActiveState must be `wanted` (`active` or `inactive`). */
export function unitIs(facts: Facts, name: string, wanted: 'active' | 'inactive'): Check {
  const found = lookupUnit(facts, name);
  if (!found.found) return found.check;
  const unit = found.unit;
  const evidence = [evidenceOf(facts.units, `units.${name}.activeState`, [describeUnit(unit)])];
  if (unit.activeState === wanted) return fine(evidence);
  return conflict(
    reason('unit-state', `${name} is ${unit.activeState} (LoadState=${unit.loadState}), expected ${wanted}`, ['units', name, 'activeState'], evidence),
  );
}

/** The unit must be loaded, so that starting or isolating it can work. */
export function unitLoadable(facts: Facts, name: string): Check {
  const found = lookupUnit(facts, name);
  if (!found.found) return found.check;
  const unit = found.unit;
  const evidence = [evidenceOf(facts.units, `units.${name}.loadState`, [describeUnit(unit)])];
  if (unit.loadState === 'loaded') return fine(evidence);
  return conflict(
    reason('unit-not-loaded', `${name} has LoadState=${unit.loadState}; it cannot be started or isolated`, ['units', name, 'loadState'], evidence),
  );
}
