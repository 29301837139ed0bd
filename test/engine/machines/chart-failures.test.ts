// Every way the chart itself can fail a run, driven through a host whose port
// calls throw or never answer: the outcome, the coded reason an operator
// reads (exact words), what was touched, and that the run still records,
// clears and unlocks as it should. A bookkeeping call that hangs must not
// hang the run: each has its own bound.
import { describe, expect, it } from 'vitest';
import { JOURNAL_WRITE_BOUND_MS } from '../../../machines/actors.ts';
import { runController } from '../../../machines/run-controller.ts';
import type { ModeName } from '../../../schemas/names.ts';
import type { TransitionRecord } from '../../../schemas/records.ts';
import type { SimulatedHost } from '../../../simulation/host.ts';
import { DISK_FULL, TroubledHost, type Trouble } from '../support/troubled-host.ts';
import { workstationConfig as config } from '../support/config.ts';

const OBSERVE_MS = config.thresholds.stepTimeoutsMs.observe;

async function run(troubles: Trouble[], target: ModeName = 'studio-local', setUp?: (h: TroubledHost) => Promise<void>) {
  const h = new TroubledHost(troubles);
  await setUp?.(h);
  h.request(target);
  const startedMs = h.clock.monotonicMs();
  const record = await runController(h, target, { runId: 'r1' });
  return { h, record, elapsedMs: h.clock.monotonicMs() - startedMs };
}

const failure = (r: TransitionRecord) => (r.firstFailedPredicate ? { code: r.firstFailedPredicate.code, message: r.firstFailedPredicate.message } : null);
const outcomeEvents = (h: SimulatedHost) => h.audit.filter((e) => e.event === 'outcome').map((e) => [e.outcome, e.reason]);

describe('the lock', () => {
  it('that cannot be taken blocks the run before it observes or touches anything', async () => {
    const { h, record } = await run([{ call: 'lock', kind: 'throw' }]);
    expect([record.outcome, failure(record)]).toEqual(['blocked', { code: 'lock-failed', message: `the controller lock could not be taken: lock: ${DISK_FULL}` }]);
    expect([h.observations, h.performed, h.intents, record.phases.map((p) => p.name)]).toEqual([0, [], [], ['lock']]);
  });

  it('that never answers blocks the run after the observe bound plus the lock wait, untouched', async () => {
    const h = new TroubledHost([{ call: 'lock', kind: 'hang' }]);
    h.request('studio-local');
    const record = await runController(h, 'studio-local', { runId: 'r1', lockWaitMs: 5000 });
    expect([record.outcome, failure(record)]).toEqual(['blocked', { code: 'lock-failed', message: 'taking the controller lock timed out' }]);
    expect([h.clock.monotonicMs(), h.observations, h.performed]).toEqual([OBSERVE_MS + 5000, 0, []]);
  });

  it('held by another run makes this one busy, naming the holder', async () => {
    const { h, record } = await run([], 'studio-local', async (host) => void (await host.lock()));
    expect([record.outcome, failure(record)]).toEqual(['busy', { code: 'lock-held', message: 'another controller run holds the lock (another simulated run); nothing was touched' }]);
    expect([h.observations, h.performed]).toEqual([0, []]);
  });

  it('whose release hangs still ends the run with its outcome recorded', async () => {
    const { h, record, elapsedMs } = await run([{ call: 'release', kind: 'hang' }]);
    expect([record.outcome, h.lockHeld, outcomeEvents(h)]).toEqual(['succeeded', true, [['succeeded', null]]]);
    expect(elapsedMs).toBeGreaterThanOrEqual(OBSERVE_MS);
  });
});

describe('the first observation', () => {
  it('that fails blocks the run, touching nothing', async () => {
    const { h, record } = await run([{ call: 'observe', kind: 'throw', onCall: 1 }]);
    expect([record.outcome, failure(record)]).toEqual(['blocked', { code: 'observe-failed', message: `observing the host failed before anything was touched: observe: ${DISK_FULL}` }]);
    expect([h.performed, h.intents, h.lockHeld, record.phases.map((p) => p.name)]).toEqual([[], [], false, ['lock', 'desired', 'observe']]);
  });

  it('that never answers blocks the run at the observe bound, touching nothing', async () => {
    const { h, record, elapsedMs } = await run([{ call: 'observe', kind: 'hang', onCall: 1 }]);
    expect([record.outcome, failure(record), elapsedMs]).toEqual(['blocked', { code: 'observe-timeout', message: 'observing the host timed out before anything was touched' }, OBSERVE_MS]);
    expect([h.performed, h.intents, h.lockHeld, outcomeEvents(h)]).toEqual([[], [], false, [['blocked', 'observing the host timed out before anything was touched']]]);
  });
});

