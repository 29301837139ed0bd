// The chart's states for the workload manager (Slurm follows the mode,
// issue 15), kept beside controller.ts so the chart file reads as the run.
// Each runs one step of predicates/work-steps.ts through the applyStep actor
// (journaled, recorded with its evidence and duration like a plan step):
//
// - draining: leaving compute, before anything else is touched. Drained, the
//   run waits for the jobs (awaitingWork); with --force it only looks again.
//   A drain that fails blocks the switch, unless --force.
// - awaitingWork: polls the slurm fact until no job runs or drainWaitSeconds
//   pass, then observes afresh and decides again (guarding): jobs still
//   running now block with slurm-jobs-running, unless --force.
// - settlingWork: once the outcome is settled, Slurm follows the mode the
//   run settles in (predicates/work.ts resumeDue): compute proven, or kept.
// - resumingWork: resumes the node and proves it by observing; a resume
//   that is not observed is a warning of the record, not a failure of the mode.
import { controllerSetup, beginWork, failStep, recordAbandonedStep, recordTimedOutStep, settle, fail } from './controller-setup.ts';
import { stepInput } from './context-updates.ts';
import type { RunContext } from './context.ts';

const workActor = { src: 'applyStep', input: ({ context }: { context: RunContext }) => stepInput(context, 'work') } as const;
const SETTLING = '#modeController.settlingWork';

export const draining = controllerSetup.createStateConfig({
  entry: [beginWork('drain'), 'beginStep'],
  // an operation: asked to stop, it finishes (or its grace ends) and the node stays drained for the next run
  on: { ABANDON_STEP: { target: '#modeController.interrupting', actions: [recordAbandonedStep('work'), 'markDrained'] } },
  invoke: {
    id: 'drainWork',
    ...workActor,
    onDone: [
      { guard: 'interruptRequested', target: '#modeController.interrupting', actions: ['recordStep', 'markDrained'] },
      { guard: 'forced', target: '#modeController.observing', actions: ['recordStep', 'markDrained'] },
      { guard: 'stepSucceeded', target: '#modeController.awaitingWork', actions: ['recordStep', 'markDrained'] },
      { target: SETTLING, actions: ['recordStep', failStep('work'), 'markDrained', settle('blocked')] },
    ],
    onError: { target: SETTLING, actions: [fail('work-error'), 'markDrained', settle('blocked')] },
  },
  after: { workTimeout: { target: SETTLING, actions: [recordTimedOutStep('work'), fail('step-timeout'), 'markDrained', settle('blocked')] } },
});

export const awaitingWork = controllerSetup.createStateConfig({
  entry: [beginWork('await'), 'beginStep'],
  // a wait: asked to stop, it stops at once (it is never entered with a stop already asked: draining checks)
  on: { INTERRUPT: { target: '#modeController.interrupting', actions: recordAbandonedStep('work') } },
  // jobs ended or not, a fresh observation decides (the guards again, now that the node is drained)
  invoke: { id: 'awaitWork', ...workActor, onDone: { target: '#modeController.observing', actions: 'recordStep' }, onError: { target: SETTLING, actions: [fail('work-error'), settle('blocked')] } },
  after: { workTimeout: { target: '#modeController.observing', actions: recordTimedOutStep('work') } },
});

export const settlingWork = controllerSetup.createStateConfig({
  always: [{ guard: 'resumeDue', target: '#modeController.resumingWork' }, { target: '#modeController.recording' }],
});

export const resumingWork = controllerSetup.createStateConfig({
  entry: [beginWork('resume'), 'beginStep'],
  on: { ABANDON_STEP: { target: '#modeController.recording', actions: [recordAbandonedStep('work'), 'warnUnresumed'] } },
  invoke: {
    id: 'resumeWork',
    ...workActor,
    onDone: [
      { guard: 'stepSucceeded', target: '#modeController.recording', actions: 'recordStep' },
      { target: '#modeController.recording', actions: ['recordStep', 'warnUnresumed'] },
    ],
    onError: { target: '#modeController.recording', actions: 'warnUnresumed' },
  },
  after: { workTimeout: { target: '#modeController.recording', actions: [recordTimedOutStep('work'), 'warnUnresumed'] } },
});
