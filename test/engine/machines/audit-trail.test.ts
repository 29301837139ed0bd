// The exact trail a run leaves: every audit event in order with its run id,
// generation, outcome and reason, the phases and steps of the record, and the
// recovered record of a run that died. Operators read these lines in
// `mode history`, the journal and `mode status`; the other engine tests check
// outcomes, these check the words and the order (and kill the mutants of
// machines/ that only change what is written down).
import { describe, expect, it } from 'vitest';
import { runController } from '../../../machines/run-controller.ts';
import { SimulatedHost, type SimulatedHostOptions } from '../../../simulation/host.ts';
import type { AuditEvent, Intent, TransitionRecord } from '../../../schemas/records.ts';
import { workstationConfig as config } from '../support/config.ts';

const trail = (events: AuditEvent[]) => events.map((e) => [e.event, e.runId, e.target, e.generation, e.outcome, e.reason, e.detail ?? null]);
const outline = (r: TransitionRecord) => ({
  runId: r.runId,
  target: r.target,
  generation: r.generation,
  outcome: r.outcome,
  from: r.from?.mode ?? null,
  finalObservation: r.finalObservation?.mode ?? null,
  firstFailed: r.firstFailedPredicate ? { code: r.firstFailedPredicate.code, message: r.firstFailedPredicate.message, path: r.firstFailedPredicate.path } : null,
  phases: r.phases.map((p) => p.name),
  steps: r.steps.map((s) => [s.phase, s.stepId, s.ok]),
  durationMs: r.durationMs,
  elapsedMs: Date.parse(r.finishedAt) - Date.parse(r.startedAt),
  bootId: r.bootId,
});

const FAILED_JOB = 'Job for audio-priority.service failed because the control process exited with error code.';
const STUDIO_STEPS = ['set-weights-interactive', 'set-weights-ai', 'set-weights-platform', 'start-studio-local-policy-service', 'start-audio-priority-service'];

