// The chart's effect actors, built from a Host. The chart declares them by
// name with "not provided" defaults; runController supplies actorsFor(host),
// tests supply a simulated host, so the same chart runs everywhere.
import { fromCallback, fromPromise } from 'xstate';
import type { DesiredRecord, GuardReport, Intent, PlanStep, TransitionRecord } from '../schemas/records.ts';
import { describeError } from '../shared/describe-error.ts';
import { runStep, type StepOutcome } from './apply-step.ts';
import type { HeldLock } from './context.ts';
import type { Clock, Host, LockResult, NoticeDelivery, NoticeReport } from './host.ts';
import { observeAndRecord, type Observation } from './observation.ts';
import { blocksNow, JOBS_LEFT_RUNNING } from '../predicates/work.ts';
import { DRAIN_STEP_ID } from '../predicates/work-steps.ts';
import { engineFailure } from './reasons.ts';
import { actionFor, journalName, type StepPhase } from './step-phase.ts';

export interface ActorHooks {
  /** called after each step (`<id>` on apply, `rollback-<id>` on rollback) and after `intent-written`; may throw to simulate death */
  failpoint?: (stepId: string) => void;
}

export interface ApplyStepInput {
  step: PlanStep;
  phase: StepPhase;
  /** the intent naming this step, journaled before it runs (stepInput builds it for every step) */
  intent: Intent;
}

export function actorsFor(host: Host, hooks: ActorHooks = {}) {
  const failpoint = hooks.failpoint ?? (() => undefined);
  return {
    acquireLock: fromPromise<LockResult, void>(() => host.lock()),
    readDesired: fromPromise<DesiredRecord | null, void>(() => host.readDesired()),
    observe: fromPromise<Observation, void>(({ signal }) => observeAndRecord(host, signal)),
    writeIntent: fromPromise<void, Intent>(async ({ input }) => {
      await host.writeIntent(input);
      await host.appendAudit({ runId: input.runId, event: 'intent', target: input.target, generation: input.generation, outcome: null, reason: null });
      failpoint('intent-written');
    }),
    applyStep: fromPromise<StepOutcome, ApplyStepInput>(async ({ input, signal }) => {
      // Row 23 of the reliability catalogue: a run that cannot journal itself
      // fails closed, except on the way back (rollback, or a run to desktop),
      // which must never depend on the state disk having room.
      const mayGoOnUnjournaled = input.phase === 'rollback' || input.intent.target === 'desktop';
      const problem = await journalProblem(host.clock, () => host.writeIntent(input.intent));
      if (problem !== null && !mayGoOnUnjournaled) return notJournaled(host, input, problem);
      const outcome = await runStep(host, input.step, input.phase, signal);
      // an abandoned step's result is no longer the chart's; it has moved on and records the run itself
      if (signal.aborted) return outcome;
      const audited = await journalProblem(host.clock, () =>
        host.appendAudit({
          runId: input.intent.runId,
          event: 'step',
          target: input.intent.target,
          generation: input.intent.generation,
          outcome: null,
          reason: `${input.phase} ${input.step.id}: ${outcome.record.ok ? 'ok' : outcome.record.message}`,
        }),
      );
      failpoint(journalName(input.step.id, input.phase));
      if (audited !== null && !mayGoOnUnjournaled && outcome.record.ok) return unjournaledStep(outcome, audited);
      return outcome;
    }),
    readIntent: fromPromise<Intent | null, void>(() => host.readIntent()),
    // Warns, and reports back what the host learns; the chart keeps the countdown and stops this actor when it ends.
    warnPerson: fromCallback<NoticeReport, NoticeDelivery>(({ input, sendBack }) => {
      const stop = new AbortController();
      void host
        .appendAudit({
          runId: input.runId,
          event: 'notice',
          target: input.target,
          generation: input.generation,
          outcome: null,
          reason: `warning ${input.user ?? 'the user'} (session ${input.sessionId}): the switch to ${input.target} ends the session in ${Math.round(input.graceMs / 1000)} s unless refused`,
        })
        .catch(() => undefined);
      if (host.warn) host.warn(input, sendBack, stop.signal);
      else sendBack({ type: 'NOTICE_UNDELIVERED', reason: 'this host cannot show a notification' });
      return () => stop.abort();
    }),
    recordRecovery: fromPromise<void, { record: TransitionRecord; intent: Intent; recoveredBy: string }>(async ({ input }) => {
      const { record, intent } = input;
      await host.appendAudit({
        runId: intent.runId,
        event: 'recovered',
        target: intent.target,
        generation: intent.generation,
        outcome: 'recovered',
        reason: record.firstFailedPredicate?.message ?? null,
        detail: { interruptedRunId: intent.runId, lastStep: intent.step, pid: intent.pid, bootId: intent.bootId, recoveredBy: input.recoveredBy, observed: record.finalObservation?.mode ?? null },
      });
      await host.writeRecord(record, null);
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
        // what the fleet's counters are built from (effects/fleet/metrics/), so they survive a reboot
        detail: { from: r.from?.mode ?? null, durationMs: r.durationMs, blockedBy: blockedBy(r) },
      });
    }),
    clearIntent: fromPromise<void, void>(() => host.clearIntent()),
    releaseLock: fromPromise<void, { lock: HeldLock | null }>(async ({ input }) => {
      await input.lock?.release();
    }),
  };
}

