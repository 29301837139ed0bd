// The mode controller chart: one run, from taking the lock to one recorded
// outcome. The classified mode is an explicit compound state (desktop,
// studioLocal, compute, degraded, unknown) entered after each first
// observation; guards name predicates from predicates/, effects are actors
// declared by name and supplied at run time (machine.provide).
//
// Outcomes: succeeded (a fresh observation proves the target), noop (already
// proven there), blocked (a hard guard failed or nothing could be observed;
// nothing touched), rolled-back (the switch failed and the previous mode was
// proven again), degraded (neither proven), busy (another run holds the lock),
// interrupted (asked to stop: it stopped at a step boundary and left its
// intent for the next run). A run that finds an intent without an outcome
// first records that run as recovered, then reconciles as usual.
import { assign, setup } from 'xstate';
import { classify } from '../predicates/classify.ts';
import { firstReason } from '../predicates/check.ts';
import { firstFailedVerdict } from '../predicates/guard-verdict.ts';
import { isTargetReached, targetReached } from '../predicates/modes.ts';
import { MODES } from '../schemas/modes.ts';
import type { ObservedModeName } from '../schemas/names.ts';
import type { TransitionRecord } from '../schemas/records.ts';
import { unprovidedActors } from './actors.ts';
import type { StepOutcome } from './apply-step.ts';
import { buildRecord, initialContext, intentOf, recoveredRecord, type RunContext, type RunInput } from './context.ts';
import { abandonedStep, budgetMs, guarded, interruptedReason, isWaitLike, observed, reconcileTo, timedOutStep, undoList } from './context-updates.ts';
import type { LockResult } from './host.ts';
import { describeError, engineFailure } from './reasons.ts';

/** Guard against runaway eventless loops: a bug then fails the run instead of hanging it. */
const MAX_ITERATIONS = 10_000;

const outputOf = <T>(event: { type: string }): T | undefined => (event as { output?: T }).output;

