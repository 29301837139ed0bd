// The mode controller chart: one run, from taking the lock to one recorded
// outcome, top to bottom in the order a run goes. The classified mode is an
// explicit compound state (desktop, studioLocal, compute, degraded, unknown)
// entered after each first observation. Guards, actions, delays and actors
// are named in controller-setup.ts; effects are supplied at run time
// (machine.provide), failure texts live in reasons.ts keyed by code.
//
// Outcomes: succeeded (a fresh observation proves the target), noop (already
// proven there), blocked (a hard guard failed or nothing could be observed;
// nothing touched), rolled-back (the switch failed and the previous mode was
// proven again), degraded (neither proven), busy (another run holds the lock),
// interrupted (asked to stop: it stopped at a step boundary and left its
// intent for the next run), canceled (the person whose session the switch
// would end refused it during the countdown; nothing touched). A run that finds an intent without an outcome
// first records that run as recovered, then reconciles as usual.
import { buildRecord, initialContext, intentOf, recoveredRecord, type RunContext } from './context.ts';
import { noticeDelivery, stepInput } from './context-updates.ts';
import { advance, controllerSetup, endPhase, fail, recordAbandonedStep, recordTimedOutStep, settle } from './controller-setup.ts';
import type { StepPhase } from './step-phase.ts';
import { awaitingWork, draining, resumingWork, settlingWork } from './work-states.ts';

/** Guard against runaway eventless loops: a bug then fails the run instead of hanging it. */
const MAX_ITERATIONS = 10_000;

/** desktop, studioLocal and compute route alike: already there is a noop, otherwise the guards decide. */
const provenMode = controllerSetup.createStateConfig({
  always: [{ guard: 'alreadyInTarget', target: '#modeController.settlingWork', actions: settle('noop') }, { target: '#modeController.guarding' }],
});
/** degraded and unknown are never the target: the guards decide. */
const unprovenMode = controllerSetup.createStateConfig({ always: { target: '#modeController.guarding' } });

/** Between two steps, applying or undoing: stop if asked to, go on to `then` once no step is left, else run the next. */
const betweenSteps = (noneLeft: 'planComplete' | 'rollbackComplete', then: string, next: string) =>
  controllerSetup.createStateConfig({
    always: [{ guard: 'interruptRequested', target: '#modeController.interrupting' }, { guard: noneLeft, target: then }, { target: next }],
  });

/**
 * What a step in flight does alike when applied and when undone: asked to
 * stop, a wait stops at once and an operation gets a grace period
 * (runController sends ABANDON_STEP). Where the step's end leads differs, and
 * is written at each use.
 */
const stepInFlight = (phase: StepPhase) =>
  controllerSetup.createStateConfig({
    entry: 'beginStep',
    on: {
      INTERRUPT: { guard: { type: 'stepIsWait', params: { phase } }, target: '#modeController.interrupting', actions: recordAbandonedStep(phase) },
      ABANDON_STEP: { target: '#modeController.interrupting', actions: recordAbandonedStep(phase) },
    },
  });
/** applyStep runs both phases; its input journals the step (`<id>` or `rollback-<id>`) before it runs. */
const stepActor = (phase: StepPhase) => ({ src: 'applyStep', input: ({ context }: { context: RunContext }) => stepInput(context, phase) }) as const;

