// Plan phases 7 and 8, end to end: desktop → compute (the session ended, the
// GPU released, vLLM ready) → desktop (the session back, vLLM's process
// gone); and a vLLM that never gets ready is rolled back to a proven desktop
// with the first failed predicate in last-transition.json.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConfigInput } from '../../schemas/config.ts';
import { activeStates, bootControllerSandbox, gpuProcessTypes, graphicalSessions, request, withControllerSandbox, type ControllerSandbox } from './e2e.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

describeWhen(sandboxPrerequisites(), 'end to end: desktop → compute → desktop (phases 7 and 8)', () => {
  let sandbox: ControllerSandbox;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox();
  });
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  it('compute: the graphical session is gone, the GPU holds only vLLM, vLLM is ready', async () => {
    const { units } = sandbox.config;
    expect(await gpuProcessTypes(sandbox)).toEqual(['G', 'G']);
    const { record, exitStatus } = await request(sandbox, 'compute');
    expect({ outcome: record.outcome, final: record.finalObservation?.mode, failed: record.firstFailedPredicate, exitStatus }).toEqual({ outcome: 'succeeded', final: 'compute', failed: null, exitStatus: 0 });
    expect(await graphicalSessions(sandbox)).toEqual([]);
    expect(await gpuProcessTypes(sandbox)).toEqual(['C']);
    expect(await activeStates(sandbox, [units.computeTarget, units.desktopTarget, units.displayManager, units.vllm, units.vllmReady, 'sshd.service'])).toEqual({
      [units.computeTarget]: 'active',
      [units.desktopTarget]: 'inactive',
      [units.displayManager]: 'inactive',
      [units.vllm]: 'active',
      [units.vllmReady]: 'active',
      'sshd.service': 'active',
    });
    expect(record.steps.map((s) => s.stepId)).toEqual(expect.arrayContaining([expect.stringMatching(/^terminate-session/), 'isolate-compute-target', 'wait-gpu-released', 'start-vllm-service']));
  });

  it('back to desktop: the display manager and a session are back, vLLM and its process are gone', async () => {
    const { units } = sandbox.config;
    const { record } = await request(sandbox, 'desktop');
    expect({ outcome: record.outcome, final: record.finalObservation?.mode }).toEqual({ outcome: 'succeeded', final: 'desktop' });
    expect(await activeStates(sandbox, [units.desktopTarget, units.displayManager, units.computeTarget, units.vllm, units.vllmReady])).toEqual({
      [units.desktopTarget]: 'active',
      [units.displayManager]: 'active',
      [units.computeTarget]: 'inactive',
      [units.vllm]: 'inactive',
      [units.vllmReady]: 'inactive',
    });
    expect(await gpuProcessTypes(sandbox)).not.toContain('C');
    await sandbox.waitUntil('a graphical session is back', async () => (await graphicalSessions(sandbox)).length === 1);
  });
});

describeWhen(sandboxPrerequisites(), 'end to end: vLLM never ready', () => {
  it('rolls back to a proven desktop and names the first failed predicate in last-transition.json', async () => {
    const options = {
      vllm: { health: 'never-ready' as const },
      vllmReadyTimeout: '8s',
      config: (c: ConfigInput) => ({ ...c, thresholds: { ...c.thresholds, stepTimeoutsMs: { ...c.thresholds.stepTimeoutsMs, vllmReady: 10_000 } } }),
    };
    await withControllerSandbox(options, async (sandbox) => {
      const { units } = sandbox.config;
      expect(await graphicalSessions(sandbox)).toHaveLength(1);
      const { record, exitStatus } = await request(sandbox, 'compute');
      expect(record.firstFailedPredicate?.code).toBeTruthy();
      expect(JSON.stringify(record.firstFailedPredicate)).toMatch(/vllm-ready/);
      expect(record.steps.some((s) => s.phase === 'rollback')).toBe(true);
      expect({ outcome: record.outcome, final: record.finalObservation?.mode, exitStatus: exitStatus !== 0 }).toEqual({ outcome: 'rolled-back', final: 'desktop', exitStatus: true });
      expect(await activeStates(sandbox, [units.desktopTarget, units.displayManager, units.vllm])).toEqual({ [units.desktopTarget]: 'active', [units.displayManager]: 'active', [units.vllm]: 'inactive' });
      await sandbox.waitUntil('a graphical session is back', async () => (await graphicalSessions(sandbox)).length === 1);
    });
  }, 300_000);
});
