// The chart's effect actors, built from a Host. The chart declares them by
// name with "not provided" defaults; runController supplies actorsFor(host),
// tests supply a simulated host, so the same chart runs everywhere.
import { fromPromise } from 'xstate';
import type { Facts } from '../schemas/facts.ts';
import type { DesiredRecord, GuardReport, Intent, PlanStep, TransitionRecord } from '../schemas/records.ts';
import { runStep, type StepOutcome, type StepPhase } from './apply-step.ts';
import type { HeldLock } from './context.ts';
import type { Host, LockResult } from './host.ts';

export interface ActorHooks {
  /** called after each step (`<id>` on apply, `rollback-<id>` on rollback) and after `intent-written`; may throw to simulate death */
  failpoint?: (stepId: string) => void;
}

export interface ApplyStepInput {
  step: PlanStep;
  phase: StepPhase;
  intent: Intent | null;
}

export function actorsFor(host: Host, hooks: ActorHooks = {}) {
  const failpoint = hooks.failpoint ?? (() => undefined);
  return {
    acquireLock: fromPromise<LockResult, void>(() => host.lock()),
    readDesired: fromPromise<DesiredRecord | null, void>(() => host.readDesired()),
    observe: fromPromise<Facts, void>(({ signal }) => host.observe(signal)),
    writeIntent: fromPromise<void, Intent>(async ({ input }) => {
      await host.writeIntent(input);
      await host.appendAudit({ runId: input.runId, event: 'intent', target: input.target, generation: input.generation, outcome: null, reason: null });
      failpoint('intent-written');
    }),
    applyStep: fromPromise<StepOutcome, ApplyStepInput>(async ({ input, signal }) => {
      if (input.intent) await host.writeIntent(input.intent);
      const outcome = await runStep(host, input.step, input.phase, signal);
      await host.appendAudit({
        runId: input.intent?.runId ?? null,
        event: 'step',
        target: input.intent?.target ?? null,
        generation: input.intent?.generation ?? null,
        outcome: null,
        reason: `${input.phase} ${input.step.id}: ${outcome.record.ok ? 'ok' : outcome.record.message}`,
      });
      failpoint(input.phase === 'apply' ? input.step.id : `rollback-${input.step.id}`);
      return outcome;
    }),
    record: fromPromise<void, { record: TransitionRecord; guards: GuardReport | null }>(async ({ input }) => {
      await host.writeRecord(input.record, input.guards);
      const r = input.record;
      await host.appendAudit({
        runId: r.runId,
        event: 'outcome',
        target: r.target,
        generation: r.generation,
        outcome: r.outcome,
        reason: r.firstFailedPredicate?.message ?? null,
      });
    }),
    clearIntent: fromPromise<void, void>(() => host.clearIntent()),
    releaseLock: fromPromise<void, { lock: HeldLock | null }>(async ({ input }) => {
      await input.lock?.release();
    }),
  };
}

export type EngineActors = ReturnType<typeof actorsFor>;

const notProvided = (name: string) => () => Promise.reject(new Error(`the ${name} actor was not provided: supply machine.provide({ actors: actorsFor(host) })`));

/** Defaults that fail loudly: the chart cannot touch anything until a host is provided. */
export const unprovidedActors: EngineActors = {
  acquireLock: fromPromise<LockResult, void>(notProvided('acquireLock')),
  readDesired: fromPromise<DesiredRecord | null, void>(notProvided('readDesired')),
  observe: fromPromise<Facts, void>(notProvided('observe')),
  writeIntent: fromPromise<void, Intent>(notProvided('writeIntent')),
  applyStep: fromPromise<StepOutcome, ApplyStepInput>(notProvided('applyStep')),
  record: fromPromise<void, { record: TransitionRecord; guards: GuardReport | null }>(notProvided('record')),
  clearIntent: fromPromise<void, void>(notProvided('clearIntent')),
  releaseLock: fromPromise<void, { lock: HeldLock | null }>(notProvided('releaseLock')),
};