export const controller = setup({
  types: {
    input: {} as RunInput,
    context: {} as RunContext,
    output: {} as TransitionRecord,
    /** INTERRUPT: stop at the next step boundary; ABANDON_STEP: stop waiting for the step in flight (its grace is over) */
    events: {} as { type: 'INTERRUPT' } | { type: 'ABANDON_STEP' },
  },
  actors: unprovidedActors,
  guards: {
    lockAcquired: ({ event }) => outputOf<LockResult>(event)?.acquired === true,
    observedAs: ({ context }, params: { mode: ObservedModeName }) => context.from?.mode === params.mode,
    alreadyInTarget: ({ context }) => context.from !== null && context.from.mode === context.target,
    hardGuardFailed: ({ context }) => context.guards?.verdict === 'hard-block',
    planComplete: ({ context }) => context.cursor >= context.plan.length,
    stepSucceeded: ({ event }) => outputOf<StepOutcome>(event)?.record.ok === true,
    targetReached: ({ context }) => context.finalFacts !== null && isTargetReached(context.target, context.finalFacts, context.config),
    rollbackComplete: ({ context }) => context.undo.length === 0,
    interruptedRunFound: ({ context }) => context.interruptedRun !== null,
    interruptRequested: ({ context }) => context.interruptRequested,
    returningToDesktop: ({ context }) => context.target === 'desktop',
    runningStepIsWait: ({ context }) => isWaitLike(context, context.plan[context.cursor]?.action),
    undoStepIsWait: ({ context }) => isWaitLike(context, context.undo[0]?.inverse),
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
    beginStep: assign({ stepStartedMs: ({ context }) => context.now(), stepStartedAt: ({ context }) => context.wall() }),
  },
  delays: {
    bookkeepingTimeout: ({ context }) => context.config.thresholds.stepTimeoutsMs.observe,
    lockTimeout: ({ context }) => context.config.thresholds.stepTimeoutsMs.observe + context.lockWaitMs,
    observeTimeout: ({ context }) => context.config.thresholds.stepTimeoutsMs.observe,
    applyTimeout: ({ context }) => budgetMs(context, context.plan[context.cursor], 'apply'),
    undoTimeout: ({ context }) => budgetMs(context, context.undo[0], 'rollback'),
  },
}).createMachine({
  id: 'modeController',
  options: { maxIterations: MAX_ITERATIONS },
  context: ({ input }) => initialContext(input),
  initial: 'locking',
  output: ({ context }) => context.record ?? buildRecord(context, context.outcome ?? 'degraded'),
  on: {
    // Anywhere: remember it. The run stops at its next step boundary; a wait stops at once (see applying, rollingBack).
    INTERRUPT: { actions: assign({ interruptRequested: true }) },
  },
  states: {
    locking: {
      entry: 'beginPhase',
      exit: { type: 'endPhase', params: { name: 'lock' } },
      invoke: {
        id: 'acquireLock',
        src: 'acquireLock',
        onDone: [
          {
            guard: 'lockAcquired',
            target: 'readingIntent',
            actions: assign({ lock: ({ event }) => (event.output.acquired ? event.output : null) }),
          },
          {
            target: 'busy',
            actions: assign({
              lockHolder: ({ event }) => (event.output.acquired ? null : event.output.holder),
              firstFailed: ({ event }) =>
                engineFailure('lock-held', `another controller run holds the lock${event.output.acquired ? '' : ` (${event.output.holder ?? 'holder unknown'})`}; nothing was touched`),
            }),
          },
        ],
        onError: {
          target: 'lockFailed',
          actions: assign({ firstFailed: ({ event }) => engineFailure('lock-failed', `the controller lock could not be taken: ${describeError(event.error)}`) }),
        },
      },
      after: {
        lockTimeout: { target: 'lockFailed', actions: assign({ firstFailed: () => engineFailure('lock-failed', 'taking the controller lock timed out') }) },
      },
    },
    // Under the lock: an intent left by a run that never recorded an outcome (killed, rebooted, interrupted).
    readingIntent: {
      invoke: {
        id: 'readIntent',
        src: 'readIntent',
        onDone: { target: 'readingDesired', actions: assign({ interruptedRun: ({ event }) => event.output }) },
        onError: 'readingDesired',
      },
      after: { bookkeepingTimeout: 'readingDesired' },
    },
    readingDesired: {
      entry: 'beginPhase',
      exit: { type: 'endPhase', params: { name: 'desired' } },
      invoke: {
        id: 'readDesired',
        src: 'readDesired',
        onDone: {
          target: 'observing',
          // Level-triggered: reconcile to the newest desired mode, not to the mode this instance was started for.
          actions: assign(({ context, event }) => reconcileTo(context, event.output)),
        },
        onError: 'observing',
      },
      after: { bookkeepingTimeout: 'observing' },
    },
    observing: {
      entry: 'beginPhase',
      exit: { type: 'endPhase', params: { name: 'observe' } },
      invoke: {
        id: 'observe',
        src: 'observe',
        onDone: {
          target: 'recovering',
          actions: assign(({ context, event }) => observed(context, event.output)),
        },
        onError: {
          target: 'recording',
          actions: assign({
            outcome: 'blocked',
            firstFailed: ({ event }) => engineFailure('observe-failed', `observing the host failed before anything was touched: ${describeError(event.error)}`),
          }),
        },
      },
      after: {
        observeTimeout: {
          target: 'recording',
          actions: assign({ outcome: 'blocked', firstFailed: () => engineFailure('observe-timeout', 'observing the host timed out before anything was touched') }),
        },
      },
    },
    // The interrupted run is classified from this run's fresh observation and recorded as recovered; then this run goes on.
    recovering: {
      initial: 'checking',
      states: {
        checking: {
          always: [{ guard: 'interruptedRunFound', target: 'writing' }, { target: '#modeController.classified' }],
        },
        writing: {
          entry: assign({ recoveryRecorded: true }),
          invoke: {
            id: 'recordRecovery',
            src: 'recordRecovery',
            input: ({ context }) => ({ record: recoveredRecord(context, context.interruptedRun!), intent: context.interruptedRun!, recoveredBy: context.runId }),
            onDone: '#modeController.classified',
            onError: '#modeController.classified',
          },
          after: { bookkeepingTimeout: '#modeController.classified' },
        },
      },
    },
    classified: {
      initial: 'sorting',
      states: {
        sorting: {
          always: [
            { guard: { type: 'observedAs', params: { mode: 'desktop' } }, target: 'desktop' },
            { guard: { type: 'observedAs', params: { mode: 'studio-local' } }, target: 'studioLocal' },
            { guard: { type: 'observedAs', params: { mode: 'compute' } }, target: 'compute' },
            { guard: { type: 'observedAs', params: { mode: 'degraded' } }, target: 'degraded' },
            { target: 'unknown' },
          ],
        },
        desktop: { always: [{ guard: 'alreadyInTarget', target: '#modeController.recording', actions: assign({ outcome: 'noop' }) }, { target: '#modeController.guarding' }] },
        studioLocal: { always: [{ guard: 'alreadyInTarget', target: '#modeController.recording', actions: assign({ outcome: 'noop' }) }, { target: '#modeController.guarding' }] },
        compute: { always: [{ guard: 'alreadyInTarget', target: '#modeController.recording', actions: assign({ outcome: 'noop' }) }, { target: '#modeController.guarding' }] },
        degraded: { always: { target: '#modeController.guarding' } },
        unknown: { always: { target: '#modeController.guarding' } },
      },
    },
    guarding: {
      entry: assign(({ context }) => guarded(context)),
      always: [
        {
          guard: 'hardGuardFailed',
          target: 'recording',
          actions: assign({ outcome: 'blocked', firstFailed: ({ context }) => (context.guards ? firstFailedVerdict(context.guards) : null) }),
        },
        { guard: 'interruptRequested', target: 'interrupting' },
        { target: 'writingIntent' },
      ],
    },
    writingIntent: {
      entry: 'beginPhase',
      exit: { type: 'endPhase', params: { name: 'intent' } },
      invoke: {
        id: 'writeIntent',
        src: 'writeIntent',
        input: ({ context }) => intentOf(context, 'planned'),
        onDone: 'applying',
        // Fail closed without a journal, except on the way back to desktop, which must never depend on the state disk.
        onError: [
          { guard: 'returningToDesktop', target: 'applying' },
          {
            target: 'recording',
            actions: assign({
              outcome: 'blocked',
              firstFailed: ({ event }) => engineFailure('intent-unwritable', `the run's intent could not be journaled, so nothing was touched: ${describeError(event.error)}`),
            }),
          },
        ],
      },
      after: {
        bookkeepingTimeout: [
          { guard: 'returningToDesktop', target: 'applying' },
          {
            target: 'recording',
            actions: assign({ outcome: 'blocked', firstFailed: () => engineFailure('intent-unwritable', 'journaling the intent timed out; nothing was touched') }),
          },
        ],
      },
    },
    applying: {
      entry: 'beginPhase',
      exit: { type: 'endPhase', params: { name: 'apply' } },
      initial: 'nextStep',
      states: {
        nextStep: {
          always: [
            { guard: 'interruptRequested', target: '#modeController.interrupting' },
            { guard: 'planComplete', target: '#modeController.verifying' },
            { target: 'running' },
          ],
        },
        running: {
          entry: 'beginStep',
          on: {
            // a wait changes nothing, so it stops at once; an operation gets a grace period (runController sends ABANDON_STEP)
            INTERRUPT: {
              guard: 'runningStepIsWait',
              target: '#modeController.interrupting',
              actions: assign(({ context }) => ({ steps: [...context.steps, abandonedStep(context, context.plan[context.cursor]!, 'apply')] })),
            },
            ABANDON_STEP: {
              target: '#modeController.interrupting',
              actions: assign(({ context }) => ({ steps: [...context.steps, abandonedStep(context, context.plan[context.cursor]!, 'apply')] })),
            },
          },
          invoke: {
            id: 'applyStep',
            src: 'applyStep',
            input: ({ context }) => {
              const step = context.plan[context.cursor]!;
              return { step, phase: 'apply' as const, intent: intentOf(context, step.id) };
            },
            onDone: [
              {
                guard: 'stepSucceeded',
                target: 'nextStep',
                actions: assign({ steps: ({ context, event }) => [...context.steps, event.output.record], cursor: ({ context }) => context.cursor + 1 }),
              },
              {
                target: '#modeController.rollingBack',
                actions: assign({
                  steps: ({ context, event }) => [...context.steps, event.output.record],
                  firstFailed: ({ context, event }) => event.output.reason ?? engineFailure('step-failed', `step ${context.plan[context.cursor]?.id ?? '?'} failed`),
                }),
              },
            ],
            onError: {
              target: '#modeController.rollingBack',
              actions: assign({ firstFailed: ({ context, event }) => engineFailure('step-error', `step ${context.plan[context.cursor]?.id ?? '?'} raised: ${describeError(event.error)}`) }),
            },
          },
          after: {
            applyTimeout: {
              target: '#modeController.rollingBack',
              actions: assign(({ context }) => {
                const record = timedOutStep(context, context.plan[context.cursor]!, 'apply');
                return { steps: [...context.steps, record], firstFailed: engineFailure('step-timeout', `step ${record.stepId} ${record.message}`) };
              }),
            },
          },
        },
      },
    },
    verifying: {
      entry: 'beginPhase',
      exit: { type: 'endPhase', params: { name: 'verify' } },
      invoke: {
        id: 'verify',
        src: 'observe',
        onDone: {
          target: 'checkingTarget',
          actions: assign({ finalFacts: ({ event }) => event.output, finalObservation: ({ context, event }) => classify(event.output, context.config) }),
        },
        onError: {
          target: 'rollingBack',
          actions: assign({ firstFailed: ({ event }) => engineFailure('verify-failed', `the verifying observation failed: ${describeError(event.error)}`) }),
        },
      },
      after: {
        observeTimeout: { target: 'rollingBack', actions: assign({ firstFailed: () => engineFailure('verify-timeout', 'the verifying observation timed out') }) },
      },
    },
    checkingTarget: {
      always: [
        { guard: 'targetReached', target: 'recording', actions: assign({ outcome: 'succeeded', firstFailed: null }) },
        {
          target: 'rollingBack',
          actions: assign({
            firstFailed: ({ context }) =>
              (context.finalFacts ? firstReason(targetReached(context.target, context.finalFacts, context.config)) : null) ??
              engineFailure('target-unproven', `a fresh observation does not prove ${context.target}`),
          }),
        },
      ],
    },
    rollingBack: {
      entry: ['beginPhase', assign({ undo: ({ context }) => undoList(context) })],
      exit: { type: 'endPhase', params: { name: 'rollback' } },
      initial: 'nextUndo',
      states: {
        nextUndo: {
          always: [
            { guard: 'interruptRequested', target: '#modeController.interrupting' },
            { guard: 'rollbackComplete', target: '#modeController.provingRollback' },
            { target: 'undoing' },
          ],
        },
        undoing: {
          entry: 'beginStep',
          on: {
            INTERRUPT: {
              guard: 'undoStepIsWait',
              target: '#modeController.interrupting',
              actions: assign(({ context }) => ({ steps: [...context.steps, abandonedStep(context, context.undo[0]!, 'rollback')] })),
            },
            ABANDON_STEP: {
              target: '#modeController.interrupting',
              actions: assign(({ context }) => ({ steps: [...context.steps, abandonedStep(context, context.undo[0]!, 'rollback')] })),
            },
          },
          invoke: {
            id: 'undoStep',
            src: 'applyStep',
            input: ({ context }) => {
              const step = context.undo[0]!;
              return { step, phase: 'rollback' as const, intent: intentOf(context, `rollback-${step.id}`) };
            },
            // A failed undo does not stop the others: each one restores something, and the proof decides.
            onDone: { target: 'nextUndo', actions: assign({ steps: ({ context, event }) => [...context.steps, event.output.record], undo: ({ context }) => context.undo.slice(1) }) },
            onError: { target: 'nextUndo', actions: assign({ undo: ({ context }) => context.undo.slice(1) }) },
          },
          after: {
            undoTimeout: {
              target: 'nextUndo',
              actions: assign(({ context }) => ({ steps: [...context.steps, timedOutStep(context, context.undo[0]!, 'rollback')], undo: context.undo.slice(1) })),
            },
          },
        },
      },
    },
    provingRollback: {
      entry: 'beginPhase',
      exit: { type: 'endPhase', params: { name: 'prove-rollback' } },
      invoke: {
        id: 'proveRollback',
        src: 'observe',
        onDone: {
          target: 'checkingRollback',
          actions: assign({ finalFacts: ({ event }) => event.output, finalObservation: ({ context, event }) => classify(event.output, context.config) }),
        },
        onError: { target: 'recording', actions: assign({ outcome: 'degraded', finalObservation: null }) },
      },
      after: { observeTimeout: { target: 'recording', actions: assign({ outcome: 'degraded', finalObservation: null }) } },
    },
    checkingRollback: {
      always: [
        { guard: 'previousModeProven', target: 'recording', actions: assign({ outcome: 'rolled-back' }) },
        { target: 'recording', actions: assign({ outcome: 'degraded' }) },
      ],
    },
    // Asked to stop: nothing more is applied or undone; the intent stays, so the next run recovers and reconciles.
    interrupting: {
      always: {
        target: 'recording',
        actions: assign(({ context }) => ({ outcome: 'interrupted' as const, interruptRequested: true, firstFailed: context.firstFailed ?? interruptedReason(context) })),
      },
    },
    recording: {
      entry: assign({ record: ({ context }) => buildRecord(context, context.outcome ?? 'degraded') }),
      invoke: {
        id: 'record',
        src: 'record',
        input: ({ context }) => ({ record: context.record!, guards: context.guards }),
        onDone: 'recorded',
        onError: 'recorded',
      },
      after: { bookkeepingTimeout: 'recorded' },
    },
    recorded: {
      always: [{ guard: 'keepIntent', target: 'releasingLock' }, { target: 'clearingIntent' }],
    },
    clearingIntent: {
      invoke: { id: 'clearIntent', src: 'clearIntent', onDone: 'releasingLock', onError: 'releasingLock' },
      after: { bookkeepingTimeout: 'releasingLock' },
    },
    releasingLock: {
      invoke: {
        id: 'releaseLock',
        src: 'releaseLock',
        input: ({ context }) => ({ lock: context.lock }),
        onDone: { target: 'done', actions: assign({ lock: null }) },
        onError: 'done',
      },
      after: { bookkeepingTimeout: 'done' },
    },
    done: { type: 'final' },
    busy: { type: 'final', entry: assign({ outcome: 'busy', record: ({ context }) => buildRecord(context, 'busy') }) },
    lockFailed: { type: 'final', entry: assign({ outcome: 'blocked', record: ({ context }) => buildRecord(context, 'blocked') }) },
  },
});

export type ControllerMachine = typeof controller;
