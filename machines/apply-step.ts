// Running one plan step over the Host port: a systemd/logind operation, or a
// wait that re-observes every pollIntervalMs until its predicate holds or its
// timeout passes. Time comes from host.clock, so a simulated clock works.
// Expected failures come back as a failed StepRecord, never as a throw.
import { firstReason } from '../predicates/check.ts';
import { pollMs } from '../predicates/timeouts.ts';
import { waitCondition } from '../predicates/wait-conditions.ts';
import { workProof } from '../predicates/work-steps.ts';
import type { Action, PlanStep, Reason, StepRecord } from '../schemas/records.ts';
import type { ActionResult, Host, WorkAction } from './host.ts';
import { observeAndRecord } from './observation.ts';
import { stepFailed } from './reasons.ts';
import { actionFor, type StepPhase } from './step-phase.ts';

export interface StepOutcome {
  record: StepRecord;
  /** why the step failed, with its evidence; null when it succeeded */
  reason: Reason | null;
}

export async function runStep(host: Host, step: PlanStep, phase: StepPhase, signal: AbortSignal): Promise<StepOutcome> {
  const action = actionFor(step, phase);
  if (action === null) throw new Error(`step ${step.id} has no inverse to roll back with`);
  const startedMs = host.clock.monotonicMs();
  const startedAt = host.clock.now().toISOString();
  const base = { stepId: step.id, phase, action, startedAt };
  const duration = () => Math.max(0, host.clock.monotonicMs() - startedMs);
  if (action.kind === 'wait') {
    const waited = await waitFor(host, action, signal);
    const record: StepRecord = { ...base, ok: waited.reason === null, message: waited.message, durationMs: duration(), commands: [] };
    return { record, reason: waited.reason };
  }
  if (action.kind === 'drain-work' || action.kind === 'resume-work') {
    const result = await workCall(host, action, signal);
    // what the manager answered is not the proof: a fresh observation of the node is
    const proof = result.ok ? await waitFor(host, workProof(action, host.config), signal) : null;
    const ok = proof !== null && proof.reason === null;
    const message = proof === null ? result.message : `${result.message}; ${proof.message}`;
    const record: StepRecord = { ...base, ok, message, durationMs: duration(), commands: result.commands };
    return { record, reason: ok ? null : (proof?.reason ?? stepFailed(step, record)) };
  }
  const result = await host.perform(action, signal);
  const record: StepRecord = { ...base, ok: result.ok, message: result.message, durationMs: duration(), commands: result.commands };
  return { record, reason: result.ok ? null : stepFailed(step, record) };
}

async function workCall(host: Host, action: WorkAction, signal: AbortSignal): Promise<ActionResult> {
  const call = action.kind === 'drain-work' ? host.drainWork?.bind(host, action.reason, signal) : host.resumeWork?.bind(host, signal);
  if (call === undefined) return { ok: false, message: `this host has no workload manager adapter to ${action.kind === 'drain-work' ? 'drain' : 'resume'} the node with`, commands: [] };
  return call();
}

async function waitFor(host: Host, action: Extract<Action, { kind: 'wait' }>, signal: AbortSignal): Promise<{ message: string; reason: Reason | null }> {
  const deadline = host.clock.monotonicMs() + action.timeoutMs;
  let polls = 0;
  for (;;) {
    polls += 1;
    const { facts } = await observeAndRecord(host, signal);
    // a check holds exactly when it has no first reason to fail
    const why = firstReason(waitCondition(action.until, facts, host.config));
    if (why === null) return { message: `${action.until} after ${polls} observation(s)`, reason: null };
    const remaining = deadline - host.clock.monotonicMs();
    if (remaining <= 0) return { message: `${action.until} did not hold within ${action.timeoutMs} ms (${polls} observations): ${why.message}`, reason: why };
    await host.clock.sleep(Math.min(pollMs(action, host.config), remaining), signal);
  }
}
