// The pure functions the chart's transitions compute with, on real plans
// (predicates/decide.ts over the facts of a mode): a step's budget, what an
// abandoned or timed-out step records in each phase, the undo list, which
// desired record the run reconciles to, and the notice as it starts.
import { describe, expect, it } from 'vitest';
import { initialContext, type RunContext } from '../../../machines/context.ts';
import { abandonedStep, budgetMs, guarded, isWaitLike, noticeAfter, noticeOpened, OPERATION_SETTLE_MS, reconcileTo, timedOutStep, undoList } from '../../../machines/context-updates.ts';
import { classify } from '../../../predicates/classify.ts';
import { decide } from '../../../predicates/decide.ts';
import { stepTimeoutMs } from '../../../predicates/timeouts.ts';
import type { DesiredRecord, PlanStep } from '../../../schemas/records.ts';
import { workstationConfig as config } from '../support/config.ts';
import { factsFor } from '../support/facts.ts';

let nowMs = 0;
const context = (patch: Partial<RunContext> = {}): RunContext => ({
  ...initialContext({ config, target: 'studio-local', generation: 4, runId: 'r', bootId: 'b', pid: 1, now: () => nowMs, wall: () => '2026-12-04T10:00:00.000Z' }),
  ...patch,
});
const planOf = (from: 'desktop' | 'compute', target: 'studio-local' | 'compute' | 'desktop'): PlanStep[] => decide(target, factsFor(from, config), config).plan;
const studioPlan = planOf('desktop', 'studio-local');
const computePlan = planOf('desktop', 'compute');
const waitStep = computePlan.find((s) => s.action.kind === 'wait')!;
const withoutInverse = computePlan.find((s) => s.inverse === null)!;
const desired = (generation: number, extra: Partial<DesiredRecord> = {}): DesiredRecord =>
  ({ schemaVersion: 1, mode: 'compute', generation, requestedBy: 'alice', requestedAt: '2026-12-04T09:59:00.000Z', ...extra });

describe('a step’s budget', () => {
  const c = context();
  const t = config.thresholds;
  it('an operation: its own timeout and the settling of its tool', () => {
    const step = studioPlan[0]!;
    expect(budgetMs(c, step, 'apply')).toBe(stepTimeoutMs(step.action, config) + OPERATION_SETTLE_MS);
  });
  it('a wait: its own timeout, a last observation and one poll', () => {
    expect(waitStep).toBeDefined();
    expect(budgetMs(c, waitStep, 'apply')).toBe(stepTimeoutMs(waitStep.action, config) + t.stepTimeoutsMs.observe + t.pollIntervalMs);
  });
  it('the undo of a step: its inverse’s timeout', () => {
    const step = { ...studioPlan[0]!, inverse: waitStep.action };
    expect(budgetMs(c, step, 'rollback')).toBe(stepTimeoutMs(waitStep.action, config) + t.stepTimeoutsMs.observe + t.pollIntervalMs);
  });
  it('no step in flight (or none to undo it with): one observation', () => {
    expect(budgetMs(c, undefined, 'apply')).toBe(t.stepTimeoutsMs.observe);
    expect(budgetMs(c, withoutInverse, 'rollback')).toBe(t.stepTimeoutsMs.observe);
  });
});

