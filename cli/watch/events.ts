// Pure: what happened since the last look. Given what watch remembers, the
// audit events appended since, and the records as they are now, it returns the
// events to print and what to remember. The audit log is history in order, so
// its events come first; the records then add what the log does not say (or
// what this user may not read): the desired mode, the observed mode, a step
// started, an outcome. An outcome is named by the log and by last-transition.json
// both, and a run's start by the log and the intent journal: each is told once.
import type { ObservedSummary } from '../../schemas/cli-output.ts';
import type { WatchDesired, WatchEvent, WatchObserved, WatchOutcome, WatchRun, WatchState } from '../../schemas/cli-watch.ts';
import type { AuditEvent, DesiredRecord } from '../../schemas/records.ts';
import type { TransitionView } from '../../schemas/cli-views.ts';
import type { Snapshot } from './snapshot.ts';

export interface WatchMemory {
  state: WatchState;
  /** `runId outcome` of outcomes told, newest last */
  outcomesTold: string[];
  /** runs whose start was told, newest last */
  runsTold: string[];
  /** `runId step` of steps that finished, for the current run */
  stepsFinished: string[];
  /** the step of the run in progress that was last told as started */
  stepTold: string | null;
  /** the run and monotonic time of its newest audit event, for step durations */
  lastMono: { runId: string; monoMs: number } | null;
}

/** Enough to tell a late duplicate from a new event; older entries are forgotten. */
const REMEMBERED = 32;
const remember = (list: string[], item: string): string[] => [...list, item].slice(-REMEMBERED);

const desiredOf = (record: DesiredRecord): WatchDesired => ({
  mode: record.mode,
  generation: record.generation,
  requestedAt: record.requestedAt,
  requestedBy: record.requestedBy,
  via: record.via ?? null,
});

const observedOf = (summary: ObservedSummary): WatchObserved => ({
  mode: summary.mode,
  degradedFrom: summary.degradedFrom,
  observedAt: summary.observedAt,
  runId: summary.runId,
});

const outcomeOfRecord = (record: TransitionView): WatchOutcome => ({
  runId: record.runId,
  target: record.target,
  generation: record.generation,
  outcome: record.outcome,
  reason: record.firstFailedPredicate?.message ?? null,
  finishedAt: record.finishedAt,
});

/** The first look: the state as it is, and the one `state` event that shows it. */
export function startWatch(snapshot: Snapshot, now: string): { memory: WatchMemory; event: WatchEvent } {
  const state: WatchState = {
    desired: snapshot.desired ? desiredOf(snapshot.desired) : null,
    observed: snapshot.observed ? observedOf(snapshot.observed) : null,
    run: snapshot.run,
    lastOutcome: snapshot.transition ? outcomeOfRecord(snapshot.transition) : null,
  };
  const memory: WatchMemory = {
    state,
    outcomesTold: snapshot.transition ? [`${snapshot.transition.runId} ${snapshot.transition.outcome}`] : [],
    runsTold: snapshot.run?.runId ? [snapshot.run.runId] : [],
    stepsFinished: [],
    stepTold: snapshot.run?.step ?? null,
    lastMono: null,
  };
  return { memory, event: { schemaVersion: 1, event: 'state', at: now, state } };
}

// The step event's reason is `<phase> <step id>: ok` or `<phase> <step id>: <why it failed>` (machines/actors.ts).
const STEP_REASON = /^(apply|rollback) (\S+): ([\s\S]*)$/;

/** `<id>` while applying, `rollback-<id>` while undoing (machines/step-phase.ts's journal names). */
const journalStep = (stepId: string, phase: 'apply' | 'rollback'): string => (phase === 'apply' ? stepId : `rollback-${stepId}`);
const fromJournal = (step: string): { stepId: string; phase: 'apply' | 'rollback' } =>
  step.startsWith('rollback-') ? { stepId: step.slice('rollback-'.length), phase: 'rollback' } : { stepId: step, phase: 'apply' };

