// One plan step per systemd/logind operation, each carrying the action that
// undoes it. An inverse restores what the facts said before the step — a unit
// that was already active is not stopped on rollback, a slice gets back its
// exact prior weights (null, "not set", included) — and is null when nothing
// can or needs to be undone.
import type { Config, SliceRole } from '../schemas/config.ts';
import type { Facts, Session, UnitState } from '../schemas/facts.ts';
import type { PlanStep } from '../schemas/records.ts';
import type { WaitUntil } from './wait-conditions.ts';

/** A unit name as a step-id fragment: `studio-local-policy.service` → `studio-local-policy-service`. */
export const idFragment = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

export function observedUnit(facts: Facts, name: string): UnitState | null {
  return facts.units.status === 'known' ? (facts.units.value.find((u) => u.id === name) ?? null) : null;
}

export function startStep(facts: Facts, unit: string, losses: string[] = []): PlanStep {
  const before = observedUnit(facts, unit);
  return {
    id: `start-${idFragment(unit)}`,
    description: `start ${unit}`,
    action: { kind: 'start', unit },
    inverse: before?.activeState === 'active' ? null : { kind: 'stop', unit },
    losses,
  };
}

export function stopStep(facts: Facts, unit: string, losses: string[] = []): PlanStep {
  const before = observedUnit(facts, unit);
  return {
    id: `stop-${idFragment(unit)}`,
    description: `stop ${unit}`,
    action: { kind: 'stop', unit },
    inverse: before?.activeState === 'active' ? { kind: 'start', unit } : null,
    losses,
  };
}

export function isolateStep(unit: string, undoWith: string | null, losses: string[]): PlanStep {
  return {
    id: `isolate-${idFragment(unit)}`,
    description: `isolate ${unit}`,
    action: { kind: 'isolate', unit },
    inverse: undoWith === null ? null : { kind: 'isolate', unit: undoWith },
    losses,
  };
}

export function setWeightsStep(facts: Facts, config: Config, role: SliceRole, profile: 'baseline' | 'studio'): PlanStep {
  const unit = config.units.slices[role];
  const wanted = config.slices[profile][role];
  const before = observedUnit(facts, unit);
  return {
    id: `set-weights-${role}`,
    description: `set ${unit} to the ${profile} weights CPUWeight=${wanted.cpuWeight ?? '[not set]'} IOWeight=${wanted.ioWeight ?? '[not set]'} (runtime only)`,
    action: { kind: 'set-property', unit, weights: { cpuWeight: wanted.cpuWeight, ioWeight: wanted.ioWeight } },
    inverse: before === null ? null : { kind: 'set-property', unit, weights: { cpuWeight: before.cpuWeight, ioWeight: before.ioWeight } },
    losses: [],
  };
}

/** The user's graphical session services (the user units PartOf= it), in that user's own manager; its other sessions stay. */
export function stopUserGraphicalSessionStep(uid: number): PlanStep {
  const unit = 'graphical-session.target';
  return {
    id: `stop-user-graphical-session-${uid}`,
    description: `stop ${unit} in the user manager of uid ${uid}, whose user units hold a compute GPU`,
    action: { kind: 'stop-user-unit', uid, unit },
    inverse: null,
    losses: [`the graphical session services of uid ${uid} (its user units under ${unit}) stop; its other sessions keep running`],
  };
}

export function terminateStep(session: Session): PlanStep {
  return {
    id: `terminate-session-${idFragment(session.id)}`,
    description: `terminate the graphical session ${session.id} of ${session.user ?? 'an unknown user'} on seat0`,
    action: { kind: 'terminate-session', sessionId: session.id, user: session.user, seat: session.seat },
    inverse: null,
    losses: [`the graphical session ${session.id} of user ${session.user ?? '?'} on seat0 will be terminated`],
  };
}

/** Waits of the plan, bounded by a step timeout; the workload manager's have their own bounds (work-steps.ts). */
type PlanWait = Exclude<WaitUntil, 'work-ended' | 'work-drained' | 'work-resumed'>;

const WAIT_TIMEOUT: Record<PlanWait, keyof Config['thresholds']['stepTimeoutsMs']> = {
  'gpu-released': 'gpuRelease',
  'vllm-ready': 'vllmReady',
  'vllm-gone': 'stop',
  'graphical-up': 'isolate',
  'sessions-closed': 'terminateSession',
};

export function waitStep(config: Config, until: PlanWait, description: string): PlanStep {
  return {
    id: `wait-${until}`,
    description,
    action: { kind: 'wait', until, timeoutMs: config.thresholds.stepTimeoutsMs[WAIT_TIMEOUT[until]] },
    inverse: null,
    losses: [],
  };
}
