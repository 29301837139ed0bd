// Issue 7, interruption: `systemctl stop mode-controller@compute.service`
// while vLLM is slow to get ready. KillMode=mixed sends SIGTERM to node only;
// the controller stops waiting for the readiness unit at once (a wait changes
// nothing), records `interrupted` within TimeoutStopSec and exits by itself
// (status 10), leaving its intent; the next run records it as recovered and
// reaches compute without any cleanup.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { auditEvents, lastRecord, lockIsFree, readIntent, runClean, unitEnd, unitOf } from './crash.ts';
import { describeResult } from './command.ts';
import { bootControllerSandbox, type ControllerSandbox } from './e2e.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

describeWhen(sandboxPrerequisites(), 'end to end: SIGTERM mid-run (systemctl stop while vLLM loads)', () => {
  let sandbox: ControllerSandbox;
  beforeAll(async () => {
    // vLLM answers /health only 25 s after it starts: long enough to stop the run while it waits
    sandbox = await bootControllerSandbox({ vllm: { readyAfterMs: 25_000 } });
  });
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  it('stops at the step boundary, records interrupted, and the next run recovers and proves compute', async () => {
    const desired = await sandbox.store.recordDesired('compute', 'e2e-sigterm');
    if (!desired.ok) throw new Error(desired.failure.message);
    const started = await sandbox.systemctl(['start', '--no-block', unitOf('compute')]);
    expect(started.exitCode, describeResult(started)).toBe(0);
    await sandbox.waitUntil('the run waits for vLLM to get ready', () => Promise.resolve(readIntent(sandbox)?.step === 'start-vllm-ready-service'), 120_000);

    const stopped = await sandbox.systemctl(['stop', unitOf('compute')], 120_000);
    expect(stopped.exitCode, describeResult(stopped)).toBe(0);
    // exited by itself with the interrupted status, not killed by systemd after TimeoutStopSec
    expect(await unitEnd(sandbox, 'compute')).toMatchObject({ execMainCode: '1', execMainStatus: String(EXIT.interrupted) });
    const record = lastRecord(sandbox);
    expect({ outcome: record?.outcome, generation: record?.generation, code: record?.firstFailedPredicate?.code }).toEqual({ outcome: 'interrupted', generation: desired.record.generation, code: 'interrupted' });
    expect(record?.steps.at(-1)).toMatchObject({ stepId: 'start-vllm-ready-service', ok: false });
    expect(record?.steps.at(-1)?.message).toContain('abandoned');
    expect(record?.steps.some((s) => s.phase === 'rollback')).toBe(false);
    const interrupted = (await auditEvents(sandbox)).filter((e) => e.runId === record?.runId && e.event === 'outcome');
    expect(interrupted.map((e) => e.outcome)).toEqual(['interrupted']);
    const left = readIntent(sandbox);
    expect(left).toMatchObject({ runId: record?.runId, step: 'start-vllm-ready-service' });
    expect(await lockIsFree(sandbox)).toBe(true);

    const next = await runClean(sandbox, 'compute');
    expect({ outcome: next.record.outcome, observed: next.record.finalObservation?.mode }).toEqual({ outcome: 'succeeded', observed: 'compute' });
    const recovered = (await auditEvents(sandbox)).filter((e) => e.event === 'recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ runId: left?.runId, outcome: 'recovered', detail: { lastStep: 'start-vllm-ready-service', recoveredBy: next.record.runId } });
    expect(readIntent(sandbox)).toBeNull();
  }, 300_000);
});
