// What one controller run knows as it goes. Everything here ends up in the
// transition record; nothing here is read back across runs.
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import type { ModeName } from '../schemas/names.ts';
import type { NoticeRequest } from '../predicates/notice.ts';
import type { Classification, GuardReport, Intent, NoticeRecord, Outcome, PlanStep, Reason, StepRecord, TransitionRecord } from '../schemas/records.ts';
import type { LockResult } from './host.ts';

export interface RunInput {
  config: Config;
  /** the mode this instance was started for (mode-controller@<target>) */
  target: ModeName;
  /** the generation the caller requested, when it knows it */
  generation?: number | null;
  runId: string;
  bootId: string | null;
  pid: number;
  /** monotonic ms, for durations */
  now: () => number;
  /** wall clock ISO time, for records */
  wall: () => string;
  /** how long host.lock() may wait for a running transition (the chart's lock timeout grows by it); default 0 */
  lockWaitMs?: number;
}

export type HeldLock = Extract<LockResult, { acquired: true }>;

export interface RunContext {
  config: Config;
  requestedTarget: ModeName;
  target: ModeName;
  generation: number | null;
  runId: string;
  bootId: string | null;
  pid: number;
  now: () => number;
  wall: () => string;
  startedAt: string;
  startedMs: number;
  lock: HeldLock | null;
  lockHolder: string | null;
  facts: Facts | null;
  from: Classification | null;
  guards: GuardReport | null;
  plan: PlanStep[];
  /** index of the next plan step to apply */
  cursor: number;
  /** inverse steps still to run on rollback, in order */
  undo: PlanStep[];
  steps: StepRecord[];
  stepStartedMs: number;
  stepStartedAt: string;
  firstFailed: Reason | null;
  finalFacts: Facts | null;
  finalObservation: Classification | null;
  outcome: Outcome | null;
  phases: { name: string; durationMs: number }[];
  phaseStartedMs: number;
  record: TransitionRecord | null;
  lockWaitMs: number;
  /** the intent a run left without an outcome (a crash, a reboot, an interruption), found under the lock */
  interruptedRun: Intent | null;
  /** set when the run was asked to stop (SIGTERM): it stops at the next step boundary */
  interruptRequested: boolean;
  /** this run has taken over the interrupted run's intent (recorded it as recovered) */
  recoveryRecorded: boolean;
  /** whom the decision says to warn before the plan ends their session */
  noticeRequest: NoticeRequest | null;
  /** the warning given and what came of it, for the record */
  notice: NoticeRecord | null;
  /** the countdown is over (or was skipped): the fresh observation after it decides, without warning again */
  noticeGiven: boolean;
  /** `mode request --no-grace`: the desired record asks to end sessions without a warning */
  noGrace: boolean;
  /** `mode request --force`: leave compute although Slurm jobs run on the node (never killed; the record names them) */
  force: boolean;
  /** this run drained the Slurm node (or tried to): Slurm follows the mode the run settles in (predicates/work.ts resumeDue) */
  workDrained: boolean;
  /** the workload manager's step in flight (drain, wait, resume); they run around the plan, not in it */
  workStep: PlanStep | null;
  /** the jobs --force left running, from the latest decision */
  workLeft: Reason | null;
  /** what went wrong without changing the outcome (a resume that was not observed) */
  warnings: Reason[];
}

export function initialContext(input: RunInput): RunContext {
  const nowMs = input.now();
  return {
    config: input.config,
    requestedTarget: input.target,
    target: input.target,
    generation: input.generation ?? null,
    runId: input.runId,
    bootId: input.bootId,
    pid: input.pid,
    now: input.now,
    wall: input.wall,
    startedAt: input.wall(),
    startedMs: nowMs,
    lock: null,
    lockHolder: null,
    facts: null,
    from: null,
    guards: null,
    plan: [],
    cursor: 0,
    undo: [],
    steps: [],
    stepStartedMs: nowMs,
    stepStartedAt: input.wall(),
    firstFailed: null,
    finalFacts: null,
    finalObservation: null,
    outcome: null,
    phases: [],
    phaseStartedMs: nowMs,
    record: null,
    lockWaitMs: input.lockWaitMs ?? 0,
    interruptedRun: null,
    interruptRequested: false,
    recoveryRecorded: false,
    noticeRequest: null,
    notice: null,
    noticeGiven: false,
    noGrace: false,
    force: false,
    workDrained: false,
    workStep: null,
    workLeft: null,
    warnings: [],
  };
}

export function intentOf(context: RunContext, step: string): Intent {
  return {
    schemaVersion: 1,
    runId: context.runId,
    target: context.target,
    generation: context.generation,
    step,
    startedAt: context.startedAt,
    bootId: context.bootId,
    pid: context.pid,
  };
}

// The intent names the last step started (journaled before it runs), or `planned` before the first.
const stoppedWhere = (step: string): string =>
  step === 'planned' ? 'after journaling its intent, before its first step' : `in or right after step ${step} (the last step it started)`;

/**
 * The record of a run that stopped without recording an outcome, written by
 * the run that found its intent: it names that run, its target and the last
 * step it started, and classifies the machine it left from a fresh observation.
 */
export function recoveredRecord(context: RunContext, intent: Intent): TransitionRecord {
  const observed = context.from?.mode ?? 'unobserved';
  const boot = intent.bootId === null || context.bootId === null ? 'an unknown boot' : intent.bootId === context.bootId ? 'this boot' : 'an earlier boot (a reboot or power loss)';
  return {
    schemaVersion: 1,
    runId: intent.runId,
    target: intent.target,
    generation: intent.generation,
    outcome: 'recovered',
    from: null,
    finalObservation: context.from,
    firstFailedPredicate: {
      code: 'run-interrupted',
      message: `run ${intent.runId} to ${intent.target} (pid ${intent.pid}, ${boot}) stopped ${stoppedWhere(intent.step)} without recording an outcome; run ${context.runId} found the machine ${observed} and reconciles it`,
      path: ['intent'],
      evidence: [{ fact: 'intent', source: null, lines: [JSON.stringify(intent)] }],
    },
    guards: null,
    plan: [],
    steps: [],
    phases: [],
    startedAt: intent.startedAt,
    finishedAt: context.wall(),
    durationMs: 0,
    bootId: intent.bootId,
  };
}

/** The one record of the run, built from what the run saw. */
export function buildRecord(context: RunContext, outcome: Outcome): TransitionRecord {
  return {
    schemaVersion: 1,
    runId: context.runId,
    target: context.target,
    generation: context.generation,
    outcome,
    from: context.from,
    finalObservation: context.finalObservation,
    firstFailedPredicate: context.firstFailed,
    guards: context.guards,
    plan: context.plan,
    steps: context.steps,
    phases: context.phases,
    startedAt: context.startedAt,
    finishedAt: context.wall(),
    durationMs: Math.max(0, context.now() - context.startedMs),
    bootId: context.bootId,
    notice: context.notice,
    ...recordWarnings(context),
  };
}

/** Only a record with warnings carries the field, so records of hosts without Slurm stay as they were. */
function recordWarnings(context: RunContext): Pick<TransitionRecord, 'warnings'> {
  const warnings = [...(context.workLeft === null ? [] : [context.workLeft]), ...context.warnings];
  return warnings.length === 0 ? {} : { warnings };
}