describe('the journal', () => {
  it('that cannot hold the intent blocks a run away from desktop before its first step', async () => {
    const { h, record } = await run([{ call: 'writeIntent', kind: 'throw' }]);
    expect([record.outcome, failure(record)]).toEqual(['blocked', { code: 'intent-unwritable', message: `the run's intent could not be journaled, so nothing was touched: writeIntent: ${DISK_FULL}` }]);
    expect([h.performed, h.lockHeld]).toEqual([[], false]);
  });

  it('that never answers blocks a run away from desktop at the bookkeeping bound', async () => {
    const { h, record, elapsedMs } = await run([{ call: 'writeIntent', kind: 'hang' }]);
    expect([record.outcome, failure(record), elapsedMs]).toEqual(['blocked', { code: 'intent-unwritable', message: 'journaling the intent timed out; nothing was touched' }, OBSERVE_MS]);
    expect(h.performed).toEqual([]);
  });

  it.each(['throw', 'hang'] as const)('that does not hold the intent (%s) never stops the way back to desktop', async (kind) => {
    const h = new TroubledHost([]);
    h.request('studio-local');
    expect((await runController(h, 'studio-local', { runId: 'r0' })).outcome).toBe('succeeded');
    h.troubles.push({ call: 'writeIntent', kind });
    h.request('desktop');
    const record = await runController(h, 'desktop', { runId: 'r1' });
    expect([record.outcome, record.firstFailedPredicate, record.finalObservation?.mode]).toEqual(['succeeded', null, 'desktop']);
    expect(record.steps.every((s) => s.phase === 'apply' && s.ok)).toBe(true);
  });

  it('that stops answering once the run is under way fails the next step closed, unrun, and the run rolls back', async () => {
    const { h, record } = await run([{ call: 'writeIntent', kind: 'hang', onCall: 3 }]);
    const unrun = record.steps[1]!;
    expect([unrun.stepId, unrun.ok, unrun.durationMs, unrun.commands]).toEqual(['set-weights-ai', false, 0, []]);
    const message = `not run: the intent could not be journaled (no answer within ${JOURNAL_WRITE_BOUND_MS} ms); a run away from desktop fails closed without its journal`;
    expect([record.outcome, failure(record), unrun.message]).toEqual(['rolled-back', { code: 'journal-unwritable', message: `step set-weights-ai ${message}` }, message]);
    expect(h.performed.filter((a) => a.kind === 'set-property')).toHaveLength(3);
  });

  it('whose reads hang: the run goes on without the interrupted run and the desired mode, each after its own bound', async () => {
    const { record, elapsedMs } = await run([
      { call: 'readIntent', kind: 'hang' },
      { call: 'readDesired', kind: 'hang' },
    ]);
    expect([record.outcome, record.target]).toEqual(['succeeded', 'studio-local']);
    expect(elapsedMs).toBeGreaterThanOrEqual(2 * OBSERVE_MS);
  });

  it('whose reads fail: the run goes on as if nothing was journaled or desired', async () => {
    const { h, record } = await run([
      { call: 'readIntent', kind: 'throw' },
      { call: 'readDesired', kind: 'throw' },
    ]);
    expect([record.outcome, record.target, h.audit.map((e) => e.event)]).toEqual(['succeeded', 'studio-local', ['intent', ...Array<string>(5).fill('step'), 'outcome']]);
  });

  it.each(['throw', 'hang'] as const)('whose record and intent clearing %s: the run still ends, unlocked, with its outcome', async (kind) => {
    const { h, record } = await run([
      { call: 'writeRecord', kind },
      { call: 'clearIntent', kind },
    ]);
    expect([record.outcome, h.lockHeld, h.records.length]).toEqual(['succeeded', false, 0]);
    expect(h.intent?.runId).toBe('r1');
  });
});

describe('a step', () => {
  it('whose operation raises is rolled back, naming the step and the error', async () => {
    const { h, record } = await run([{ call: 'perform', kind: 'throw', onCall: 2 }]);
    expect([record.outcome, failure(record)]).toEqual(['rolled-back', { code: 'step-error', message: `step set-weights-ai raised: perform: ${DISK_FULL}` }]);
    expect(record.steps.map((s) => [s.phase, s.stepId, s.ok])).toEqual([
      ['apply', 'set-weights-interactive', true],
      // the step that raised may have half-happened: it is undone too
      ['rollback', 'set-weights-ai', true],
      ['rollback', 'set-weights-interactive', true],
    ]);
    expect(h.lockHeld).toBe(false);
  });

  it('that never returns times out, is recorded with its budget, and is rolled back', async () => {
    const { record } = await run([{ call: 'perform', kind: 'hang', onCall: 1 }]);
    const timedOut = record.steps[0]!;
    expect([record.outcome, failure(record)]).toEqual(['rolled-back', { code: 'step-timeout', message: `step set-weights-interactive ${timedOut.message}` }]);
    expect([timedOut.phase, timedOut.stepId, timedOut.ok]).toEqual(['apply', 'set-weights-interactive', false]);
  });
});

describe('the verifying observation', () => {
  it('that fails rolls the switch back, and the rollback is proven', async () => {
    const { record } = await run([{ call: 'observe', kind: 'throw', onCall: 2 }]);
    expect([record.outcome, failure(record), record.finalObservation?.mode]).toEqual(['rolled-back', { code: 'verify-failed', message: `the verifying observation failed: observe: ${DISK_FULL}` }, 'desktop']);
    expect(record.phases.map((p) => p.name)).toEqual(['lock', 'desired', 'observe', 'intent', 'apply', 'verify', 'rollback', 'prove-rollback']);
  });

  it('that never answers rolls the switch back after the observe bound', async () => {
    const { record } = await run([{ call: 'observe', kind: 'hang', onCall: 2 }]);
    expect([record.outcome, failure(record), record.finalObservation?.mode]).toEqual(['rolled-back', { code: 'verify-timeout', message: 'the verifying observation timed out' }, 'desktop']);
    expect(record.phases.find((p) => p.name === 'verify')?.durationMs).toBe(OBSERVE_MS);
  });
});

describe('the observation that proves a rollback', () => {
  it.each(['throw', 'hang'] as const)('that does not answer (%s) leaves the run degraded, with no mode proven', async (kind) => {
    const { h, record } = await run([
      { call: 'observe', kind: 'throw', onCall: 2 },
      { call: 'observe', kind, onCall: 3 },
    ]);
    expect([record.outcome, failure(record)?.code, record.finalObservation, h.lockHeld]).toEqual(['degraded', 'verify-failed', null, false]);
    expect(outcomeEvents(h)).toEqual([['degraded', `the verifying observation failed: observe: ${DISK_FULL}`]]);
  });
});
