// Unit predicates over the `units` fact. A unit the observer did not report is
// missing (we cannot say what it is doing); a unit reported with
// LoadState=not-found is judged by its ActiveState like any other, because
// systemd reports such a unit as inactive — so "must be inactive" holds and
// "must be active" conflicts.
//
// "Must be inactive" means "must not be running": systemd reports a unit whose
// last run failed (vllm-ready.service after its readiness timeout) as
// ActiveState=failed, and `systemctl stop` leaves it failed until
// `reset-failed`. Such a unit runs no process and holds nothing, so it counts
// as not running; its Result stays in the evidence. We do not reset-failed in
// the stop step instead: that would erase the one clue (Result=timeout) an
// operator needs from `systemctl status`, and make the proof depend on an
// extra mutating call.
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
  `${u.id}: LoadState=${u.loadState} ActiveState=${u.activeState} SubState=${u.subState}${u.result !== null && u.result !== 'success' ? ` Result=${u.result}` : ''}`;

/** ActiveStates in which a unit runs nothing: never started, stopped, or failed (see above). */
const NOT_RUNNING: readonly string[] = ['inactive', 'failed'];

export const isNotRunning = (activeState: string): boolean => NOT_RUNNING.includes(activeState);

/** The unit's ActiveState must be `active`, or (for `inactive`) one in which it runs nothing: inactive or failed. */
export function unitIs(facts: Facts, name: string, wanted: 'active' | 'inactive'): Check {
  const found = lookupUnit(facts, name);
  if (!found.found) return found.check;
  const unit = found.unit;
  const evidence = [evidenceOf(facts.units, `units.${name}.activeState`, [describeUnit(unit)])];
  if (wanted === 'active' ? unit.activeState === 'active' : isNotRunning(unit.activeState)) return fine(evidence);
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

/** A target the plan isolates must allow it: systemd refuses `isolate` of a unit without AllowIsolate=yes. */
export function unitIsolatable(facts: Facts, name: string): Check {
  const found = lookupUnit(facts, name);
  if (!found.found) return found.check;
  const unit = found.unit;
  const evidence = [evidenceOf(facts.units, `units.${name}.allowIsolate`, [`${describeUnit(unit)} AllowIsolate=${unit.allowIsolate === undefined ? '(not read)' : unit.allowIsolate === null ? '(unreadable)' : unit.allowIsolate ? 'yes' : 'no'}`])];
  if (unit.allowIsolate !== false) return fine(evidence);
  return conflict(
    reason('unit-not-isolatable', `${name} has AllowIsolate=no, so \`systemctl isolate\` would be refused halfway through the switch; add AllowIsolate=yes to its [Unit] section`, ['units', name, 'allowIsolate'], evidence),
  );
}
