import { describe, expect, it } from 'vitest';
import { holds } from '../../../predicates/check.ts';
import { isReadinessWait, stepTimeoutMs } from '../../../predicates/timeouts.ts';
import { waitCondition } from '../../../predicates/wait-conditions.ts';
import { workstationConfig as config } from '../support/config.ts';
import { factsFor, gpu, known, userSession, withUnit } from '../support/facts.ts';

const t = config.thresholds.stepTimeoutsMs;

describe('stepTimeoutMs', () => {
  it('gives each kind of action its own budget, and vllm-ready the readiness budget', () => {
    expect(stepTimeoutMs({ kind: 'start', unit: 'vllm.service' }, config)).toBe(t.start);
    expect(stepTimeoutMs({ kind: 'start', unit: 'vllm-ready.service' }, config)).toBe(t.vllmReady);
    expect(stepTimeoutMs({ kind: 'stop', unit: 'vllm.service' }, config)).toBe(t.stop);
    expect(stepTimeoutMs({ kind: 'isolate', unit: 'compute.target' }, config)).toBe(t.isolate);
    expect(stepTimeoutMs({ kind: 'set-property', unit: 'ai.slice', weights: { cpuWeight: 1, ioWeight: 1 } }, config)).toBe(t.setProperty);
    expect(stepTimeoutMs({ kind: 'terminate-session', sessionId: '2', user: null, seat: null }, config)).toBe(t.terminateSession);
    expect(stepTimeoutMs({ kind: 'wait', until: 'gpu-released', timeoutMs: 1234 }, config)).toBe(1234);
  });
});

describe('waitCondition', () => {
  const desktop = factsFor('desktop', config);
  const compute = factsFor('compute', config);

  it('graphical-up holds on a desktop and not on compute', () => {
    expect(holds(waitCondition('graphical-up', desktop, config))).toBe(true);
    expect(waitCondition('graphical-up', compute, config).conflicts.map((r) => r.path[1])).toEqual(['desktop.target', 'display-manager.service', 'compute.target']);
  });

  it('vllm-gone and vllm-ready follow the two vLLM units', () => {
    expect(holds(waitCondition('vllm-gone', desktop, config))).toBe(true);
    expect(holds(waitCondition('vllm-gone', compute, config))).toBe(false);
    expect(holds(waitCondition('vllm-ready', compute, config))).toBe(true);
    expect(holds(waitCondition('vllm-ready', withUnit(compute, 'vllm-ready.service', { activeState: 'activating' }), config))).toBe(false);
  });

  it('gpu-released and sessions-closed follow the GPU and session facts', () => {
    expect(holds(waitCondition('gpu-released', compute, config))).toBe(true);
    const held = { ...compute, gpus: known([gpu(0, [{ pid: 1, type: 'G', name: 'Xorg', usedMemoryMiB: 900 }])]) };
    expect(waitCondition('gpu-released', held, config).conflicts[0]?.code).toBe('gpu-held');
    expect(holds(waitCondition('sessions-closed', compute, config))).toBe(true);
    expect(waitCondition('sessions-closed', { ...compute, sessions: known([userSession('4')]) }, config).conflicts[0]?.code).toBe('session-present');
  });
});

describe('the budget of each action kind', () => {
  const t = config.thresholds.stepTimeoutsMs;
  it('stopping a user unit is a stop; only starting the readiness unit is a readiness wait', () => {
    expect(stepTimeoutMs({ kind: 'stop-user-unit', uid: 1000, unit: 'graphical-session.target' }, config)).toBe(t.stop);
    expect(isReadinessWait({ kind: 'start', unit: config.units.vllmReady }, config)).toBe(true);
    expect(isReadinessWait({ kind: 'stop', unit: config.units.vllmReady }, config)).toBe(false);
    expect(isReadinessWait({ kind: 'start', unit: config.units.vllm }, config)).toBe(false);
  });
});