describe('the trail of a run', () => {
  it('a rolled-back switch: intent, each step and each undo in order, then the outcome naming the failed step', async () => {
    const h = new SimulatedHost({ config, faults: { failStart: ['audio-priority.service'] } });
    h.request('studio-local');
    const record = await runController(h, 'studio-local', { runId: 'r1', pid: 77 });
    const step = (phase: string, id: string, result = 'ok') => ['step', 'r1', 'studio-local', 1, null, `${phase} ${id}: ${result}`, null];
    expect(trail(h.audit)).toEqual([
      ['intent', 'r1', 'studio-local', 1, null, null, null],
      ...STUDIO_STEPS.slice(0, 4).map((id) => step('apply', id)),
      step('apply', 'start-audio-priority-service', FAILED_JOB),
      ...[...STUDIO_STEPS].reverse().map((id) => step('rollback', id)),
      ['outcome', 'r1', 'studio-local', 1, 'rolled-back', `step start-audio-priority-service (start audio-priority.service) failed: ${FAILED_JOB}`, { from: 'desktop', durationMs: record.durationMs, blockedBy: [] }],
    ]);
    expect(outline(record)).toEqual({
      runId: 'r1',
      target: 'studio-local',
      generation: 1,
      outcome: 'rolled-back',
      from: 'desktop',
      finalObservation: 'desktop',
      firstFailed: { code: 'step-failed', message: `step start-audio-priority-service (start audio-priority.service) failed: ${FAILED_JOB}`, path: ['steps', 'start-audio-priority-service'] },
      phases: ['lock', 'desired', 'observe', 'intent', 'apply', 'rollback', 'prove-rollback'],
      steps: [...STUDIO_STEPS.map((id, n) => ['apply', id, n < 4]), ...[...STUDIO_STEPS].reverse().map((id) => ['rollback', id, true])],
      durationMs: record.durationMs,
      elapsedMs: record.durationMs,
      bootId: 'sim-boot',
    });
    expect(record.durationMs).toBeGreaterThan(0);
    expect(record.phases.every((p) => p.durationMs >= 0)).toBe(true);
    expect(record.phases.reduce((sum, p) => sum + p.durationMs, 0)).toBeLessThanOrEqual(record.durationMs);
    expect(h.records.map((r) => r.guards?.verdict)).toEqual(['pass']);
    expect(h.intent).toBeNull();
  });

  it('a run that died: the next run records it as recovered, with who, where and what it found, then reconciles', async () => {
    const h = new SimulatedHost({ config, faults: { dieAfterStep: 'isolate-compute-target' } });
    h.request('compute');
    await expect(runController(h, 'compute', { runId: 'dead', pid: 99, failpoint: h.failpoint })).rejects.toThrow('simulated crash after step isolate-compute-target');
    h.crash();
    h.faults = {};
    const done = await runController(h, 'compute', { runId: 'r2', pid: 100 });
    const why = 'run dead to compute (pid 99, this boot) stopped in or right after step isolate-compute-target (the last step it started) without recording an outcome; run r2 found the machine degraded and reconciles it';
    expect(trail(h.audit)).toEqual([
      // alice's desktop session is in use: she is warned, nobody answers, the switch goes ahead after the grace
      ['notice', 'dead', 'compute', 1, null, 'warning alice (session 2): the switch to compute ends the session in 60 s unless refused', null],
      ['intent', 'dead', 'compute', 1, null, null, null],
      ['step', 'dead', 'compute', 1, null, 'apply terminate-session-2: ok', null],
      ['step', 'dead', 'compute', 1, null, 'apply wait-sessions-closed: ok', null],
      ['step', 'dead', 'compute', 1, null, 'apply isolate-compute-target: ok', null],
      ['recovered', 'dead', 'compute', 1, 'recovered', why, { interruptedRunId: 'dead', lastStep: 'isolate-compute-target', pid: 99, bootId: 'sim-boot', recoveredBy: 'r2', observed: 'degraded' }],
      ['intent', 'r2', 'compute', 1, null, null, null],
      ['step', 'r2', 'compute', 1, null, 'apply wait-gpu-released: ok', null],
      ['step', 'r2', 'compute', 1, null, 'apply start-vllm-service: ok', null],
      ['step', 'r2', 'compute', 1, null, 'apply start-vllm-ready-service: ok', null],
      // the mode it started from is what it found (the dead run's machine), so the counters say what a switch came from
      ['outcome', 'r2', 'compute', 1, 'succeeded', null, { from: 'degraded', durationMs: done.durationMs, blockedBy: [] }],
    ]);
    const [recovered, reconciled] = h.records.map((r) => r.record) as [TransitionRecord, TransitionRecord];
    expect(outline(recovered)).toEqual({
      runId: 'dead',
      target: 'compute',
      generation: 1,
      outcome: 'recovered',
      from: null,
      finalObservation: 'degraded',
      firstFailed: { code: 'run-interrupted', message: why, path: ['intent'] },
      phases: [],
      steps: [],
      durationMs: 0,
      elapsedMs: Date.parse(recovered.finishedAt) - Date.parse(recovered.startedAt),
      bootId: 'sim-boot',
    });
    expect({ guards: recovered.guards, plan: recovered.plan }).toEqual({ guards: null, plan: [] });
    expect(outline(reconciled)).toMatchObject({
      runId: 'r2',
      outcome: 'succeeded',
      from: 'degraded',
      finalObservation: 'compute',
      phases: ['lock', 'desired', 'observe', 'intent', 'apply', 'verify'],
      steps: [
        ['apply', 'wait-gpu-released', true],
        ['apply', 'start-vllm-service', true],
        ['apply', 'start-vllm-ready-service', true],
      ],
    });
    expect(h.intent).toBeNull();
    expect(h.lockHeld).toBe(false);
  });

  it('a blocked run: no intent and no step, one outcome naming the guard', async () => {
    const h = new SimulatedHost({ config, audioProcesses: [{ pid: 4242, name: 'reaper' }] });
    h.request('compute');
    const record = await runController(h, 'compute', { runId: 'r3', pid: 5 });
    expect(trail(h.audit)).toEqual([['outcome', 'r3', 'compute', 1, 'blocked', 'audio process reaper (pid 4242) is running', { from: 'desktop', durationMs: record.durationMs, blockedBy: ['audio-active'] }]]);
    expect(outline(record)).toMatchObject({ outcome: 'blocked', from: 'desktop', finalObservation: null, phases: ['lock', 'desired', 'observe'], steps: [] });
  });
});

