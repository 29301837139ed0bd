// Each plan step and the inverse it carries, straight from the facts: what a
// rollback restores depends on what the unit was before, an unreadable unit
// list never passes for one that says "active", and the words an operator
// reads in `mode explain` and the record are exact.
import { describe, expect, it } from 'vitest';
import { idFragment, isolateStep, observedUnit, setWeightsStep, startStep, stopStep, stopUserGraphicalSessionStep, terminateStep, waitStep } from '../../../predicates/step-builders.ts';
import type { Facts } from '../../../schemas/facts.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor, known, unit, unknown, userSession } from '../support/facts.ts';

const withUnits = (...units: ReturnType<typeof unit>[]): Facts => ({ ...factsFor('desktop', config), units: known(units) });
const unreadable: Facts = { ...factsFor('desktop', config), units: unknown('systemctl') };

describe('step ids', () => {
  it('fold every run of other characters into one dash, trimmed at both ends', () => {
    expect(idFragment('Studio-Local-Policy.service')).toBe('studio-local-policy-service');
    expect(idFragment('a..b')).toBe('a-b');
    expect(idFragment('--x@@')).toBe('x');
    expect(idFragment('..x..')).toBe('x');
  });
});

describe('the unit a step looks at', () => {
  it('is the observed one, or none when the list could not be read', () => {
    expect(observedUnit(withUnits(unit('a.service', 'active')), 'a.service')?.activeState).toBe('active');
    expect(observedUnit(withUnits(), 'a.service')).toBeNull();
    expect(observedUnit(unreadable, 'a.service')).toBeNull();
  });
});

describe('start and stop', () => {
  it('a start is undone by a stop unless the unit was already active', () => {
    expect(startStep(withUnits(unit('a.service', 'inactive')), 'a.service')).toEqual({ id: 'start-a-service', description: 'start a.service', action: { kind: 'start', unit: 'a.service' }, inverse: { kind: 'stop', unit: 'a.service' }, losses: [] });
    expect(startStep(withUnits(unit('a.service', 'active')), 'a.service').inverse).toBeNull();
    expect(startStep(unreadable, 'a.service').inverse).toEqual({ kind: 'stop', unit: 'a.service' });
  });

  it('a stop is undone by a start only when the unit was active', () => {
    expect(stopStep(withUnits(unit('a.service', 'active')), 'a.service')).toEqual({ id: 'stop-a-service', description: 'stop a.service', action: { kind: 'stop', unit: 'a.service' }, inverse: { kind: 'start', unit: 'a.service' }, losses: [] });
    expect(stopStep(withUnits(unit('a.service', 'failed')), 'a.service').inverse).toBeNull();
    expect(stopStep(unreadable, 'a.service').inverse).toBeNull();
  });

  it('an isolate is undone by isolating the target it left, when there is one', () => {
    expect(isolateStep('compute.target', 'graphical.target', []).inverse).toEqual({ kind: 'isolate', unit: 'graphical.target' });
    expect(isolateStep('compute.target', null, []).inverse).toBeNull();
  });
});

describe('slice weights', () => {
  it('say which weights are not set, and restore the exact prior ones', () => {
    const unset = withConfig((c) => {
      c.slices.baseline.ai = { cpuWeight: null, ioWeight: 50 };
    });
    const slice = unset.units.slices.ai;
    const step = setWeightsStep(withUnits(unit(slice, 'active', { cpuWeight: 70, ioWeight: null })), unset, 'ai', 'baseline');
    expect(step.description).toBe(`set ${slice} to the baseline weights CPUWeight=[not set] IOWeight=50 (runtime only)`);
    expect(step.inverse).toEqual({ kind: 'set-property', unit: slice, weights: { cpuWeight: 70, ioWeight: null } });
    expect(step.losses).toEqual([]);
  });

  it('a slice that was not observed has nothing to restore', () => {
    expect(setWeightsStep(unreadable, config, 'ai', 'studio').inverse).toBeNull();
  });
});

describe('sessions and waits', () => {
  it('a session logind names no user for is still described', () => {
    const step = terminateStep(userSession('4', { user: null }));
    expect(step.description).toBe('terminate the graphical session 4 of an unknown user on seat0');
    expect(step.losses).toEqual(['the graphical session 4 of user ? on seat0 will be terminated']);
  });

  it('stopping a user’s graphical session services says why', () => {
    expect(stopUserGraphicalSessionStep(1000).description).toBe('stop graphical-session.target in the user manager of uid 1000, whose user units hold a compute GPU');
  });

  it('each wait is bounded by its own step timeout and loses nothing', () => {
    const t = config.thresholds.stepTimeoutsMs;
    expect(waitStep(config, 'vllm-ready', 'x').action).toEqual({ kind: 'wait', until: 'vllm-ready', timeoutMs: t.vllmReady });
    expect(waitStep(config, 'gpu-released', 'x').action).toMatchObject({ timeoutMs: t.gpuRelease });
    expect(waitStep(config, 'sessions-closed', 'x')).toMatchObject({ id: 'wait-sessions-closed', inverse: null, losses: [] });
  });
});
