// What one controller run knows as it goes. Everything here ends up in the
// transition record; nothing here is read back across runs.
import type { Config } from '../schemas/config.ts';
import type { Facts } from '../schemas/facts.ts';
import type { ModeName } from '../schemas/names.ts';
import type { Classification, GuardReport, Intent, Outcome, PlanStep, Reason, StepRecord, TransitionRecord } from '../schemas/records.ts';
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
  };
}
