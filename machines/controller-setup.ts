// Everything the controller chart names: its actors (supplied at run time),
// guards (predicates over the run's context), actions (what a transition
// changes in that context, with params) and delays. controller.ts is the
// chart itself and refers to these by name only.
import { assign, setup } from 'xstate';
import { firstReason } from '../predicates/check.ts';
import { verdictReason } from '../predicates/guard-verdict.ts';
import { drainDue, firstBlocking, resumeDue, type WorkStage } from '../predicates/work.ts';
import { workStep, type WorkStepName } from '../predicates/work-steps.ts';
import { isTargetReached, targetReached } from '../predicates/modes.ts';
import { MODES } from '../schemas/modes.ts';
import type { ObservedModeName } from '../schemas/names.ts';
import type { DesiredRecord, Intent, Outcome, TransitionRecord } from '../schemas/records.ts';
import { unprovidedActors } from './actors.ts';
import type { StepOutcome } from './apply-step.ts';
import { buildRecord, type RunContext, type RunInput } from './context.ts';
import { abandonedStep, budgetMs, currentStep, guarded, isWaitLike, noticeAfter, noticeOpened, observed, reconcileTo, timedOutStep, undoList } from './context-updates.ts';
import type { LockResult, NoticeReport } from './host.ts';
import type { Observation } from './observation.ts';
import { chartFailure, stepFailed, unresumed, type FailureCode } from './reasons.ts';
import { actionFor, phaseOf, type StepPhase, type StepSlot } from './step-phase.ts';

// Setup-level actions and guards see the chart's own events only; what an invoked actor reported is read from the event.
const outputOf = <T>(event: { type: string }): T | undefined => (event as { output?: T }).output;
const causeOf = (context: RunContext, event: { type: string }) => ({
  context,
  error: (event as { error?: unknown }).error,
  timedOut: event.type.startsWith('xstate.after.'),
});
const steppedBy = (context: RunContext, slot: StepSlot) => currentStep(context, slot)!;
const stageOf = (context: RunContext): WorkStage => ({ drained: context.workDrained, force: context.force });