export function nextEvents(memory: WatchMemory, audit: readonly AuditEvent[], snapshot: Snapshot, now: string): { memory: WatchMemory; events: WatchEvent[] } {
  let m = memory;
  const events: WatchEvent[] = [];
  const emit = (make: (state: WatchState) => WatchEvent): void => {
    events.push(make(m.state));
  };
  const setState = (change: Partial<WatchState>): void => {
    m = { ...m, state: { ...m.state, ...change } };
  };

  const tellRunStarted = (run: WatchRun, at: string): void => {
    if (run.runId === null || m.runsTold.includes(run.runId) || m.outcomesTold.some((key) => key.startsWith(`${run.runId} `))) return;
    m = { ...m, runsTold: remember(m.runsTold, run.runId), stepsFinished: [], stepTold: null };
    setState({ run });
    emit((state) => ({ schemaVersion: 1, event: 'run-started', at, run, state }));
  };

  const tellOutcome = (outcome: WatchOutcome): void => {
    if (outcome.runId !== null) {
      const key = `${outcome.runId} ${outcome.outcome}`;
      if (m.outcomesTold.includes(key)) return;
      m = { ...m, outcomesTold: remember(m.outcomesTold, key) };
    }
    // a recovered outcome is the interrupted run's; the run that recovered it goes on
    const ended = outcome.outcome !== 'recovered' && outcome.runId !== null && m.state.run?.runId === outcome.runId;
    setState({ lastOutcome: outcome, ...(ended ? { run: null } : {}) });
    emit((state) => ({ schemaVersion: 1, event: 'outcome', at: outcome.finishedAt, outcome, state }));
  };

  for (const event of audit) {
    const sinceLast = event.runId !== null && event.monoMs !== null && m.lastMono?.runId === event.runId ? event.monoMs - m.lastMono.monoMs : null;
    if (event.runId !== null && event.monoMs !== null) m = { ...m, lastMono: { runId: event.runId, monoMs: event.monoMs } };
    switch (event.event) {
      case 'intent':
        tellRunStarted({ runId: event.runId, target: event.target, generation: event.generation, step: 'planned', startedAt: event.wall }, event.wall);
        break;
      case 'step': {
        const parsed = STEP_REASON.exec(event.reason ?? '');
        if (!parsed) break;
        const phase = parsed[1] as 'apply' | 'rollback';
        const stepId = parsed[2]!;
        const message = parsed[3]!;
        m = { ...m, stepsFinished: remember(m.stepsFinished, `${event.runId} ${journalStep(stepId, phase)}`) };
        emit((state) => ({
          schemaVersion: 1,
          event: 'step-finished',
          at: event.wall,
          runId: event.runId,
          stepId,
          phase,
          ok: message === 'ok',
          message,
          durationMs: sinceLast === null ? null : Math.max(0, Math.round(sinceLast)),
          state,
        }));
        break;
      }
      case 'outcome':
      case 'recovered':
      case 'rejected':
        if (event.outcome !== null) {
          tellOutcome({ runId: event.runId, target: event.target, generation: event.generation, outcome: event.outcome, reason: event.reason, finishedAt: event.wall });
        }
        break;
      case 'desired':
        // desired.json says it, and anyone may read that file
        break;
    }
  }

  if (snapshot.desired) {
    const desired = desiredOf(snapshot.desired);
    const before = m.state.desired;
    if (before === null || before.generation !== desired.generation || before.mode !== desired.mode) {
      setState({ desired });
      emit((state) => ({ schemaVersion: 1, event: 'desired', at: desired.requestedAt, desired, previousMode: before?.mode ?? null, state }));
    }
  } else if (m.state.desired !== null) {
    setState({ desired: null });
  }

  // before the run: a run whose outcome is on record is over, whatever journal or lock note it left behind
  if (snapshot.transition) tellOutcome(outcomeOfRecord(snapshot.transition));

  const run = snapshot.run;
  const finished = (runId: string | null): boolean => runId !== null && m.outcomesTold.some((key) => key.startsWith(`${runId} `) && !key.endsWith(' recovered'));
  if (run === null || finished(run.runId)) {
    if (m.state.run !== null) setState({ run: null });
  } else {
    // a run that journals its intent is told with its target then; a user who cannot read the journal has the lock note only
    if (!snapshot.runByLockOnly) tellRunStarted(run, run.startedAt);
    if (snapshot.runByLockOnly && m.state.run?.runId !== run.runId) setState({ run });
    if (m.state.run?.runId === run.runId) {
      const step = run.step;
      const told = step === null || step === 'planned' || step === m.stepTold || m.stepsFinished.includes(`${run.runId} ${step}`);
      setState({ run });
      if (!told) {
        m = { ...m, stepTold: step };
        const { stepId, phase } = fromJournal(step);
        emit((state) => ({ schemaVersion: 1, event: 'step-started', at: now, runId: run.runId, stepId, phase, state }));
      }
    }
  }

  if (snapshot.observed) {
    const observed = observedOf(snapshot.observed);
    const before = m.state.observed;
    setState({ observed });
    if (before === null || before.mode !== observed.mode || before.degradedFrom !== observed.degradedFrom) {
      emit((state) => ({ schemaVersion: 1, event: 'observed', at: observed.observedAt, observed, previousMode: before?.mode ?? null, state }));
    }
  }

  return { memory: m, events };
}