export const controller = controllerSetup.createMachine({
  id: 'modeController',
  options: { maxIterations: MAX_ITERATIONS },
  context: ({ input }) => initialContext(input),
  initial: 'locking',
  output: ({ context }) => context.record ?? buildRecord(context, context.outcome ?? 'degraded'),
  // Anywhere: remember it. The run stops at its next step boundary; a wait stops at once (see stepInFlight).
  on: { INTERRUPT: { actions: 'requestInterrupt' } },
  states: {
    locking: {
      entry: 'beginPhase',
      exit: endPhase('lock'),
      invoke: {
        id: 'acquireLock',
        src: 'acquireLock',
        onDone: [
          { guard: 'lockAcquired', target: 'readingIntent', actions: 'holdLock' },
          { target: 'busy', actions: ['noteLockHolder', fail('lock-held')] },
        ],
        onError: { target: 'lockFailed', actions: fail('lock-failed') },
      },
      after: { lockTimeout: { target: 'lockFailed', actions: fail('lock-failed') } },
    },
    // Under the lock: an intent left by a run that never recorded an outcome (killed, rebooted, interrupted).
    readingIntent: {
      invoke: { id: 'readIntent', src: 'readIntent', onDone: { target: 'readingDesired', actions: 'rememberInterruptedRun' }, onError: 'readingDesired' },
      after: { bookkeepingTimeout: 'readingDesired' },
    },
    readingDesired: {
      entry: 'beginPhase',
      exit: endPhase('desired'),
      invoke: { id: 'readDesired', src: 'readDesired', onDone: { target: 'observing', actions: 'reconcile' }, onError: 'observing' },
      after: { bookkeepingTimeout: 'observing' },
    },
    observing: {
      entry: 'beginPhase',
      exit: endPhase('observe'),
      invoke: {
        id: 'observe',
        src: 'observe',
        onDone: { target: 'recovering', actions: 'classifyFacts' },
        onError: { target: 'recording', actions: [settle('blocked'), fail('observe-failed')] },
      },
      after: { observeTimeout: { target: 'recording', actions: [settle('blocked'), fail('observe-timeout')] } },
    },
    // The interrupted run is classified from this run's fresh observation and recorded as recovered; then this run goes on.
    recovering: {
      initial: 'checking',
      states: {
        checking: { always: [{ guard: 'interruptedRunFound', target: 'writing' }, { target: '#modeController.classified' }] },
        writing: {
          entry: 'markRecoveryRecorded',
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
        desktop: provenMode,
        studioLocal: provenMode,
        compute: provenMode,
        degraded: unprovenMode,
        unknown: unprovenMode,
      },
    },
    guarding: {
      entry: 'planAndGuard',
      always: [
        { guard: 'hardGuardFailed', target: 'settlingWork', actions: [settle('blocked'), 'failGuards'] },
        { guard: 'interruptRequested', target: 'interrupting' },
        { guard: 'drainDue', target: 'draining' },
        { guard: 'noticeDue', target: 'noticing' },
        { target: 'writingIntent' },
      ],
    },
    // The plan ends a session someone is using: warn them and count down on the run's clock; a refusal ends the run
    // untouched. After the grace a fresh observation decides (the minute may have changed the facts), without a second warning.
    noticing: {
      entry: ['beginPhase', 'openNotice'],
      exit: [endPhase('notice'), 'endNotice'],
      invoke: { id: 'warnPerson', src: 'warnPerson', input: ({ context }) => noticeDelivery(context) },
      on: {
        NOTICE_SHOWN: { actions: 'noteNotice' },
        NOTICE_UNDELIVERED: [{ guard: 'waitIfUnwarned', actions: 'noteNotice' }, { target: 'writingIntent', actions: 'noteNotice' }],
        REFUSED: { target: 'recording', actions: ['noteNotice', 'keepFirstObservation', settle('canceled'), fail('refused')] },
        // nothing is in flight: stop at once
        INTERRUPT: { target: 'interrupting', actions: 'requestInterrupt' },
      },
      after: { noticeGrace: 'observing' },
    },
    // Fail closed without a journal, except on the way back to desktop, which must never depend on the state disk.
    writingIntent: {
      entry: 'beginPhase',
      exit: endPhase('intent'),
      invoke: {
        id: 'writeIntent',
        src: 'writeIntent',
        input: ({ context }) => intentOf(context, 'planned'),
        onDone: 'applying',
        onError: [{ guard: 'returningToDesktop', target: 'applying' }, { target: 'recording', actions: [settle('blocked'), fail('intent-unwritable')] }],
      },
      after: {
        bookkeepingTimeout: [{ guard: 'returningToDesktop', target: 'applying' }, { target: 'recording', actions: [settle('blocked'), fail('intent-unwritable')] }],
      },
    },
    applying: {
      entry: 'beginPhase',
      exit: endPhase('apply'),
      initial: 'nextStep',
      states: {
        nextStep: betweenSteps('planComplete', '#modeController.verifying', 'running'),
        running: {
          ...stepInFlight('apply'),
          invoke: {
            id: 'applyStep',
            ...stepActor('apply'),
            onDone: [
              { guard: 'stepSucceeded', target: 'nextStep', actions: ['recordStep', advance('apply')] },
              { target: '#modeController.rollingBack', actions: ['recordStep', 'failStep'] },
            ],
            onError: { target: '#modeController.rollingBack', actions: fail('step-error') },
          },
          after: { applyTimeout: { target: '#modeController.rollingBack', actions: [recordTimedOutStep('apply'), fail('step-timeout')] } },
        },
      },
    },
    verifying: {
      entry: 'beginPhase',
      exit: endPhase('verify'),
      invoke: {
        id: 'verify',
        src: 'observe',
        onDone: { target: 'checkingTarget', actions: 'noteFinalObservation' },
        onError: { target: 'rollingBack', actions: fail('verify-failed') },
      },
      after: { observeTimeout: { target: 'rollingBack', actions: fail('verify-timeout') } },
    },
    checkingTarget: {
      always: [
        { guard: 'targetReached', target: 'settlingWork', actions: [settle('succeeded'), 'clearFailure'] },
        { target: 'rollingBack', actions: 'failUnproven' },
      ],
    },
    rollingBack: {
      entry: ['beginPhase', 'planUndo'],
      exit: endPhase('rollback'),
      initial: 'nextUndo',
      states: {
        nextUndo: betweenSteps('rollbackComplete', '#modeController.provingRollback', 'undoing'),
        // A failed undo does not stop the others: each one restores something, and the proof decides.
        undoing: {
          ...stepInFlight('rollback'),
          invoke: {
            id: 'undoStep',
            ...stepActor('rollback'),
            onDone: { target: 'nextUndo', actions: ['recordStep', advance('rollback')] },
            onError: { target: 'nextUndo', actions: advance('rollback') },
          },
          after: { undoTimeout: { target: 'nextUndo', actions: [recordTimedOutStep('rollback'), advance('rollback')] } },
        },
      },
    },
    provingRollback: {
      entry: 'beginPhase',
      exit: endPhase('prove-rollback'),
      invoke: {
        id: 'proveRollback',
        src: 'observe',
        onDone: { target: 'checkingRollback', actions: 'noteFinalObservation' },
        onError: { target: 'recording', actions: [settle('degraded'), 'forgetFinalObservation'] },
      },
      after: { observeTimeout: { target: 'recording', actions: [settle('degraded'), 'forgetFinalObservation'] } },
    },
    checkingRollback: {
      always: [
        { guard: 'previousModeProven', target: 'settlingWork', actions: settle('rolled-back') },
        { target: 'recording', actions: settle('degraded') },
      ],
    },
    // Slurm follows the mode (machines/work-states.ts): drain and wait before leaving compute, resume once it is proven or kept.
    draining,
    awaitingWork,
    settlingWork,
    resumingWork,
    // Asked to stop: nothing more is applied or undone; the intent stays, so the next run recovers and reconciles.
    interrupting: { always: { target: 'recording', actions: 'settleInterrupted' } },
    recording: {
      entry: 'buildRecord',
      invoke: { id: 'record', src: 'record', input: ({ context }) => ({ record: context.record!, guards: context.guards }), onDone: 'recorded', onError: 'recorded' },
      after: { bookkeepingTimeout: 'recorded' },
    },
    recorded: { always: [{ guard: 'keepIntent', target: 'releasingLock' }, { target: 'clearingIntent' }] },
    clearingIntent: {
      invoke: { id: 'clearIntent', src: 'clearIntent', onDone: 'releasingLock', onError: 'releasingLock' },
      after: { bookkeepingTimeout: 'releasingLock' },
    },
    releasingLock: {
      invoke: { id: 'releaseLock', src: 'releaseLock', input: ({ context }) => ({ lock: context.lock }), onDone: { target: 'done', actions: 'releasedLock' }, onError: 'done' },
      after: { bookkeepingTimeout: 'done' },
    },
    done: { type: 'final' },
    busy: { type: 'final', entry: [settle('busy'), 'buildRecord'] },
    lockFailed: { type: 'final', entry: [settle('blocked'), 'buildRecord'] },
  },
});

export type ControllerMachine = typeof controller;
