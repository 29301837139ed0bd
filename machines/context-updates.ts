// What the chart's transitions compute from the run's context: step budgets,
// the rollback list, the reconciled target, the observation and the decision (plan
// and guards, by predicates/decide.ts). Pure functions, kept apart so the chart file reads as the chart.
import { decide } from '../predicates/decide.ts';
import { isReadinessWait, stepTimeoutMs } from '../predicates/timeouts.ts';
import type { NoticeRequest } from '../predicates/notice.ts';
import type { Action, DesiredRecord, NoticeRecord, PlanStep, StepRecord } from '../schemas/records.ts';
import type { NoticeDelivery, NoticeReport } from './host.ts';
import type { ApplyStepInput } from './actors.ts';
import { intentOf, type RunContext } from './context.ts';
import type { Observation } from './observation.ts';
import { actionFor, journalName, phaseOf, type StepSlot } from './step-phase.ts';
import { workLeftRunning } from '../predicates/work.ts';

/**
 * Past an operation's own timeout, the time its tool gets to be killed and
 * its queued systemd job cancelled (effects/actuate: SIGTERM, SIGKILL after
 * 2 s, `systemctl cancel` within 3 s): the tool's deadline fires first and
 * the chart's is only the backstop.
 */
export const OPERATION_SETTLE_MS = 8000;

/** How long the chart lets one step run: its own timeout, plus a last observation for waits, or the settling of an operation. */
export function budgetMs(context: RunContext, step: PlanStep | undefined, slot: StepSlot): number {
  const action = step && actionFor(step, phaseOf(slot));
  if (!action) return context.config.thresholds.stepTimeoutsMs.observe;
  const extra = action.kind === 'wait' ? context.config.thresholds.stepTimeoutsMs.observe + context.config.thresholds.pollIntervalMs : OPERATION_SETTLE_MS;
  return stepTimeoutMs(action, context.config) + extra;
}

/** The step in flight: the plan's next step while applying, the first inverse left while undoing, the workload manager's step. */
export function currentStep(context: RunContext, slot: StepSlot): PlanStep | undefined {
  if (slot === 'work') return context.workStep ?? undefined;
  return slot === 'apply' ? context.plan[context.cursor] : context.undo[0];
}

/** What the applyStep actor gets: the step, and the intent naming it, journaled before it runs. */
export function stepInput(context: RunContext, slot: StepSlot): ApplyStepInput {
  const step = currentStep(context, slot)!;
  const phase = phaseOf(slot);
  return { step, phase, intent: intentOf(context, journalName(step.id, phase)) };
}

export function timedOutStep(context: RunContext, step: PlanStep, slot: StepSlot): StepRecord {
  const phase = phaseOf(slot);
  const action = actionFor(step, phase) ?? step.action;
  const durationMs = Math.max(0, context.now() - context.stepStartedMs);
  return {
    stepId: step.id,
    phase,
    action,
    ok: false,
    message: `timed out after ${durationMs} ms (budget ${budgetMs(context, step, slot)} ms); the operation was cancelled`,
    startedAt: context.stepStartedAt,
    durationMs,
    commands: [],
  };
}

/** A step in flight when the run was asked to stop, and left to systemd: its job (if any) is not cancelled. */
export function abandonedStep(context: RunContext, step: PlanStep, slot: StepSlot): StepRecord {
  const phase = phaseOf(slot);
  const action = actionFor(step, phase) ?? step.action;
  const durationMs = Math.max(0, context.now() - context.stepStartedMs);
  const what = isWaitLike(context, action) ? 'stopped waiting' : 'stopped waiting for the operation after its grace period; a systemd job it queued is not cancelled';
  return {
    stepId: step.id,
    phase,
    action,
    ok: false,
    message: `abandoned after ${Math.round(durationMs)} ms: the run was asked to stop and ${what}`,
    startedAt: context.stepStartedAt,
    durationMs,
    commands: [],
  };
}

/** Waits, and the start of the vLLM readiness unit (which is the readiness wait), change nothing by stopping early. */
export function isWaitLike(context: RunContext, action: Action | null | undefined): boolean {
  return action !== null && action !== undefined && isReadinessWait(action, context.config);
}

/** Inverses of every step that ran (the failed one included), newest first. */
export function undoList(context: RunContext): PlanStep[] {
  return context.plan
    .slice(0, Math.min(context.cursor + 1, context.plan.length))
    .filter((s) => s.inverse !== null)
    .reverse();
}

export function reconcileTo(context: RunContext, desired: DesiredRecord | null): Partial<RunContext> {
  if (desired === null) return {};
  if (context.generation !== null && desired.generation < context.generation) return {};
  return { target: desired.mode, generation: desired.generation, noGrace: desired.noGrace === true, force: desired.force === true };
}

/** The run's first observation, as observeAndRecord classified it. */
export function observed(observation: Observation): Partial<RunContext> {
  return { facts: observation.facts, from: observation.classification };
}

/** The plan and its guards, decided from the observation the run already classified. */
export function guarded(context: RunContext): Partial<RunContext> {
  if (!context.facts || !context.from) return {};
  const { plan, guards, notice } = decide(context.target, context.facts, context.config, context.from, { drained: context.workDrained });
  return { guards, plan, noticeRequest: notice, workLeft: workLeftRunning(guards, context.force) };
}

/** The warning as the record starts it: shown or not is learned next. */
export function noticeOpened(request: NoticeRequest): NoticeRecord {
  return { user: request.user, uid: request.uid, sessionId: request.sessionId, graceMs: request.graceMs, delivery: 'pending', deliveryDetail: null, refusal: null };
}

/** The record's notice after one report of the countdown. */
export function noticeAfter(notice: NoticeRecord | null, event: NoticeReport): NoticeRecord | null {
  if (notice === null) return null;
  switch (event.type) {
    case 'NOTICE_SHOWN':
      return { ...notice, delivery: 'shown', deliveryDetail: event.detail };
    case 'NOTICE_UNDELIVERED':
      return { ...notice, delivery: 'unwarned', deliveryDetail: event.reason };
    case 'REFUSED':
      return { ...notice, refusal: { by: event.by, via: event.via, at: event.at } };
  }
}

/** What the host can show: the decision's request, named for this run. */
export function noticeDelivery(context: RunContext): NoticeDelivery {
  return { ...context.noticeRequest!, runId: context.runId, target: context.target, generation: context.generation };
}
