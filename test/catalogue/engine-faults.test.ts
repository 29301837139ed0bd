// Catalogue rows about the machine misbehaving under the controller (level U:
// the chart on the simulated host, whose systemd semantics are those the
// sandbox showed): a unit that does not exist, a step failing partway, a
// target that may not be isolated, vLLM never ready, a crashing service.
import { describe, expect, it } from 'vitest';
import { OPERATION_SETTLE_MS } from '../../machines/context-updates.ts';
import { runController } from '../../machines/run-controller.ts';
import { classify } from '../../predicates/classify.ts';
import { SimulatedHost } from '../../simulation/host.ts';
import { workstationConfig as config } from '../engine/support/config.ts';

describe('row 7: the config names a unit that does not exist', () => {
  it.each([
    ['compute', 'vllm.service'],
    ['compute', 'compute.target'],
    ['studio-local', 'audio-priority.service'],
  ] as const)('%s with %s not-found: the guard fails before any destructive step', async (target, missing) => {
    const h = new SimulatedHost({ config, loadStates: { [missing]: 'not-found' } });
    const record = await runController(h, target);
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate?.code).toBe('units-not-loadable');
    expect(record.firstFailedPredicate?.message).toContain(`${missing} has LoadState=not-found`);
    expect(h.performed).toEqual([]);
    expect(h.intents).toEqual([]);
  });
});

describe('row 9: a step fails partway (a unit start fails)', () => {
  it('stops at the first failure, records the steps already applied, and a failed compute switch goes back to a proven desktop', async () => {
    const h = new SimulatedHost({ config, faults: { failStart: ['vllm.service'] } });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('rolled-back');
    expect(record.firstFailedPredicate).toMatchObject({ code: 'step-failed', path: ['steps', 'start-vllm-service'] });
    const applied = record.steps.filter((s) => s.phase === 'apply');
    expect(applied.map((s) => [s.stepId, s.ok])).toEqual([
      [applied[0]!.stepId, true],
      ['wait-sessions-closed', true],
      ['isolate-compute-target', true],
      ['wait-gpu-released', true],
      ['start-vllm-service', false],
    ]);
    // nothing after the failure was attempted
    expect(record.steps.some((s) => s.stepId === 'start-vllm-ready-service')).toBe(false);
    expect(record.finalObservation?.mode).toBe('desktop');
    expect(classify(await h.observe(), config).mode).toBe('desktop');
  });

  it('a service that crashes right after a successful start is caught by the verifying observation and rolled back', async () => {
    const h = new SimulatedHost({ config, faults: { crashAfterStart: ['audio-priority.service'] } });
    const record = await runController(h, 'studio-local');
    expect(record.outcome).toBe('rolled-back');
    expect(record.firstFailedPredicate?.code).toBe('unit-state');
    // a failed unit runs nothing: the restored desktop is proven although the unit stays `failed`
    expect(h.world.unit('audio-priority.service')?.activeState).toBe('failed');
    expect(record.finalObservation?.mode).toBe('desktop');
  });
});

describe('row 11: isolate of a target without AllowIsolate=yes', () => {
  it('is checked before acting: compute is blocked before the session is ended', async () => {
    const h = new SimulatedHost({ config });
    h.world.unit('compute.target')!.allowIsolate = false;
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate?.code).toBe('units-not-loadable');
    expect(record.firstFailedPredicate?.message).toContain('compute.target has AllowIsolate=no');
    expect(h.performed).toEqual([]);
    expect(h.world.sessions.some((s) => s.seat === 'seat0' && s.class === 'user')).toBe(true);
  });

  it('also for the target a rollback would isolate (desktop.target), and it passes when AllowIsolate is yes or was not read', async () => {
    const back = new SimulatedHost({ config, mode: 'compute' });
    back.world.unit('desktop.target')!.allowIsolate = false;
    expect((await runController(back, 'desktop')).outcome).toBe('blocked');
    const fine = new SimulatedHost({ config });
    fine.world.unit('compute.target')!.allowIsolate = true;
    expect((await runController(fine, 'compute')).outcome).toBe('succeeded');
    // the unit file side (IgnoreOnIsolate=yes on the controller, AllowIsolate=yes on both targets): test/units, and the sandbox row below
  });
});

describe('row 29: vLLM never becomes ready', () => {
  it('the wait is bounded by the vLLM budget, the step is named, and the rollback proves desktop even with vllm-ready left failed', async () => {
    const h = new SimulatedHost({ config, faults: { vllmNeverReady: true } });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('rolled-back');
    expect(record.firstFailedPredicate?.code).toBe('step-timeout');
    expect(record.firstFailedPredicate?.message).toContain('start-vllm-ready-service');
    expect(record.steps.find((s) => s.stepId === 'start-vllm-ready-service' && s.phase === 'apply')?.durationMs).toBe(config.thresholds.stepTimeoutsMs.vllmReady + OPERATION_SETTLE_MS);
    // systemd leaves a oneshot that timed out `failed` after stop; failed runs nothing, so desktop holds
    h.world.markFailed('vllm-ready.service');
    expect(classify(await h.observe(), config).mode).toBe('desktop');
    expect(record.finalObservation?.mode).toBe('desktop');
  });
});
