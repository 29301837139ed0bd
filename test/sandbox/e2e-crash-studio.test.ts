// Issue 7, failpoints: the controller is killed (SIGKILL) after every step of
// desktop → studio-local and of studio-local → desktop, in the real
// controller unit under its hardening; after each kill the next run recovers
// with no cleanup in between. The directions alternate, so each recovery
// leaves the machine where the next case starts (one sandbox for all).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { killThenRecover, failpointsFor, type CaseReport } from './crash.ts';
import { bootControllerSandbox, type ControllerSandbox } from './e2e.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

describeWhen(sandboxPrerequisites(), 'end to end: killed after every step of desktop ↔ studio-local, recovered by the next run', () => {
  let sandbox: ControllerSandbox;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox();
  });
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  it('recovers from a kill after each step, both ways, and ends in a proven mode each time', async () => {
    const forward = await failpointsFor(sandbox, 'studio-local');
    const reports: CaseReport[] = [];
    let back: string[] | null = null;
    for (let i = 0; i < forward.length || i < (back?.length ?? 0); i += 1) {
      // a kill after forward[i] (or, past its end, one more kill after a step of the way back)
      reports.push(await killThenRecover(sandbox, 'desktop', 'studio-local', forward[Math.min(i, forward.length - 1)]!));
      back ??= await failpointsFor(sandbox, 'desktop');
      reports.push(await killThenRecover(sandbox, 'studio-local', 'desktop', back[Math.min(i, back.length - 1)]!));
    }
    console.info(`e2e-crash-studio: ${reports.length} kills, ${reports.map((r) => `${r.to}@${r.stepId} ${r.ms} ms`).join(', ')}`);
    expect(forward).toEqual(['set-weights-interactive', 'set-weights-ai', 'set-weights-platform', 'start-studio-local-policy-service', 'start-audio-priority-service']);
    expect(new Set(reports.filter((r) => r.to === 'desktop').map((r) => r.stepId))).toEqual(new Set(back));
    expect(reports.filter((r) => r.problems.length > 0).map((r) => `${r.from} → ${r.to} killed after ${r.stepId}: ${r.problems.join('; ')}`)).toEqual([]);
  }, 900_000);
});
