// The Slurm steps when the workload manager misbehaves: a drain or resume
// that hangs (the chart's workTimeout, 4 × commandTimeoutSeconds + 8 s), one
// that throws (an adapter bug), a stop asked while the drain runs, a host
// without an adapter. The outcome and the first failed predicate each name
// the Slurm step, on the simulated clock.
import { describe, expect, it } from 'vitest';
import type { ActionResult } from '../../../machines/host.ts';
import { runController } from '../../../machines/run-controller.ts';
import type { Config } from '../../../schemas/config.ts';
import type { StepRecord, TransitionRecord } from '../../../schemas/records.ts';
import { SimulatedCrash } from '../../../simulation/faults.ts';
import { SimulatedHost } from '../../../simulation/host.ts';
import { withConfig } from '../support/config.ts';
import { schemaErrors } from '../support/schema.ts';

const config: Config = withConfig((c) => {
  c.slurm = { ...c.slurm, enable: true, nodeName: 'ws01', commandTimeoutSeconds: 5 };
});
const host = (mode: 'compute' | 'desktop' = 'compute') => new SimulatedHost({ config, mode, slurm: { node: 'ws01', drained: mode === 'desktop', reason: mode === 'desktop' ? 'dubnium: desktop' : null } });
const step = (record: TransitionRecord, id: string): StepRecord | undefined => record.steps.find((s) => s.stepId === id);
/** 4 × commandTimeoutSeconds for the call and its proof, and 8 s for the tool to be killed */
const BUDGET_MS = 4 * 5000 + 8000;
const hang = (h: SimulatedHost) => (signal?: AbortSignal) =>
  new Promise<ActionResult>((resolve) => {
    const done = () => resolve({ ok: false, message: 'scontrol was killed', commands: [] });
    if (signal?.aborted) done();
    signal?.addEventListener('abort', done, { once: true });
    void h;
  });

describe('a Slurm step that hangs', () => {
  it('the drain: timed out at its budget, blocked, naming the step; the node is then resumed', async () => {
    const h = host();
    const drain = hang(h);
    h.drainWork = (_reason, signal) => drain(signal);
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('blocked');
    expect(schemaErrors('transition-record', record)).toEqual([]);
    const timedOut = step(record, 'drain-slurm-node')!;
    expect(timedOut).toMatchObject({ ok: false, durationMs: BUDGET_MS, action: { kind: 'drain-work' } });
    expect(timedOut.message).toBe(`timed out after ${BUDGET_MS} ms (budget ${BUDGET_MS} ms); the operation was cancelled`);
    expect(record.firstFailedPredicate).toMatchObject({ code: 'step-timeout', message: `step drain-slurm-node timed out after ${BUDGET_MS} ms (budget ${BUDGET_MS} ms); the operation was cancelled` });
    // the drain may have taken: Slurm follows the compute the machine stays in
    expect(h.slurm.calls).toEqual(['resume']);
    expect(step(record, 'resume-slurm-node')?.ok).toBe(true);
    expect(h.performed).toEqual([]);
  });

  it('the resume: timed out, the run stays succeeded with the warning naming the timeout', async () => {
    const h = host('desktop');
    const resume = hang(h);
    h.resumeWork = (signal) => resume(signal);
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(step(record, 'resume-slurm-node')).toMatchObject({ ok: false, durationMs: BUDGET_MS });
    expect(record.warnings?.[0]).toMatchObject({ code: 'slurm-resume-unproven', evidence: [] });
    expect(record.warnings?.[0]?.message).toContain(`(timed out after ${BUDGET_MS} ms (budget ${BUDGET_MS} ms); the operation was cancelled)`);
  });
});

describe('a Slurm step that throws', () => {
  it('the drain: blocked with work-error naming the step and the error', async () => {
    const h = host();
    h.drainWork = () => Promise.reject(new Error('adapter bug'));
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate).toMatchObject({ code: 'work-error', message: 'step drain-slurm-node raised: adapter bug' });
    expect(step(record, 'drain-slurm-node')).toBeUndefined();
    expect(h.slurm.calls).toEqual(['resume']);
  });

  it('the wait: blocked with work-error', async () => {
    const h = host();
    let observations = 0;
    const observe = h.observe.bind(h);
    h.observe = () => {
      observations += 1;
      // the first observation decides, the drain's proof is the second; the wait's first poll throws
      return observations === 3 ? Promise.reject(new Error('observer bug')) : observe();
    };
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate).toMatchObject({ code: 'work-error', message: 'step wait-slurm-jobs-ended raised: observer bug' });
    expect(h.slurm.calls).toEqual(['drain dubnium: desktop', 'resume']);
  });

  it('the resume: succeeded, the warning says it raised before it answered', async () => {
    const h = host('desktop');
    h.resumeWork = () => Promise.reject(new Error('adapter bug'));
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(step(record, 'resume-slurm-node')).toBeUndefined();
    expect(record.warnings?.[0]?.message).toBe(
      'compute is proven, but the resume of the Slurm node was not observed (the resume raised before it answered); no job lands on it until it is resumed: request compute again or run scontrol update state=resume',
    );
  });
});

