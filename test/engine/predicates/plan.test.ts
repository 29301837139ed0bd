import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../support/runs.ts';
import { classify } from '../../../predicates/classify.ts';
import { planTransition } from '../../../predicates/plan.ts';
import { MODES } from '../../../schemas/modes.ts';
import { PlanStep } from '../../../schemas/records.ts';
import { factsArb } from '../support/arbitraries.ts';
import { workstationConfig as config, withConfig } from '../support/config.ts';
import { factsFor, gpu, known, userSession, withUnit } from '../support/facts.ts';

const ids = (steps: PlanStep[]) => steps.map((s) => s.id);

describe('planTransition', () => {
  it('plans nothing when already there', () => {
    for (const mode of MODES) expect(planTransition(mode, mode, factsFor(mode, config), config)).toEqual([]);
  });

  it('desktop → studio-local: studio weights, then the overlay in order, each undoable', () => {
    const plan = planTransition('desktop', 'studio-local', factsFor('desktop', config), config);
    expect(ids(plan)).toEqual([
      'set-weights-interactive',
      'set-weights-ai',
      'set-weights-platform',
      'start-studio-local-policy-service',
      'start-audio-priority-service',
    ]);
    expect(plan[0]!.action).toEqual({ kind: 'set-property', unit: 'user.slice', weights: { cpuWeight: 1000, ioWeight: 800 } });
    expect(plan[3]!.inverse).toEqual({ kind: 'stop', unit: 'studio-local-policy.service' });
  });

  it('captures the exact prior weights as the inverse, "not set" included', () => {
    let facts = withUnit(factsFor('desktop', config), 'user.slice', { cpuWeight: null, ioWeight: null });
    facts = withUnit(facts, 'ai.slice', { cpuWeight: 100, ioWeight: null });
    const plan = planTransition('desktop', 'studio-local', facts, config);
    expect(plan[0]!.inverse).toEqual({ kind: 'set-property', unit: 'user.slice', weights: { cpuWeight: null, ioWeight: null } });
    expect(plan[1]!.inverse).toEqual({ kind: 'set-property', unit: 'ai.slice', weights: { cpuWeight: 100, ioWeight: null } });
  });

  it('studio-local → desktop: stop the overlay in reverse, then the baseline weights', () => {
    const plan = planTransition('studio-local', 'desktop', factsFor('studio-local', config), config);
    expect(ids(plan)).toEqual(['stop-audio-priority-service', 'stop-studio-local-policy-service', 'set-weights-interactive', 'set-weights-ai', 'set-weights-platform']);
    expect(plan[0]!.inverse).toEqual({ kind: 'start', unit: 'audio-priority.service' });
    expect(plan[2]!.inverse).toEqual({ kind: 'set-property', unit: 'user.slice', weights: { cpuWeight: 1000, ioWeight: 800 } });
  });

  it('desktop → compute: end the seat0 session, isolate, wait for the GPU, start vLLM and its readiness', () => {
    const facts = { ...factsFor('desktop', config), sessions: known([userSession('2'), userSession('c1', { class: 'greeter', user: 'gdm' }), userSession('7', { type: 'tty' })]) };
    const plan = planTransition('desktop', 'compute', facts, config);
    expect(ids(plan)).toEqual([
      'terminate-session-2',
      'terminate-session-c1',
      'wait-sessions-closed',
      'isolate-compute-target',
      'wait-gpu-released',
      'start-vllm-service',
      'start-vllm-ready-service',
    ]);
    expect(plan[0]!.losses).toEqual(['the graphical session 2 of user alice on seat0 will be terminated']);
    expect(plan[3]!.inverse).toEqual({ kind: 'isolate', unit: 'desktop.target' });
    expect(plan[4]!.action).toEqual({ kind: 'wait', until: 'gpu-released', timeoutMs: config.thresholds.stepTimeoutsMs.gpuRelease });
  });

  it("desktop → compute: stops graphical-session.target in the manager of each user whose user units hold a compute GPU, after the sessions end", () => {
    const kwin = (uid: number, device: string) => ({
      pid: 1300 + uid,
      command: 'kwin_wayland',
      uid,
      devices: [device, '/dev/nvidia-modeset'],
      cgroup: `/user.slice/user-${uid}.slice/user@${uid}.service/session.slice/plasma-kwin_wayland.service`,
      unit: `user@${uid}.service`,
      userUnit: 'plasma-kwin_wayland.service',
      session: null,
    });
    const facts = { ...factsFor('desktop', config), gpuHolders: known([kwin(1000, '/dev/nvidia0'), kwin(1001, '/dev/nvidia0'), kwin(1000, '/dev/nvidia0')]) };
    const plan = planTransition('desktop', 'compute', facts, config);
    expect(ids(plan).slice(0, 5)).toEqual(['terminate-session-2', 'wait-sessions-closed', 'stop-user-graphical-session-1000', 'stop-user-graphical-session-1001', 'isolate-compute-target']);
    expect(plan[2]).toMatchObject({ action: { kind: 'stop-user-unit', uid: 1000, unit: 'graphical-session.target' }, inverse: null });
    expect(plan[2]!.losses[0]).toContain('its other sessions keep running');
    // a user unit on a GPU compute does not use, and the X server of the display manager (isolate stops it), plan nothing
    const split = withConfig((c) => {
      c.hardware.presentGpus = [0, 1];
      c.hardware.computeGpus = [1];
    });
    const onDisplayGpu = { ...factsFor('desktop', split), gpus: known([{ ...gpu(0), minorNumber: 0 }, { ...gpu(1), minorNumber: 1 }]), gpuHolders: known([kwin(1000, '/dev/nvidia0')]) };
    expect(ids(planTransition('desktop', 'compute', onDisplayGpu, split))).not.toContain('stop-user-graphical-session-1000');
    expect(ids(planTransition('desktop', 'compute', factsFor('desktop', config), config)).some((id) => id.startsWith('stop-user'))).toBe(false);
  });

  it('compute without vLLM starts no vLLM unit', () => {
    const off = withConfig((c) => (c.vllm.enable = false));
    expect(ids(planTransition('desktop', 'compute', { ...factsFor('desktop', off), sessions: known([]) }, off))).toEqual(['isolate-compute-target', 'wait-gpu-released']);
  });

  it('compute → desktop: stop readiness and vLLM, wait, isolate desktop, wait for the graphical target', () => {
    const plan = planTransition('compute', 'desktop', factsFor('compute', config), config);
    expect(ids(plan)).toEqual(['stop-vllm-ready-service', 'stop-vllm-service', 'wait-vllm-gone', 'isolate-desktop-target', 'wait-graphical-up']);
    expect(plan.map((s) => s.inverse?.kind ?? null)).toEqual(['start', 'start', null, 'isolate', null]);
  });

  it('studio-local → compute and back pass through desktop', () => {
    const there = planTransition('studio-local', 'compute', { ...factsFor('studio-local', config), sessions: known([]) }, config);
    expect(ids(there).slice(0, 5)).toEqual(ids(planTransition('studio-local', 'desktop', factsFor('studio-local', config), config)));
    expect(ids(there).slice(5)).toEqual(['isolate-compute-target', 'wait-gpu-released', 'start-vllm-service', 'start-vllm-ready-service']);
    const back = planTransition('compute', 'studio-local', factsFor('compute', config), config);
    expect(ids(back)).toEqual([
      ...ids(planTransition('compute', 'desktop', factsFor('compute', config), config)),
      'set-weights-interactive',
      'set-weights-ai',
      'set-weights-platform',
      'start-studio-local-policy-service',
      'start-audio-priority-service',
    ]);
  });

  it('from a degraded state plans only what the facts do not already show', () => {
    const half = withUnit(factsFor('studio-local', config), 'audio-priority.service', { activeState: 'failed' });
    expect(ids(planTransition('degraded', 'studio-local', half, config))).toEqual(['start-audio-priority-service']);
    const vllmOnDesktop = withUnit(factsFor('desktop', config), 'vllm.service', { activeState: 'active' });
    const plan = planTransition('degraded', 'desktop', vllmOnDesktop, config);
    expect(ids(plan)).toEqual(['stop-vllm-service', 'wait-vllm-gone']);
    expect(plan[0]!.inverse).toEqual({ kind: 'start', unit: 'vllm.service' });
  });

  fcTest.prop([factsArb(config), fc.constantFrom(...MODES)], { numRuns: runs(300) })('plans are schema-valid, uniquely named, and waits have no inverse', (facts, target) => {
    const plan = planTransition(classify(facts, config).mode, target, facts, config);
    for (const step of plan) expect(PlanStep.parse(step)).toEqual(step);
    expect(new Set(ids(plan)).size).toBe(plan.length);
    for (const step of plan) if (step.action.kind === 'wait' || step.action.kind === 'terminate-session') expect(step.inverse).toBeNull();
    for (const step of plan) if (step.action.kind === 'terminate-session') expect(target).toBe('compute');
  });
});
