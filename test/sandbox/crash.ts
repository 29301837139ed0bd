// Crash and concurrency helpers for the end-to-end tests in the sandbox: runs
// of the real controller (mode-controller@<mode>.service) with a failpoint
// (DUBNIUM_FAILPOINT=after:<step id>, set in PID 1's environment so the next
// start of the unit inherits it), the plan's step ids from the project's own
// observers and planTransition, and what the next run must show: the lock
// free, the killed run recorded as recovered (audit + record), the machine
// in a proven mode.
import { observeFacts } from '../../effects/observe/observe-facts.ts';
import { classify } from '../../predicates/classify.ts';
import { planTransition } from '../../predicates/plan.ts';
import type { ModeName } from '../../schemas/names.ts';
import { Intent, TransitionRecord, type AuditEvent } from '../../schemas/records.ts';
import { describeResult, type CommandResult } from './command.ts';
import type { ControllerSandbox } from './e2e.ts';
import { expectModeHolds } from './mode-holds.ts';
import type { Sandbox } from './sandbox.ts';
import { outsideRoots } from './outside-roots.ts';

export const RUNTIME_DIR = '/run/mode-controller';
export const STATE_DIR = '/var/lib/mode-controller';
// the unit's own TimeoutStartSec is 30 min; a run here takes seconds
const RUN_TIMEOUT_MS = 5 * 60_000;

export const unitOf = (mode: ModeName): string => `mode-controller@${mode}.service`;

/**
 * The plan the controller will follow from what the machine shows now, as its
 * step ids. (The failpoint right after the intent is journaled, before the
 * first step, is exercised on the simulated host: test/engine/machines/recovery.test.ts.)
 */
export async function failpointsFor(sandbox: Sandbox, target: ModeName): Promise<string[]> {
  const facts = await observeFacts(sandbox.config, { roots: outsideRoots(sandbox), env: { ...process.env, PATH: `${sandbox.outsideBin}:${process.env.PATH ?? ''}` } });
  const from = classify(facts, sandbox.config).mode;
  if (from === target) throw new Error(`the sandbox is already ${target}; there is no plan to kill the controller in`);
  return planTransition(from, target, facts, sandbox.config).map((s) => s.id);
}

/** Sets (or clears) the failpoint every controller started from now on inherits. */
export async function setFailpoint(sandbox: Sandbox, stepId: string | null): Promise<void> {
  const result = await sandbox.systemctl(stepId === null ? ['unset-environment', 'DUBNIUM_FAILPOINT'] : ['set-environment', `DUBNIUM_FAILPOINT=after:${stepId}`]);
  if (result.exitCode !== 0) throw new Error(describeResult(result));
}

export function readIntent(sandbox: Sandbox): Intent | null {
  const text = sandbox.readInside(`${STATE_DIR}/intent.json`);
  return text === null ? null : Intent.parse(JSON.parse(text));
}

export function lastRecord(sandbox: Sandbox): TransitionRecord | null {
  const text = sandbox.readInside(`${RUNTIME_DIR}/last-transition.json`);
  return text === null ? null : TransitionRecord.parse(JSON.parse(text));
}

export async function auditEvents(sandbox: ControllerSandbox): Promise<AuditEvent[]> {
  const read = await sandbox.store.readAudit();
  if (read.skipped > 0) throw new Error(`the audit log has ${read.skipped} unreadable lines: ${JSON.stringify(read.problems)}`);
  return read.events;
}

export interface UnitEnd {
  result: string;
  execMainCode: string;
  execMainStatus: string;
  activeState: string;
}

export async function unitEnd(sandbox: Sandbox, mode: ModeName): Promise<UnitEnd> {
  const unit = unitOf(mode);
  const shown = (await sandbox.show([unit], ['Result', 'ExecMainCode', 'ExecMainStatus', 'ActiveState'])).get(unit) ?? {};
  return { result: shown.Result ?? '?', execMainCode: shown.ExecMainCode ?? '?', execMainStatus: shown.ExecMainStatus ?? '?', activeState: shown.ActiveState ?? '?' };
}

export interface KilledRun {
  /** the intent the killed run left (its runId, target, last step started) */
  intent: Intent;
  start: CommandResult;
  end: UnitEnd;
  generation: number;
}

/** Records `mode` as desired and runs the controller with a failpoint: it must die by SIGKILL after `stepId`. */
export async function runKilledAfter(sandbox: ControllerSandbox, mode: ModeName, stepId: string): Promise<KilledRun> {
  const desired = await sandbox.store.recordDesired(mode, 'e2e-crash');
  if (!desired.ok) throw new Error(`could not record the desired mode: ${desired.failure.message}`);
  await setFailpoint(sandbox, stepId);
  try {
    const start = await sandbox.systemctl(['start', unitOf(mode)], RUN_TIMEOUT_MS);
    const end = await unitEnd(sandbox, mode);
    const intent = readIntent(sandbox);
    if (intent === null) throw new Error(`the run killed after ${stepId} left no intent; ${describeResult(start)}`);
    return { intent, start, end, generation: desired.record.generation };
  } finally {
    await setFailpoint(sandbox, null);
  }
}

