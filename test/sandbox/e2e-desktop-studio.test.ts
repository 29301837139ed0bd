// Plan phases 3 and 5, end to end: the booted desktop is observed as
// desktop; desktop → studio-local → desktop through the real controller, with
// the three slices' weights read from systemd before, during and after.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { effectiveWeight } from '../../predicates/slices.ts';
import { activeStates, bootControllerSandbox, graphicalSessions, request, sliceWeights, type ControllerSandbox } from './e2e.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

describeWhen(sandboxPrerequisites(), 'end to end: desktop baseline and the studio-local overlay (phases 3 and 5)', () => {
  let sandbox: ControllerSandbox;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox();
  });
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  it('phase 3: the boot is proven desktop: the controller has nothing to do, vLLM and the overlay are inactive', async () => {
    const { units, slices } = sandbox.config;
    const { record, exitStatus } = await request(sandbox, 'desktop');
    expect({ outcome: record.outcome, mode: record.from?.mode, steps: record.steps.length, exitStatus }).toEqual({ outcome: 'noop', mode: 'desktop', steps: 0, exitStatus: 0 });
    expect(await activeStates(sandbox, [units.vllm, units.vllmReady, ...units.studioOverlay])).toEqual(Object.fromEntries([units.vllm, units.vllmReady, ...units.studioOverlay].map((u) => [u, 'inactive'])));
    expect(await sliceWeights(sandbox)).toEqual(slices.baseline);
    expect(await graphicalSessions(sandbox)).toHaveLength(1);
  });

  it('phase 5: studio-local raises interactive, lowers ai and platform, starts the overlay; desktop restores the exact baseline', async () => {
    const { units, slices } = sandbox.config;
    const before = await sliceWeights(sandbox);
    const session = await graphicalSessions(sandbox);

    const studio = await request(sandbox, 'studio-local');
    expect({ outcome: studio.record.outcome, final: studio.record.finalObservation?.mode, failed: studio.record.firstFailedPredicate }).toEqual({ outcome: 'succeeded', final: 'studio-local', failed: null });
    const during = await sliceWeights(sandbox);
    expect(during).toEqual(slices.studio);
    // null is [not set]: systemd's default weight 100 (predicates/slices.ts)
    const w = (value: number | null) => effectiveWeight(value);
    expect([w(during.interactive.cpuWeight) > w(before.interactive.cpuWeight), w(during.ai.cpuWeight) < w(before.ai.cpuWeight), w(during.platform.cpuWeight) < w(before.platform.cpuWeight)]).toEqual([true, true, true]);
    expect(await activeStates(sandbox, [...units.studioOverlay, units.vllm])).toEqual({ ...Object.fromEntries(units.studioOverlay.map((u) => [u, 'active'])), [units.vllm]: 'inactive' });
    expect(await graphicalSessions(sandbox)).toEqual(session);

    const back = await request(sandbox, 'desktop');
    expect({ outcome: back.record.outcome, final: back.record.finalObservation?.mode }).toEqual({ outcome: 'succeeded', final: 'desktop' });
    expect(await sliceWeights(sandbox)).toEqual(before);
    expect(await activeStates(sandbox, [...units.studioOverlay, units.vllm])).toEqual(Object.fromEntries([...units.studioOverlay, units.vllm].map((u) => [u, 'inactive'])));
    expect(await graphicalSessions(sandbox)).toEqual(session);
    for (const step of [...studio.record.steps, ...back.record.steps]) expect({ step: step.stepId, ok: step.ok, ms: step.durationMs >= 0 }).toEqual({ step: step.stepId, ok: true, ms: true });
  });
});