/** A state disk that fills up after some intent writes, or an audit log that cannot take step lines (row 23). */
class FailingJournal extends SimulatedHost {
  intentWrites = 0;
  readonly intentsBeforeFull: number;
  readonly auditStepsFail: boolean;
  constructor(options: SimulatedHostOptions & { intentsBeforeFull?: number; auditStepsFail?: boolean }) {
    super(options);
    this.intentsBeforeFull = options.intentsBeforeFull ?? Infinity;
    this.auditStepsFail = options.auditStepsFail ?? false;
  }
  override writeIntent(intent: Intent): Promise<void> {
    this.intentWrites += 1;
    return this.intentWrites > this.intentsBeforeFull ? Promise.reject(new Error('ENOSPC: no space left on device, write')) : super.writeIntent(intent);
  }
  override appendAudit(event: Omit<AuditEvent, 'v' | 'seq' | 'bootId' | 'wall' | 'monoMs'>): Promise<void> {
    return this.auditStepsFail && event.event === 'step' ? Promise.reject(new Error('EIO: i/o error, write')) : super.appendAudit(event);
  }
}

describe('a run that cannot journal itself fails closed away from desktop and always gets back', () => {
  it('to compute: the first step is not run once the intent cannot be rewritten; the run rolls back to a proven desktop', async () => {
    const h = new FailingJournal({ config, intentsBeforeFull: 1 });
    const record = await runController(h, 'compute', { runId: 'j1' });
    expect(outline(record)).toMatchObject({
      outcome: 'rolled-back',
      finalObservation: 'desktop',
      firstFailed: {
        code: 'journal-unwritable',
        message: 'step terminate-session-2 not run: the intent could not be journaled (ENOSPC: no space left on device, write); a run away from desktop fails closed without its journal',
      },
      steps: [['apply', 'terminate-session-2', false]],
    });
    expect(h.performed).toEqual([]);
  });

  it('to compute: a step that ran but could not be audited fails the run, which says what it did and rolls back', async () => {
    const h = new FailingJournal({ config, auditStepsFail: true });
    const record = await runController(h, 'compute', { runId: 'j2' });
    expect(outline(record)).toMatchObject({
      outcome: 'rolled-back',
      finalObservation: 'desktop',
      firstFailed: {
        code: 'journal-unwritable',
        message: 'step terminate-session-2 ran, session 2 terminated; but the audit log could not record it (EIO: i/o error, write), so the run fails closed and rolls back',
      },
      steps: [['apply', 'terminate-session-2', false]],
    });
    expect(h.performed).toHaveLength(1);
  });

  it.each([
    ['a full state disk', { intentsBeforeFull: 1 }],
    ['an audit log that takes no step lines', { auditStepsFail: true }],
  ])('to desktop with %s: every step runs and the switch is proven', async (_, journal) => {
    const h = new FailingJournal({ config, mode: 'compute', ...journal });
    const record = await runController(h, 'desktop', { runId: 'j3' });
    expect(outline(record)).toMatchObject({
      outcome: 'succeeded',
      finalObservation: 'desktop',
      steps: ['stop-vllm-ready-service', 'stop-vllm-service', 'wait-vllm-gone', 'isolate-desktop-target', 'wait-graphical-up'].map((id) => ['apply', id, true]),
    });
  });

  it('a rollback goes on without its journal: every undo runs and desktop is proven', async () => {
    const h = new FailingJournal({ config, intentsBeforeFull: 3, faults: { failStart: ['audio-priority.service'] } });
    const record = await runController(h, 'studio-local', { runId: 'j4' });
    expect(outline(record)).toMatchObject({
      outcome: 'rolled-back',
      finalObservation: 'desktop',
      firstFailed: { code: 'journal-unwritable' },
      steps: [
        ['apply', 'set-weights-interactive', true],
        ['apply', 'set-weights-ai', true],
        ['apply', 'set-weights-platform', false],
        ['rollback', 'set-weights-platform', true],
        ['rollback', 'set-weights-ai', true],
        ['rollback', 'set-weights-interactive', true],
      ],
    });
  });
});