export interface CleanRun {
  record: TransitionRecord;
  start: CommandResult;
}

/** Records `mode` as desired and runs the controller without a failpoint; returns the record of that generation. */
export async function runClean(sandbox: ControllerSandbox, mode: ModeName): Promise<CleanRun> {
  const desired = await sandbox.store.recordDesired(mode, 'e2e-crash');
  if (!desired.ok) throw new Error(`could not record the desired mode: ${desired.failure.message}`);
  const start = await sandbox.systemctl(['start', unitOf(mode)], RUN_TIMEOUT_MS);
  const record = lastRecord(sandbox);
  if (record?.generation !== desired.record.generation) {
    throw new Error(`no record for generation ${desired.record.generation} (last: ${String(record?.generation)} ${record?.outcome ?? ''}); ${describeResult(start)}`);
  }
  // a recovered-then-proven mode must hold like any other succeeded switch
  if (record.outcome === 'succeeded') await expectModeHolds(sandbox, mode, { generation: desired.record.generation });
  return { record, start };
}

/** Takes and releases the controller lock from outside: it must be free (flock, not judged by age). */
export async function lockIsFree(sandbox: ControllerSandbox): Promise<boolean> {
  const attempt = await sandbox.store.tryLock();
  if (!attempt.acquired) return false;
  await attempt.release();
  return true;
}

/** Polls until none of the units is activating (a run in progress), for runs started with --no-block. */
export async function waitForRunsToEnd(sandbox: Sandbox, modes: readonly ModeName[], timeoutMs = RUN_TIMEOUT_MS): Promise<void> {
  await sandbox.waitUntil(
    `runs of ${modes.join(', ')} to end`,
    async () => {
      const shown = await sandbox.show(modes.map(unitOf), ['ActiveState', 'Job']);
      return modes.every((m) => {
        const s = shown.get(unitOf(m));
        return s?.ActiveState !== 'activating' && (s?.Job ?? '') === '';
      });
    },
    timeoutMs,
  );
}

/** What one failpoint case showed: empty `problems` when the kill and the recovery behaved. */
export interface CaseReport {
  from: ModeName;
  to: ModeName;
  stepId: string;
  problems: string[];
  ms: number;
}

const proven = (record: TransitionRecord, mode: ModeName): boolean =>
  (record.outcome === 'succeeded' && record.finalObservation?.mode === mode) || (record.outcome === 'noop' && record.from?.mode === mode);

/**
 * Kills the controller right after `stepId` of the switch to `to`, then runs
 * it again for `to` (no cleanup in between) and checks what the issue asks:
 * the controller died by SIGKILL there, the lock is free, the next run
 * recorded the killed run as recovered (audit event naming its run and last
 * step), cleared the journal and proved `to` by a fresh observation.
 */
export async function killThenRecover(sandbox: ControllerSandbox, from: ModeName, to: ModeName, stepId: string): Promise<CaseReport> {
  const started = performance.now();
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const killed = await runKilledAfter(sandbox, to, stepId);
  check(killed.end.result === 'signal' && killed.end.execMainStatus === '9', `the controller did not die by SIGKILL (Result=${killed.end.result} ExecMainStatus=${killed.end.execMainStatus})`);
  check(killed.intent.target === to && killed.intent.step === (stepId === 'intent-written' ? 'planned' : stepId), `the journal says ${killed.intent.target}/${killed.intent.step}`);
  check(lastRecord(sandbox)?.generation !== killed.generation, 'the killed run wrote a record');
  check(await lockIsFree(sandbox), 'the lock is still held after the holder was killed');
  const before = (await auditEvents(sandbox)).length;
  const next = await runClean(sandbox, to);
  check(proven(next.record, to), `the next run is ${next.record.outcome}, observed ${next.record.finalObservation?.mode ?? next.record.from?.mode ?? '?'} (${next.record.firstFailedPredicate?.message ?? ''})`);
  const events = (await auditEvents(sandbox)).slice(before);
  const recovered = events.filter((e) => e.event === 'recovered');
  check(recovered.length === 1, `${recovered.length} recovered audit events`);
  const detail = recovered[0]?.detail ?? {};
  check(recovered[0]?.runId === killed.intent.runId && recovered[0]?.outcome === 'recovered' && detail.lastStep === killed.intent.step, `the recovered event does not name the killed run: ${JSON.stringify(recovered[0])}`);
  const outcomeSeq = events.find((e) => e.event === 'outcome' && e.runId === next.record.runId)?.seq ?? -1;
  check((recovered[0]?.seq ?? Infinity) < outcomeSeq, 'the recovery is not recorded before the next run\'s outcome');
  check(readIntent(sandbox) === null, 'the journal still holds an intent after the recovery run');
  return { from, to, stepId, problems, ms: Math.round(performance.now() - started) };
}
