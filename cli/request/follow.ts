// Follows one controller unit from `systemctl start --no-block` to its end:
// the unit's state says when the run is over, the audit log (when readable)
// says which step finished and how long it took, and last-transition.json
// holds the outcome. The run can take many minutes (vLLM loads a model), so
// progress is reported as it happens.
import type { AuditEvent, TransitionRecord } from '../../schemas/records.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import type { UnitState } from './unit-state.ts';

export type Progress =
  | { kind: 'running' }
  | { kind: 'event'; event: AuditEvent; durationMs: number | null }
  | { kind: 'heartbeat'; elapsedMs: number };

export interface FollowDeps {
  unitState(): Promise<UnitState | { error: string }>;
  lastRecord(): Promise<TransitionRecord | null>;
  newEvents(): Promise<AuditEvent[]>;
  sleep(ms: number): Promise<void>;
  /** monotonic ms */
  now(): number;
  pollMs: number;
  /** give up following (the run goes on) after this long */
  deadlineMs: number;
}

export interface Before {
  /** ExecMainExitTimestampMonotonic before the start: a larger one means our run ended */
  exitedAtUs: number;
  runId: string | null;
  /** the generation this request recorded; a record for it (or a newer one) is ours */
  generation: number | null;
}

export type Followed = { record: TransitionRecord | null; unit: UnitState };

const HEARTBEAT_MS = 10_000;

/** The start job failed before the controller ran: the unit was started too often (StartLimitBurst= in StartLimitIntervalSec=). */
export const refusedByStartLimit = (unit: UnitState): boolean => unit.activeState === 'failed' && unit.result === 'start-limit-hit' && unit.job === '';

export async function follow(deps: FollowDeps, before: Before, report: (p: Progress) => void): Promise<Followed> {
  const started = deps.now();
  let running = false;
  let lastEventMono: number | null = null;
  let lastHeartbeat = started;
  for (;;) {
    const unit = await deps.unitState();
    if ('error' in unit) throw new CliError(EXIT.unknown, `cannot follow the run: ${unit.error}`, ['the run goes on; mode status shows its outcome when it ends']);
    for (const event of await deps.newEvents()) {
      const durationMs = lastEventMono !== null && event.monoMs !== null ? event.monoMs - lastEventMono : null;
      if (event.monoMs !== null) lastEventMono = event.monoMs;
      report({ kind: 'event', event, durationMs });
    }
    if (!running && (unit.activeState === 'activating' || unit.activeState === 'active')) {
      running = true;
      report({ kind: 'running' });
    }
    // systemd unloads an instance that ended well (its exit timestamp reads 0 again), so
    // the end is a new record, or, for a run that wrote none (busy, a crash), a new exit.
    if (unit.activeState !== 'activating') {
      const record = await deps.lastRecord();
      const ours = record !== null && record.runId !== before.runId && (before.generation === null || (record.generation ?? 0) >= before.generation);
      if (ours) return { record, unit };
      if (unit.exitedAtUs > before.exitedAtUs) return { record: null, unit };
      // PID 1 refused the start (StartLimitBurst): nothing ran and nothing will
      if (refusedByStartLimit(unit)) return { record: null, unit };
    }
    const now = deps.now();
    if (now - started > deps.deadlineMs) {
      throw new CliError(EXIT.unknown, `stopped following after ${Math.round((now - started) / 60_000)} minutes; the run goes on`, ['mode status shows its outcome when it ends']);
    }
    if (now - lastHeartbeat >= HEARTBEAT_MS) {
      lastHeartbeat = now;
      report({ kind: 'heartbeat', elapsedMs: now - started });
    }
    await deps.sleep(deps.pollMs);
  }
}