describe('a step that did not finish', () => {
  const step = studioPlan[0]!;
  it('abandoned while undone records the inverse it was running, and nothing it ran', () => {
    nowMs = 2500;
    const c = context({ stepStartedMs: 1000, stepStartedAt: '2026-12-04T10:00:01.000Z' });
    expect(abandonedStep(c, step, 'rollback')).toEqual({
      stepId: step.id,
      phase: 'rollback',
      action: step.inverse,
      ok: false,
      message: 'abandoned after 1500 ms: the run was asked to stop and stopped waiting for the operation after its grace period; a systemd job it queued is not cancelled',
      startedAt: '2026-12-04T10:00:01.000Z',
      durationMs: 1500,
      commands: [],
    });
  });
  it('abandoned in a wait only stopped waiting', () => {
    expect(abandonedStep(context(), waitStep, 'apply').message).toMatch(/: the run was asked to stop and stopped waiting$/);
  });
  it('timed out while undone records the inverse', () => {
    expect(timedOutStep(context(), step, 'rollback')).toMatchObject({ phase: 'rollback', action: step.inverse, ok: false, commands: [] });
  });
  it('with no inverse, the step’s own action stands in', () => {
    expect(timedOutStep(context(), withoutInverse, 'rollback').action).toEqual(withoutInverse.action);
  });
});

describe('what is wait-like', () => {
  it('a wait and the start of the readiness unit; nothing when there is no action', () => {
    expect(isWaitLike(context(), waitStep.action)).toBe(true);
    expect(isWaitLike(context(), { kind: 'start', unit: config.units.vllmReady })).toBe(true);
    expect(isWaitLike(context(), studioPlan[0]!.action)).toBe(false);
    expect(isWaitLike(context(), null)).toBe(false);
    expect(isWaitLike(context(), undefined)).toBe(false);
  });
});

describe('the undo list', () => {
  it('the inverses of every step that ran, the failed one included, newest first; steps without one are skipped', () => {
    const ran = computePlan.slice(0, computePlan.indexOf(withoutInverse) + 2);
    const c = context({ plan: computePlan, cursor: ran.length - 1 });
    expect(undoList(c).map((s) => s.id)).toEqual(ran.filter((s) => s.inverse !== null).map((s) => s.id).reverse());
    expect(undoList(c)).not.toContain(withoutInverse);
  });
  it('a cursor past the end undoes the whole plan once', () => {
    expect(undoList(context({ plan: studioPlan, cursor: studioPlan.length + 3 })).map((s) => s.id)).toEqual(studioPlan.map((s) => s.id).reverse());
  });
});

describe('reconciling to the desired record', () => {
  it('none: the run keeps its target', () => {
    expect(reconcileTo(context(), null)).toEqual({});
  });
  it('an older generation than the run’s own is ignored; the same or a newer one is followed', () => {
    expect(reconcileTo(context(), desired(3))).toEqual({});
    expect(reconcileTo(context(), desired(4))).toEqual({ target: 'compute', generation: 4, noGrace: false, force: false });
    expect(reconcileTo(context(), desired(9, { noGrace: true, force: true }))).toEqual({ target: 'compute', generation: 9, noGrace: true, force: true });
  });
  it('a run that knows no generation follows any', () => {
    expect(reconcileTo(context({ generation: null }), desired(1))).toMatchObject({ target: 'compute', generation: 1 });
  });
});

describe('the decision', () => {
  const facts = factsFor('desktop', config);
  it('is not made before the run has observed and classified', () => {
    expect(guarded(context())).toEqual({});
    expect(guarded(context({ facts }))).toEqual({});
    expect(guarded(context({ from: classify(facts, config) }))).toEqual({});
  });
  it('once classified: the plan and guards of predicates/decide.ts', () => {
    const from = classify(facts, config);
    expect(guarded(context({ facts, from }))).toMatchObject({ plan: studioPlan, workLeft: null });
  });
});

describe('the notice', () => {
  const request = { user: 'alice', uid: 1000, sessionId: '2', graceMs: 60_000 } as Parameters<typeof noticeOpened>[0];
  it('starts pending, with nothing delivered or refused yet', () => {
    expect(noticeOpened(request)).toEqual({ user: 'alice', uid: 1000, sessionId: '2', graceMs: 60_000, delivery: 'pending', deliveryDetail: null, refusal: null });
  });
  it('a report about no notice changes nothing', () => {
    expect(noticeAfter(null, { type: 'NOTICE_SHOWN', detail: 'x' })).toBeNull();
  });
});
