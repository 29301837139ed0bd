// Issue 7, failpoints: the controller is killed (SIGKILL) after every step of
// desktop → compute (the session ended, compute.target isolated, the GPU
// released, vLLM started and ready) and of compute → desktop, in the real
// controller unit under its hardening; after each kill the next run recovers
// with no cleanup in between. Directions alternate on one sandbox. A compute
// switch's plan names the live session (terminate-session-<id>), so the plan
// is read again before every kill of the way there.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { killThenRecover, failpointsFor, type CaseReport } from './crash.ts';
import { bootControllerSandbox, graphicalSessions, type ControllerSandbox } from './e2e.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

describeWhen(sandboxPrerequisites(), 'end to end: killed after every step of desktop ↔ compute, recovered by the next run', () => {
  let sandbox: ControllerSandbox;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox();
  });
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  it('recovers from a kill after each step, both ways, and ends in a proven mode each time', async () => {
    const reports: CaseReport[] = [];
    const seenForward: string[] = [];
    let forwardLength = Infinity;
    let back: string[] | null = null;
    for (let i = 0; i < forwardLength || i < (back?.length ?? 0); i += 1) {
      await sandbox.waitUntil('the desktop session is back', async () => (await graphicalSessions(sandbox)).length === 1, 30_000);
      const forward = await failpointsFor(sandbox, 'compute');
      forwardLength = forward.length;
      const there = forward[Math.min(i, forward.length - 1)]!;
      seenForward.push(there);
      reports.push(await killThenRecover(sandbox, 'desktop', 'compute', there));
      back ??= await failpointsFor(sandbox, 'desktop');
      reports.push(await killThenRecover(sandbox, 'compute', 'desktop', back[Math.min(i, back.length - 1)]!));
    }
    console.info(`e2e-crash-compute: ${reports.length} kills, ${reports.map((r) => `${r.to}@${r.stepId} ${r.ms} ms`).join(', ')}`);
    expect(seenForward.map((id) => id.replace(/^terminate-session-.*/, 'terminate-session-<id>'))).toEqual(
      expect.arrayContaining(['terminate-session-<id>', 'wait-sessions-closed', 'isolate-compute-target', 'wait-gpu-released', 'start-vllm-service', 'start-vllm-ready-service']),
    );
    expect(back).toEqual(['stop-vllm-ready-service', 'stop-vllm-service', 'wait-vllm-gone', 'isolate-desktop-target', 'wait-graphical-up']);
    expect(new Set(reports.filter((r) => r.to === 'desktop').map((r) => r.stepId))).toEqual(new Set(back));
    expect(reports.filter((r) => r.problems.length > 0).map((r) => `${r.from} → ${r.to} killed after ${r.stepId}: ${r.problems.join('; ')}`)).toEqual([]);
  }, 1_200_000);
});