/**
 * The hard guards that blocked a run, by code, as the decision judged them (blocksNow): slurm-jobs-running
 * counts only after the drain or on an unknown fact, never once --force waived it; the run's first failed
 * predicate when no guard report says.
 */
function blockedBy(record: TransitionRecord): string[] {
  if (record.outcome !== 'blocked') return [];
  const stage = {
    drained: record.steps.some((s) => s.stepId === DRAIN_STEP_ID && s.ok),
    force: (record.warnings ?? []).some((w) => w.code === JOBS_LEFT_RUNNING),
  };
  const codes = (record.guards?.verdicts ?? []).filter((v) => blocksNow(v, stage)).map((v) => v.code);
  if (codes.length > 0) return codes;
  return record.firstFailedPredicate ? [record.firstFailedPredicate.code] : [];
}

/**
 * How long one journal write inside a step may take. A local write and fsync
 * take milliseconds; a disk that has not answered by then is treated as
 * unwritable, so a hung state disk cannot stall the way back to desktop; a
 * step's two writes (intent before, audit after) fit in the OPERATION_SETTLE_MS
 * its budget has beyond the operation's own.
 */
export const JOURNAL_WRITE_BOUND_MS = 3000;

/** What kept a journal write from landing, or null when it landed. */
async function journalProblem(clock: Clock, write: () => Promise<void>): Promise<string | null> {
  const stop = new AbortController();
  const deadline = clock.sleep(JOURNAL_WRITE_BOUND_MS, stop.signal).then(
    () => `no answer within ${JOURNAL_WRITE_BOUND_MS} ms`,
    () => null,
  );
  try {
    return await Promise.race([write().then(() => null), deadline]);
  } catch (error) {
    return describeError(error);
  } finally {
    stop.abort();
  }
}

function notJournaled(host: Host, input: ApplyStepInput, problem: string): StepOutcome {
  const message = `not run: the intent could not be journaled (${problem}); a run away from desktop fails closed without its journal`;
  const action = actionFor(input.step, input.phase) ?? input.step.action;
  return {
    record: { stepId: input.step.id, phase: input.phase, action, ok: false, message, startedAt: host.clock.now().toISOString(), durationMs: 0, commands: [] },
    reason: engineFailure('journal-unwritable', `step ${input.step.id} ${message}`),
  };
}

function unjournaledStep(outcome: StepOutcome, problem: string): StepOutcome {
  const message = `${outcome.record.message}; but the audit log could not record it (${problem}), so the run fails closed and rolls back`;
  return { record: { ...outcome.record, ok: false, message }, reason: engineFailure('journal-unwritable', `step ${outcome.record.stepId} ran, ${message}`) };
}

export type EngineActors = ReturnType<typeof actorsFor>;

const notProvided = (name: string) => () => Promise.reject(new Error(`the ${name} actor was not provided: supply machine.provide({ actors: actorsFor(host) })`));

/** Defaults that fail loudly: the chart cannot touch anything until a host is provided. */
export const unprovidedActors: EngineActors = {
  acquireLock: fromPromise<LockResult, void>(notProvided('acquireLock')),
  readDesired: fromPromise<DesiredRecord | null, void>(notProvided('readDesired')),
  observe: fromPromise<Observation, void>(notProvided('observe')),
  writeIntent: fromPromise<void, Intent>(notProvided('writeIntent')),
  applyStep: fromPromise<StepOutcome, ApplyStepInput>(notProvided('applyStep')),
  record: fromPromise<void, { record: TransitionRecord; guards: GuardReport | null }>(notProvided('record')),
  clearIntent: fromPromise<void, void>(notProvided('clearIntent')),
  releaseLock: fromPromise<void, { lock: HeldLock | null }>(notProvided('releaseLock')),
  readIntent: fromPromise<Intent | null, void>(notProvided('readIntent')),
  warnPerson: fromCallback<NoticeReport, NoticeDelivery>(({ sendBack }) => {
    sendBack({ type: 'NOTICE_UNDELIVERED', reason: 'the warnPerson actor was not provided: supply machine.provide({ actors: actorsFor(host) })' });
  }),
  recordRecovery: fromPromise<void, { record: TransitionRecord; intent: Intent; recoveredBy: string }>(notProvided('recordRecovery')),
};
