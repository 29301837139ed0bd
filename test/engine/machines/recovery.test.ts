// Crash recovery and interruption on the simulated host: a run that finds an
// intent without an outcome records the interrupted run as recovered from a
// fresh observation, then reconciles to the newest desired mode; a run asked
// to stop (SIGTERM) stops at the next step boundary, records `interrupted`
// and leaves its intent; a run that cannot journal itself fails closed except
// on the way back to desktop.
import { describe, expect, it } from 'vitest';
import type { Host } from '../../../machines/host.ts';
import { runController } from '../../../machines/run-controller.ts';
import { planTransition } from '../../../predicates/plan.ts';
import { classify } from '../../../predicates/classify.ts';
import type { Intent } from '../../../schemas/records.ts';
import { SimulatedCrash } from '../../../simulation/faults.ts';
import { SimulatedHost, type SimulatedHostOptions } from '../../../simulation/host.ts';
import { workstationConfig as config } from '../support/config.ts';
import { schemaErrors } from '../support/schema.ts';

const host = (options: Partial<SimulatedHostOptions> = {}) => new SimulatedHost({ config, ...options });

/** The simulated host seen through the Host port, with some methods replaced. */
function through(h: SimulatedHost, overrides: Partial<Host>): Host {
  const port: Host = {
    config: h.config,
    clock: h.clock,
    observe: () => h.observe(),
    perform: (action, signal) => h.perform(action, signal),
    lock: () => h.lock(),
    readDesired: () => h.readDesired(),
    readIntent: () => h.readIntent(),
    writeIntent: (intent) => h.writeIntent(intent),
    clearIntent: () => h.clearIntent(),
    writeRecord: (record, guards) => h.writeRecord(record, guards),
    appendAudit: (event) => h.appendAudit(event),
    bootId: () => h.bootId(),
  };
  return { ...port, ...overrides };
}

async function crashAfter(h: SimulatedHost, target: 'desktop' | 'studio-local' | 'compute', stepId: string): Promise<Intent> {
  h.faults = { dieAfterStep: stepId };
  h.request(target);
  await expect(runController(h, target, { failpoint: h.failpoint, runId: 'killed' })).rejects.toBeInstanceOf(SimulatedCrash);
  h.crash();
  h.faults = {};
  // right after journaling, the intent names no step yet
  expect(h.intent?.step).toBe(stepId === 'intent-written' ? 'planned' : stepId);
  return h.intent!;
}

/** Every step id of the plan from the mode the host is in to `target`, plus the point right after the intent is journaled. */
async function failpointsTo(h: SimulatedHost, target: 'desktop' | 'studio-local' | 'compute'): Promise<string[]> {
  const facts = await h.observe();
  return ['intent-written', ...planTransition(classify(facts, config).mode, target, facts, config).map((s) => s.id)];
}

describe('recovery: an intent without an outcome', () => {
  it('is recorded as recovered (record + audit) naming the run, its target and last step, then the run reconciles', async () => {
    const h = host();
    const left = await crashAfter(h, 'compute', 'isolate-compute-target');
    const recordsBefore = h.records.length;
    const record = await runController(h, 'compute', { runId: 'next' });
    const [recovered, own] = h.records.slice(recordsBefore).map((r) => r.record);
    expect(recovered).toMatchObject({ runId: 'killed', target: 'compute', outcome: 'recovered', generation: left.generation });
    expect(recovered?.firstFailedPredicate?.code).toBe('run-interrupted');
    expect(recovered?.firstFailedPredicate?.message).toContain('step isolate-compute-target (the last step it started)');
    expect(recovered?.firstFailedPredicate?.message).toContain('run next found the machine degraded');
    expect(recovered?.finalObservation?.mode).toBe('degraded');
    expect(schemaErrors('transition-record', recovered)).toEqual([]);
    expect(own).toBe(record);
    expect(record).toMatchObject({ runId: 'next', outcome: 'succeeded', target: 'compute' });
    const audit = h.audit.filter((e) => e.event === 'recovered');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ runId: 'killed', outcome: 'recovered', target: 'compute', detail: { lastStep: 'isolate-compute-target', recoveredBy: 'next', observed: 'degraded' } });
    expect(schemaErrors('audit-event', audit[0])).toEqual([]);
    expect(h.intent).toBeNull();
    expect(h.lockHeld).toBe(false);
  });

  it('reconciles to the newest desired mode, not the interrupted run\'s target', async () => {
    const h = host();
    await crashAfter(h, 'compute', 'wait-gpu-released');
    h.request('desktop');
    const record = await runController(h, 'compute');
    expect(h.records.at(-2)?.record.outcome).toBe('recovered');
    expect(record).toMatchObject({ target: 'desktop', outcome: 'succeeded' });
    expect(classify(await h.observe(), config).mode).toBe('desktop');
  });

  it('is recovered even when the machine is already where the newest request wants it (noop after recovery)', async () => {
    const h = host();
    await crashAfter(h, 'studio-local', 'start-audio-priority-service');
    // the run died after its last step: the machine is in studio-local already
    const record = await runController(h, 'studio-local');
    expect(h.records.at(-2)?.record).toMatchObject({ outcome: 'recovered', finalObservation: { mode: 'studio-local' } });
    expect(record.outcome).toBe('noop');
    expect(h.intent).toBeNull();
  });

  it('stays journaled when the next run cannot observe (nothing recovered yet), and is recovered by the run after', async () => {
    const h = host();
    await crashAfter(h, 'compute', 'isolate-compute-target');
    const blocked = await runController(through(h, { observe: () => Promise.reject(new Error('observer crashed')) }), 'compute');
    expect(blocked.outcome).toBe('blocked');
    expect(h.intent?.step).toBe('isolate-compute-target');
    const record = await runController(h, 'compute');
    expect(h.records.at(-2)?.record.outcome).toBe('recovered');
    expect(record.outcome).toBe('succeeded');
  });

  for (const [from, to] of [
    ['desktop', 'studio-local'],
    ['studio-local', 'desktop'],
    ['desktop', 'compute'],
    ['compute', 'desktop'],
  ] as const) {
    it(`${from} → ${to}: a kill after every step is recovered by the next run, which proves ${to}`, async () => {
      const probe = host({ mode: from });
      const failpoints = await failpointsTo(probe, to);
      expect(failpoints.length).toBeGreaterThan(3);
      for (const stepId of failpoints) {
        const h = host({ mode: from });
        await crashAfter(h, to, stepId);
        expect(h.lockHeld).toBe(false);
        const record = await runController(h, to);
        expect(h.records.at(-2)?.record, stepId).toMatchObject({ outcome: 'recovered', firstFailedPredicate: { code: 'run-interrupted' } });
        expect(['succeeded', 'noop'], stepId).toContain(record.outcome);
        expect(classify(await h.observe(), config).mode, stepId).toBe(to);
        expect(h.intent, stepId).toBeNull();
      }
    });
  }
});

