// Where the run's time goes, on a host whose port calls take known times: each
// phase of the record measures its own state and nothing before it, and a
// bookkeeping call that fails (rather than hangs) costs no bound. The way
// back runs every undo even when one raises or hangs, and a rollback that
// cannot be proven forgets what verification saw.
import { describe, expect, it } from 'vitest';
import { runController } from '../../../machines/run-controller.ts';
import type { ModeName } from '../../../schemas/names.ts';
import type { Intent, TransitionRecord } from '../../../schemas/records.ts';
import type { SimulatedHostOptions } from '../../../simulation/host.ts';
import { workstationConfig as config } from '../support/config.ts';
import { TroubledHost, type Trouble } from '../support/troubled-host.ts';

const OBSERVE_MS = config.thresholds.stepTimeoutsMs.observe;
const phase = (r: TransitionRecord, name: string) => r.phases.find((p) => p.name === name)?.durationMs;
const stepsMs = (r: TransitionRecord, phaseName: 'apply' | 'rollback') => r.steps.filter((s) => s.phase === phaseName).reduce((sum, s) => sum + s.durationMs, 0);
const gone: Intent = { schemaVersion: 1, runId: 'gone', target: 'studio-local', generation: 3, step: 'set-weights-ai', startedAt: '2026-11-26T09:00:00.000Z', bootId: 'sim-boot', pid: 4321 };

async function run(troubles: Trouble[], target: ModeName = 'studio-local', options: Partial<SimulatedHostOptions> = {}, setUp?: (h: TroubledHost) => Promise<void>) {
  const h = new TroubledHost(troubles, options);
  await setUp?.(h);
  h.request(target);
  const startedMs = h.clock.monotonicMs();
  const record = await runController(h, target, { runId: 'r1' });
  return { h, record, elapsedMs: h.clock.monotonicMs() - startedMs };
}

describe('each phase measures its own state', () => {
  it('lock, desired, observe, intent, apply and verify: the time of their own calls', async () => {
    const { record, elapsedMs } = await run([
      { call: 'lock', kind: 'slow', ms: 11 },
      { call: 'readIntent', kind: 'slow', ms: 1300 },
      { call: 'readDesired', kind: 'slow', ms: 170 },
      { call: 'observe', kind: 'slow', ms: 700 },
      { call: 'writeIntent', kind: 'slow', ms: 90, onCall: 1 },
    ]);
    expect(record.outcome).toBe('succeeded');
    expect([phase(record, 'lock'), phase(record, 'desired'), phase(record, 'observe'), phase(record, 'intent'), phase(record, 'verify')]).toEqual([11, 170, 700, 90, 700]);
    expect(phase(record, 'apply')).toBe(stepsMs(record, 'apply'));
    // and nothing after the record waits for a bound
    expect(elapsedMs).toBe(record.durationMs);
  });

  it('the notice: its grace, not the observation before it', async () => {
    const { record } = await run([{ call: 'observe', kind: 'slow', ms: 700 }], 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(phase(record, 'notice')).toBe(60_000);
  });

  it('rollback and its proof: the undos, then one observation', async () => {
    const { record } = await run([{ call: 'observe', kind: 'slow', ms: 700 }], 'studio-local', { faults: { failStart: ['audio-priority.service'] } });
    expect(record.outcome).toBe('rolled-back');
    expect([phase(record, 'rollback'), phase(record, 'prove-rollback')]).toEqual([stepsMs(record, 'rollback'), 700]);
  });
});

describe('bookkeeping that fails costs no bound', () => {
  it('a recovery record that cannot be written: the run goes on at once and records its own outcome', async () => {
    const { h, record, elapsedMs } = await run([{ call: 'writeRecord', kind: 'throw', onCall: 1 }], 'studio-local', {}, (h) => h.writeIntent(gone));
    expect(record.outcome).toBe('succeeded');
    expect(h.records.map((r) => r.record.runId)).toEqual(['r1']);
    expect(elapsedMs).toBe(record.durationMs);
    expect(elapsedMs).toBeLessThan(OBSERVE_MS);
  });

  it('a recovery record that never lands: the run goes on after the bookkeeping bound', async () => {
    const { record, elapsedMs } = await run([{ call: 'writeRecord', kind: 'hang', onCall: 1 }], 'studio-local', {}, (h) => h.writeIntent(gone));
    expect(record.outcome).toBe('succeeded');
    expect(elapsedMs).toBeGreaterThanOrEqual(OBSERVE_MS);
  });

  it('the intent of a run to desktop cannot be written: it goes on applying without it', async () => {
    const { h, record } = await run([{ call: 'writeIntent', kind: 'throw', onCall: 1 }], 'desktop', { mode: 'studio-local' });
    expect([record.outcome, record.firstFailedPredicate]).toEqual(['succeeded', null]);
    // straight on from the failed journal to the plan: one pass through each phase, every step applied once
    expect(record.phases.map((p) => p.name)).toEqual(['lock', 'desired', 'observe', 'intent', 'apply', 'verify']);
    expect(record.steps.map((s) => [s.phase, s.ok])).toEqual(record.plan.map(() => ['apply', true]));
    expect(h.performed).toHaveLength(record.plan.length);
    // at once, not after the bookkeeping bound that also leads there
    expect(phase(record, 'intent')).toBe(0);
  });
});

describe('the way back', () => {
  const failing = { faults: { failStart: ['audio-priority.service'] } };
  it('an undo that raises: the others still run, at once, and the proof decides', async () => {
    // perform 5 is the failed start; 6 is the first undo, and all five are attempted
    const { h, record, elapsedMs } = await run([{ call: 'perform', kind: 'throw', onCall: 6 }], 'studio-local', failing);
    const undone = record.steps.filter((s) => s.phase === 'rollback').map((s) => s.stepId);
    expect(undone).toEqual(['start-studio-local-policy-service', 'set-weights-platform', 'set-weights-ai', 'set-weights-interactive']);
    expect(h.calls.get('perform')).toBe(10);
    expect(elapsedMs).toBeLessThan(OBSERVE_MS);
    expect(record.outcome).toBe('rolled-back');
  });

  it('an undo that hangs: timed out at its budget, recorded, and the others still run', async () => {
    const { record } = await run([{ call: 'perform', kind: 'hang', onCall: 6 }], 'studio-local', failing);
    const undos = record.steps.filter((s) => s.phase === 'rollback');
    expect(undos[0]).toMatchObject({ stepId: 'start-audio-priority-service', ok: false });
    expect(undos[0]!.message).toMatch(/^timed out after \d+ ms \(budget \d+ ms\); the operation was cancelled$/);
    expect(undos).toHaveLength(5);
  });

  it.each(['throw', 'hang'] as const)('a rollback whose proof does not answer (%s) after an unproven switch forgets what verification saw', async (kind) => {
    const { record } = await run([{ call: 'observe', kind, onCall: 3 }], 'studio-local', { faults: { crashAfterStart: ['audio-priority.service'] } });
    expect([record.outcome, record.finalObservation]).toEqual(['degraded', null]);
    expect(phase(record, 'prove-rollback')).toBe(kind === 'throw' ? 0 : OBSERVE_MS);
  });
});