export const controllerSetup = setup({
  types: {
    input: {} as RunInput,
    context: {} as RunContext,
    output: {} as TransitionRecord,
    /**
     * INTERRUPT: stop at the next step boundary; ABANDON_STEP: stop waiting for the step in flight (its grace is over);
     * NOTICE_SHOWN, NOTICE_UNDELIVERED, REFUSED: what the warnPerson actor learns while the person at the desk is warned
     */
    events: {} as { type: 'INTERRUPT' } | { type: 'ABANDON_STEP' } | NoticeReport,
  },
  actors: unprovidedActors,
  guards: {
    lockAcquired: ({ event }) => outputOf<LockResult>(event)?.acquired === true,
    observedAs: ({ context }, params: { mode: ObservedModeName }) => context.from?.mode === params.mode,
    alreadyInTarget: ({ context }) => context.from !== null && context.from.mode === context.target,
    // a hard guard that blocks at this point of the run (slurm-jobs-running waits for the drain, --force waives it)
    hardGuardFailed: ({ context }) => context.guards !== null && firstBlocking(context.guards, stageOf(context)) !== null,
    drainDue: ({ context }) => context.from !== null && drainDue(context.config, context.from.mode, context.target, context.workDrained),
    resumeDue: ({ context }) => resumeDue(context.config, context.target, context.outcome, context.workDrained, context.facts, context.from?.mode ?? null),
    forced: ({ context }) => context.force,
    planComplete: ({ context }) => context.cursor >= context.plan.length,
    stepSucceeded: ({ event }) => outputOf<StepOutcome>(event)?.record.ok === true,
    targetReached: ({ context }) => context.finalFacts !== null && isTargetReached(context.target, context.finalFacts, context.config),
    rollbackComplete: ({ context }) => context.undo.length === 0,
    // once per run: the observation after a countdown passes here again
    interruptedRunFound: ({ context }) => context.interruptedRun !== null && !context.recoveryRecorded,
    noticeDue: ({ context }) => context.noticeRequest !== null && !context.noGrace && !context.noticeGiven,
    waitIfUnwarned: ({ context }) => context.config.notice.ifUnwarned === 'wait',
    interruptRequested: ({ context }) => context.interruptRequested,
    returningToDesktop: ({ context }) => context.target === 'desktop',
    stepIsWait: ({ context }, params: { phase: StepSlot }) => {
      const step = currentStep(context, params.phase);
      return step !== undefined && isWaitLike(context, actionFor(step, phaseOf(params.phase)));
    },
    // an interrupted run leaves its intent for the next run; so does one that could not recover the intent it found
    keepIntent: ({ context }) => context.outcome === 'interrupted' || (context.interruptedRun !== null && !context.recoveryRecorded),
    previousModeProven: ({ context }) => {
      const from = context.from?.mode;
      return from !== undefined && (MODES as readonly string[]).includes(from) && context.finalObservation?.mode === from;
    },
  },
  actions: {
    beginPhase: assign({ phaseStartedMs: ({ context }) => context.now() }),
    endPhase: assign({
      phases: ({ context }, params: { name: string }) => [...context.phases, { name: params.name, durationMs: Math.max(0, context.now() - context.phaseStartedMs) }],
    }),
    holdLock: assign({ lock: ({ event }) => { const lock = outputOf<LockResult>(event); return lock?.acquired ? lock : null; } }),
    noteLockHolder: assign({ lockHolder: ({ event }) => { const lock = outputOf<LockResult>(event); return lock && !lock.acquired ? lock.holder : null; } }),
    releasedLock: assign({ lock: null }),
    rememberInterruptedRun: assign({ interruptedRun: ({ event }) => outputOf<Intent | null>(event) as Intent | null }),
    markRecoveryRecorded: assign({ recoveryRecorded: true }),
    // Level-triggered: reconcile to the newest desired mode, not to the mode this instance was started for.
    reconcile: assign(({ context, event }) => reconcileTo(context, outputOf<DesiredRecord | null>(event) as DesiredRecord | null)),
    classifyFacts: assign(({ event }) => observed(outputOf<Observation>(event)!)),
    planAndGuard: assign(({ context }) => guarded(context)),
    noteFinalObservation: assign(({ event }) => {
      const { facts, classification } = outputOf<Observation>(event)!;
      return { finalFacts: facts, finalObservation: classification };
    }),
    forgetFinalObservation: assign({ finalObservation: null }),
    beginStep: assign({ stepStartedMs: ({ context }) => context.now(), stepStartedAt: ({ context }) => context.wall() }),
    recordStep: assign({ steps: ({ context, event }) => [...context.steps, outputOf<StepOutcome>(event)!.record] }),
    recordTimedOutStep: assign({
      steps: ({ context }, params: { phase: StepSlot }) => [...context.steps, timedOutStep(context, steppedBy(context, params.phase), params.phase)],
    }),
    recordAbandonedStep: assign({
      steps: ({ context }, params: { phase: StepSlot }) => [...context.steps, abandonedStep(context, steppedBy(context, params.phase), params.phase)],
    }),
    /** on to the next step: the plan's cursor moves while applying, the undo list shrinks while undoing */
    advance: assign(({ context }, params: { phase: StepPhase }) => (params.phase === 'apply' ? { cursor: context.cursor + 1 } : { undo: context.undo.slice(1) })),
    planUndo: assign({ undo: ({ context }) => undoList(context) }),
    fail: assign({ firstFailed: ({ context, event }, params: { code: FailureCode }) => chartFailure(params.code, causeOf(context, event)) }),
    // a failed step names its own reason (with its command evidence)
    failStep: assign({
      firstFailed: ({ context, event }, params?: { phase: StepSlot }) => {
        const outcome = outputOf<StepOutcome>(event)!;
        return outcome.reason ?? stepFailed(steppedBy(context, params?.phase ?? 'apply'), outcome.record);
      },
    }),
    failGuards: assign({
      firstFailed: ({ context }) => {
        const blocking = context.guards ? firstBlocking(context.guards, stageOf(context)) : null;
        return blocking ? verdictReason(blocking) : null;
      },
    }),
    // the workload manager's step about to run, built by predicates/work-steps.ts
    beginWork: assign({ workStep: ({ context }, params: { step: WorkStepName }) => workStep(params.step, context.config, context.target) }),
    // set once the drain was tried, whatever it answered: a drain that was not proven may still have happened
    markDrained: assign({ workDrained: true }),
    // the mode is proven; work not landing on it is the fleet's part, so a resume that was not observed is a warning
    warnUnresumed: assign({ warnings: ({ context, event }) => [...context.warnings, unresumed(context, outputOf<StepOutcome>(event) ?? null)] }),
    // the first fact that still does not hold, else that the target is unproven
    failUnproven: assign({
      firstFailed: ({ context, event }) =>
        (context.finalFacts ? firstReason(targetReached(context.target, context.finalFacts, context.config)) : null) ?? chartFailure('target-unproven', causeOf(context, event)),
    }),
    clearFailure: assign({ firstFailed: null }),
    openNotice: assign({ notice: ({ context }) => noticeOpened(context.noticeRequest!) }),
    // what the countdown's report says goes into the record's notice
    noteNotice: assign({ notice: ({ context, event }) => (event.type === 'INTERRUPT' || event.type === 'ABANDON_STEP' ? context.notice : noticeAfter(context.notice, event)) }),
    // refused: nothing was touched, so the first observation is the proof of where the machine stays
    keepFirstObservation: assign({ finalFacts: ({ context }) => context.facts, finalObservation: ({ context }) => context.from }),
    endNotice: assign({ noticeGiven: true }),
    settle: assign({ outcome: (_, params: { outcome: Outcome }) => params.outcome }),
    requestInterrupt: assign({ interruptRequested: true }),
    // the first failure so far stays the record's reason; without one, the interruption is
    settleInterrupted: assign({
      outcome: 'interrupted',
      interruptRequested: true,
      firstFailed: ({ context, event }) => context.firstFailed ?? chartFailure('interrupted', causeOf(context, event)),
    }),
    buildRecord: assign({ record: ({ context }) => buildRecord(context, context.outcome ?? 'degraded') }),
  },
  delays: {
    bookkeepingTimeout: ({ context }) => context.config.thresholds.stepTimeoutsMs.observe,
    lockTimeout: ({ context }) => context.config.thresholds.stepTimeoutsMs.observe + context.lockWaitMs,
    observeTimeout: ({ context }) => context.config.thresholds.stepTimeoutsMs.observe,
    applyTimeout: ({ context }) => budgetMs(context, currentStep(context, 'apply'), 'apply'),
    undoTimeout: ({ context }) => budgetMs(context, currentStep(context, 'rollback'), 'rollback'),
    workTimeout: ({ context }) => budgetMs(context, currentStep(context, 'work'), 'work'),
    noticeGrace: ({ context }) => context.noticeRequest?.graceMs ?? 0,
  },
});

// Parameterized actions as the chart writes them, one word each.
export const fail = (code: FailureCode) => ({ type: 'fail', params: { code } }) as const;
export const settle = (outcome: Outcome) => ({ type: 'settle', params: { outcome } }) as const;
export const endPhase = (name: string) => ({ type: 'endPhase', params: { name } }) as const;
export const recordTimedOutStep = (phase: StepSlot) => ({ type: 'recordTimedOutStep', params: { phase } }) as const;
export const recordAbandonedStep = (phase: StepSlot) => ({ type: 'recordAbandonedStep', params: { phase } }) as const;
export const advance = (phase: StepPhase) => ({ type: 'advance', params: { phase } }) as const;
export const beginWork = (step: WorkStepName) => ({ type: 'beginWork', params: { step } }) as const;
export const failStep = (phase: StepSlot) => ({ type: 'failStep', params: { phase } }) as const;