describe('interruption: SIGTERM mid-run', () => {
  it('stops at the next step boundary, records interrupted, keeps the intent and releases the lock', async () => {
    const h = host();
    h.request('studio-local');
    const abort = new AbortController();
    // asked to stop while the second step runs: that step finishes, nothing after it starts
    const perform: Host['perform'] = (action, signal) => {
      if (h.performed.length === 1) abort.abort();
      return h.perform(action, signal);
    };
    const record = await runController(through(h, { perform }), 'studio-local', { signal: abort.signal, runId: 'stopped' });
    expect(record.outcome).toBe('interrupted');
    expect(record.steps.map((s) => [s.stepId, s.ok])).toEqual([
      ['set-weights-interactive', true],
      ['set-weights-ai', true],
    ]);
    expect(record.steps.every((s) => s.phase === 'apply')).toBe(true);
    expect(record.firstFailedPredicate).toMatchObject({ code: 'interrupted' });
    expect(record.firstFailedPredicate?.message).toContain('after step set-weights-ai');
    expect(h.audit.filter((e) => e.event === 'outcome').at(-1)).toMatchObject({ outcome: 'interrupted', runId: 'stopped' });
    expect(h.intent).toMatchObject({ runId: 'stopped', step: 'set-weights-ai' });
    expect(h.lockHeld).toBe(false);
    expect(schemaErrors('transition-record', record)).toEqual([]);

    const next = await runController(h, 'studio-local');
    expect(h.records.at(-2)?.record).toMatchObject({ runId: 'stopped', outcome: 'recovered' });
    expect(next.outcome).toBe('succeeded');
    expect(h.intent).toBeNull();
  });

  it('stops waiting at once (vLLM slow to get ready): the readiness start is abandoned, not cancelled', async () => {
    const h = host({ vllmWarmupMs: 10 * 60_000 });
    h.request('compute');
    const abort = new AbortController();
    const running = runController(h, 'compute', { signal: abort.signal, interruptGraceMs: 60_000 });
    // let the run reach the readiness step on the simulated clock, then stop it
    while (!h.performed.some((a) => a.kind === 'start' && a.unit === config.units.vllmReady)) await new Promise((r) => setImmediate(r));
    const at = h.clock.monotonicMs();
    abort.abort();
    const record = await running;
    expect(record.outcome).toBe('interrupted');
    const last = record.steps.at(-1)!;
    expect(last).toMatchObject({ stepId: 'start-vllm-ready-service', ok: false });
    expect(last.message).toContain('abandoned');
    // no grace period for a wait: the run ended without the clock moving on
    expect(h.clock.monotonicMs() - at).toBeLessThan(1000);
    expect(h.intent?.step).toBe('start-vllm-ready-service');
  });

  it('gives an operation in flight its grace period, then stops waiting for it', async () => {
    const h = host({ faults: { hangStart: [config.units.studioOverlay[0]!] } });
    h.request('studio-local');
    const abort = new AbortController();
    const running = runController(h, 'studio-local', { signal: abort.signal, interruptGraceMs: 5000 });
    while (!h.performed.some((a) => a.kind === 'start')) await new Promise((r) => setImmediate(r));
    const at = h.clock.monotonicMs();
    abort.abort();
    const record = await running;
    expect(record.outcome).toBe('interrupted');
    expect(record.steps.at(-1)).toMatchObject({ stepId: 'start-studio-local-policy-service', ok: false });
    expect(h.clock.monotonicMs() - at).toBeGreaterThanOrEqual(5000);
    expect(h.clock.monotonicMs() - at).toBeLessThan(config.thresholds.stepTimeoutsMs.start);
    // no rollback: what ran stays, the next run reconciles from there
    expect(record.steps.some((s) => s.phase === 'rollback')).toBe(false);
  });

  it('touches nothing when asked to stop before its first step', async () => {
    const h = host();
    h.request('compute');
    const abort = new AbortController();
    abort.abort();
    const record = await runController(h, 'compute', { signal: abort.signal });
    expect(record.outcome).toBe('interrupted');
    expect(record.firstFailedPredicate?.message).toContain('nothing was touched');
    expect(h.performed).toEqual([]);
    expect(h.intent).toBeNull();
  });
});
