// What status means, from what was read: pure, so the rules of "pending" are
// tested without files.
import type { StatusOutput } from '../../schemas/cli-output.ts';
import { EXIT, exitName, type ExitCode } from '../exit-codes.ts';
import type { StatusInputs } from './gather.ts';
import { latestObserved } from './observed.ts';

const ok = <T>(read: { status: string; value?: T }): T | null => (read.status === 'ok' ? (read.value ?? null) : null);

export function statusModel(inputs: StatusInputs): StatusOutput {
  const desired = ok(inputs.desired);
  const transition = ok(inputs.transition);
  const observation = ok(inputs.observation);
  const holder = ok(inputs.holder);
  const intent = ok(inputs.intent);
  const observed = latestObserved(observation, transition);
  const lastOutcome = transition
    ? {
        runId: transition.runId,
        target: transition.target,
        generation: transition.generation,
        outcome: transition.outcome,
        startedAt: transition.startedAt,
        finishedAt: transition.finishedAt,
        durationMs: transition.durationMs,
        firstFailedPredicate: transition.firstFailedPredicate,
        ...(transition.warnings && transition.warnings.length > 0 ? { warnings: transition.warnings } : {}),
      }
    : null;

  const reasons: string[] = [];
  if (inputs.inFlight === true) reasons.push(`a controller run is in flight${holder ? ` (pid ${holder.pid}${holder.runId ? `, run ${holder.runId}` : ''}, since ${holder.startedAt})` : ''}`);
  if (desired) {
    const reconciled = lastOutcome?.generation ?? null;
    if (inputs.inFlight !== true && (reconciled === null || reconciled < desired.generation)) {
      reasons.push(`generation ${desired.generation} (${desired.mode}) is requested and no run has reconciled it yet`);
    }
    if (observed && observed.mode !== desired.mode) {
      const last = lastOutcome && lastOutcome.generation === desired.generation ? `; the last run ended ${lastOutcome.outcome}` : '';
      reasons.push(`desired ${desired.mode}, observed ${observed.mode}${last}`);
    }
  }
  // An intent without the lock held is a run that stopped before its outcome.
  const interruptedRun = intent && inputs.inFlight === false ? intent : null;
  if (interruptedRun) reasons.push(`run ${interruptedRun.runId} to ${interruptedRun.target} stopped at step ${interruptedRun.step}; the next run recovers it`);

  const pending = reasons.length > 0;
  const exit = statusExit(observed?.mode ?? null, pending);
  return {
    schemaVersion: 1,
    desired,
    observed,
    pending: { pending, inFlight: inputs.inFlight, reasons },
    lastOutcome,
    lockHolder: inputs.inFlight === true ? holder : null,
    interruptedRun,
    problems: inputs.problems,
    exit: { code: exit, name: exitName(exit) ?? 'unknown' },
  };
}

/** Degraded and unknown say more than pending; in sync is 0. */
function statusExit(mode: string | null, pending: boolean): ExitCode {
  if (mode === 'degraded') return EXIT.degraded;
  if (mode === null || mode === 'unknown') return EXIT.unknown;
  return pending ? EXIT.pending : EXIT.ok;
}