describe('what a recovered run says about the run that died', () => {
  const intent = (step: string, bootId: string | null): Intent => ({ schemaVersion: 1, runId: 'gone', target: 'studio-local', generation: 3, step, startedAt: '2026-11-26T09:00:00.000Z', bootId, pid: 4321 });
  it.each([
    ['isolate-compute-target', 'sim-boot', 'in or right after step isolate-compute-target (the last step it started)', 'this boot'],
    ['planned', 'sim-boot', 'after journaling its intent, before its first step', 'this boot'],
    ['set-weights-ai', 'an-older-boot', 'in or right after step set-weights-ai (the last step it started)', 'an earlier boot (a reboot or power loss)'],
    ['set-weights-ai', null, 'in or right after step set-weights-ai (the last step it started)', 'an unknown boot'],
  ])('step %s, boot %s', async (step, bootId, where, boot) => {
    const h = new SimulatedHost({ config });
    await h.writeIntent(intent(step, bootId));
    await runController(h, 'desktop', { runId: 'next' });
    const recovered = h.records[0]!.record;
    expect(recovered.firstFailedPredicate).toEqual({
      code: 'run-interrupted',
      message: `run gone to studio-local (pid 4321, ${boot}) stopped ${where} without recording an outcome; run next found the machine desktop and reconciles it`,
      path: ['intent'],
      evidence: [{ fact: 'intent', source: null, lines: [JSON.stringify(intent(step, bootId))] }],
    });
    expect(recovered).toMatchObject({ runId: 'gone', target: 'studio-local', generation: 3, outcome: 'recovered', durationMs: 0 });
  });
});

describe('when the host port itself fails', () => {
  const hang = () => new Promise<never>(() => undefined);
  it.each<[string, (h: SimulatedHost) => void, { outcome: string; code: string | null; message: string | null; phases: string[]; performed: number; records: number }]>([
    ['the lock cannot be taken', (h) => (h.lock = () => Promise.reject(new Error('flock: /run is read-only'))), { outcome: 'blocked', code: 'lock-failed', message: 'the controller lock could not be taken: flock: /run is read-only', phases: ['lock'], performed: 0, records: 0 }],
    ['taking the lock never ends', (h) => (h.lock = hang), { outcome: 'blocked', code: 'lock-failed', message: 'taking the controller lock timed out', phases: ['lock'], performed: 0, records: 0 }],
    ['observing fails', (h) => (h.observe = () => Promise.reject(new Error('EIO reading /proc'))), { outcome: 'blocked', code: 'observe-failed', message: 'observing the host failed before anything was touched: EIO reading /proc', phases: ['lock', 'desired', 'observe'], performed: 0, records: 1 }],
    ['observing never ends', (h) => (h.observe = hang), { outcome: 'blocked', code: 'observe-timeout', message: 'observing the host timed out before anything was touched', phases: ['lock', 'desired', 'observe'], performed: 0, records: 1 }],
    ['desired.json cannot be read', (h) => (h.readDesired = () => Promise.reject(new Error('EACCES'))), { outcome: 'succeeded', code: null, message: null, phases: ['lock', 'desired', 'observe', 'intent', 'apply', 'verify'], performed: 5, records: 1 }],
    ['the intent journal cannot be read', (h) => (h.readIntent = () => Promise.reject(new Error('EACCES'))), { outcome: 'succeeded', code: null, message: null, phases: ['lock', 'desired', 'observe', 'intent', 'apply', 'verify'], performed: 5, records: 1 }],
    ['the record cannot be written', (h) => (h.writeRecord = () => Promise.reject(new Error('ENOSPC'))), { outcome: 'succeeded', code: null, message: null, phases: ['lock', 'desired', 'observe', 'intent', 'apply', 'verify'], performed: 5, records: 0 }],
  ])('%s', async (_, fail, expected) => {
    const h = new SimulatedHost({ config });
    fail(h);
    const record = await runController(h, 'studio-local', { runId: 'p' });
    expect({
      outcome: record.outcome,
      code: record.firstFailedPredicate?.code ?? null,
      message: record.firstFailedPredicate?.message ?? null,
      phases: record.phases.map((p) => p.name),
      performed: h.performed.length,
      records: h.records.length,
    }).toEqual(expected);
    // whatever failed, the lock is given back
    expect(h.lockHeld).toBe(false);
  });

  it('an intent that cannot be cleared is left for the next run, which finds the machine there', async () => {
    const h = new SimulatedHost({ config });
    const clear = h.clearIntent.bind(h);
    h.clearIntent = () => Promise.reject(new Error('EROFS'));
    expect((await runController(h, 'studio-local', { runId: 'p1' })).outcome).toBe('succeeded');
    expect(h.intent?.runId).toBe('p1');
    h.clearIntent = clear;
    const next = await runController(h, 'studio-local', { runId: 'p2' });
    expect(next.outcome).toBe('noop');
    expect(h.records.map((r) => [r.record.runId, r.record.outcome])).toEqual([
      ['p1', 'succeeded'],
      ['p1', 'recovered'],
      ['p2', 'noop'],
    ]);
    expect(h.intent).toBeNull();
  });
});