describe('asked to stop during the drain', () => {
  it('the drain finishes first: interrupted right after it, the node left drained, the intent kept', async () => {
    const h = host();
    const stop = new AbortController();
    const drain = h.drainWork.bind(h);
    h.drainWork = (reason, signal) => {
      stop.abort();
      return drain(reason, signal);
    };
    const record = await runController(h, 'desktop', { signal: stop.signal });
    expect(record.outcome).toBe('interrupted');
    expect(step(record, 'drain-slurm-node')?.ok).toBe(true);
    expect(record.steps).toHaveLength(1);
    expect(h.slurm.drained).toBe(true);
    expect(h.intent?.step).toBe('drain-slurm-node');
  });

  it('a drain that hangs: abandoned after the grace, interrupted', async () => {
    const h = host();
    const stop = new AbortController();
    const drain = hang(h);
    h.drainWork = (_reason, signal) => {
      stop.abort();
      return drain(signal);
    };
    const record = await runController(h, 'desktop', { signal: stop.signal, interruptGraceMs: 3000 });
    expect(record.outcome).toBe('interrupted');
    const abandoned = step(record, 'drain-slurm-node')!;
    expect(abandoned.message).toBe('abandoned after 3000 ms: the run was asked to stop and stopped waiting for the operation after its grace period; a systemd job it queued is not cancelled');
    expect(h.slurm.calls).toEqual([]);
  });

  it('a resume that hangs when asked to stop: abandoned after the grace, the outcome kept, the warning added', async () => {
    const h = host('desktop');
    const stop = new AbortController();
    const resume = hang(h);
    h.resumeWork = (signal) => {
      stop.abort();
      return resume(signal);
    };
    const record = await runController(h, 'compute', { signal: stop.signal, interruptGraceMs: 2000 });
    expect(record.outcome).toBe('succeeded');
    expect(step(record, 'resume-slurm-node')?.message).toMatch(/^abandoned after 2000 ms/);
    expect(record.warnings?.map((w) => w.code)).toEqual(['slurm-resume-unproven']);
  });
});

describe('a host without a workload manager adapter', () => {
  it('the drain fails and says so: blocked', async () => {
    const h = host();
    Object.defineProperty(h, 'drainWork', { value: undefined });
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('blocked');
    expect(step(record, 'drain-slurm-node')?.message).toBe('this host has no workload manager adapter to drain the node with');
  });
});

describe('a run killed right after its drain', () => {
  it('the next run records it as recovered, naming the drain, and reconciles: the node drained again, the switch made', async () => {
    const h = host();
    h.faults = { dieAfterStep: 'drain-slurm-node' };
    h.request('desktop');
    await expect(runController(h, 'desktop', { failpoint: h.failpoint, runId: 'killed' })).rejects.toBeInstanceOf(SimulatedCrash);
    h.crash();
    h.faults = {};
    expect(h.intent?.step).toBe('drain-slurm-node');
    expect(h.slurm.drained).toBe(true);
    const record = await runController(h, 'desktop');
    expect(record.outcome).toBe('succeeded');
    const recovered = h.records.find((r) => r.record.outcome === 'recovered')?.record;
    expect(recovered?.firstFailedPredicate?.message).toContain('stopped in or right after step drain-slurm-node (the last step it started)');
    expect(h.slurm.calls).toEqual(['drain dubnium: desktop', 'drain dubnium: desktop']);
  });

  it('killed after the drain while compute is desired again: the noop resumes the node', async () => {
    const h = host();
    h.faults = { dieAfterStep: 'drain-slurm-node' };
    h.request('desktop');
    await expect(runController(h, 'desktop', { failpoint: h.failpoint })).rejects.toBeInstanceOf(SimulatedCrash);
    h.crash();
    h.faults = {};
    h.request('compute');
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('noop');
    expect(h.slurm.drained).toBe(false);
    expect(h.slurm.calls.at(-1)).toBe('resume');
  });
});
