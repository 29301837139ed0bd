// What the chart's transitions compute from the run's context: step budgets,
// the rollback list, the reconciled target, classification and guards. Pure
// functions, kept apart so the chart file reads as the chart.
import { classify } from '../predicates/classify.ts';
import { evaluateGuards } from '../predicates/guards.ts';
import { planTransition } from '../predicates/plan.ts';
import { stepTimeoutMs } from '../predicates/timeouts.ts';
import type { Facts } from '../schemas/facts.ts';
import type { DesiredRecord, PlanStep, StepRecord } from '../schemas/records.ts';
import type { StepPhase } from './apply-step.ts';
import type { RunContext } from './context.ts';

/** How long the chart lets one step run: its own timeout, plus a last observation for waits. */
export function budgetMs(context: RunContext, step: PlanStep | undefined, phase: StepPhase): number {
  const action = phase === 'apply' ? step?.action : step?.inverse;
  if (!action) return context.config.thresholds.stepTimeoutsMs.observe;
  const extra = action.kind === 'wait' ? context.config.thresholds.stepTimeoutsMs.observe + context.config.thresholds.pollIntervalMs : 0;
  return stepTimeoutMs(action, context.config) + extra;
}

export function timedOutStep(context: RunContext, step: PlanStep, phase: StepPhase): StepRecord {
  const action = (phase === 'apply' ? step.action : step.inverse) ?? step.action;
  const durationMs = Math.max(0, context.now() - context.stepStartedMs);
  return {
    stepId: step.id,
    phase,
    action,
    ok: false,
    message: `timed out after ${durationMs} ms (budget ${budgetMs(context, step, phase)} ms); the operation was cancelled`,
    startedAt: context.stepStartedAt,
    durationMs,
    commands: [],
  };
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
  return { target: desired.mode, generation: desired.generation };
}

export function observed(context: RunContext, facts: Facts): Partial<RunContext> {
  return { facts, from: classify(facts, context.config) };
}

export function guarded(context: RunContext): Partial<RunContext> {
  if (!context.facts || !context.from) return {};
  return {
    guards: evaluateGuards(context.target, context.facts, context.config, context.from.mode),
    plan: planTransition(context.from.mode, context.target, context.facts, context.config),
  };
}
