// Follows one controller unit from `systemctl start --no-block` to its end:
// the unit's state says when the run is over, the audit log (when readable)
// says which step finished and how long it took, and last-transition.json
// holds the outcome. The run can take many minutes (vLLM loads a model), so
// progress is reported as it happens.
//
// It wakes when something happens, not on a fixed tick (issue 17): between two
// looks it waits until last-transition.json is replaced or the audit log grows
// (cli/request/wake.ts), or pollMs at most, so a watch that could not be set
// up (no permission, the inotify limit) only makes it poll as before. A wake
// reads the audit log and the record, which is cheap and in process;
// `systemctl show` (a process, on a machine whose controller is busy) runs on
// the first look, every pollMs, and once the run has written its record. The
// run then appends its outcome event, clears its intent, releases its lock and
// exits, and its unit leaves `activating` (measured in the sandbox: 10-20 ms
// after the record) with no file changing, so once the record is ours the
// unit is looked at every settleMs (for SETTLE_WINDOW_MS at most; a run that
// lingers after that is looked at every pollMs). The end is still decided on
// the unit's state alone: a request that returned while its unit was
// activating would not know the unit's exit status, and a request made right
// after it would be merged by PID 1 into this run's start job.
//
// Why not a blocking `systemctl start` (without --no-block), whose exit marks
// the end of the oneshot job: it exits non-zero for every run that does not
// succeed (blocked is 3, and systemctl says only "the control process exited
// with error code"), so a refusal (start-limit-hit, access denied, not
// installed: start-unit.ts) could no longer be told from a run's outcome by
// its exit; it would have to stay attached for the whole run (a compute run
// may wait 30 min for vLLM) under a timeout of its own instead of the start's
// stepTimeoutsMs.start, through the bus and polkit for a member of modectl;
// Ctrl-C would stop it as it stops this loop, the run going on either way, so
// nothing is won there; and the follower would still need this loop for the
// steps and the record. The short re-check after the record ends within about
// settleMs of the unit's end without any of that.
import type { AuditEvent, TransitionRecord } from '../../schemas/records.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import type { UnitState } from './unit-state.ts';
import type { Woken } from './wake.ts';

export type Progress =
  | { kind: 'running' }
  | { kind: 'event'; event: AuditEvent; durationMs: number | null }
  | { kind: 'heartbeat'; elapsedMs: number };

export interface FollowDeps {
  unitState(): Promise<UnitState | { error: string }>;
  lastRecord(): Promise<TransitionRecord | null>;
  newEvents(): Promise<AuditEvent[]>;
  /** after `ms`, or earlier when last-transition.json or the audit log changed (cli/request/wake.ts) */
  wait(ms: number): Promise<Woken>;
  /** monotonic ms */
  now(): number;
  /** the unit is looked at at least this often, whatever changes (or does not) */
  pollMs: number;
  /** and this often once the run's record is written and its unit is still activating */
  settleMs: number;
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
/** How long after its record a run's unit is re-checked every settleMs: its process exits within ms of writing it. */
export const SETTLE_WINDOW_MS = 2_000;

/** The start job failed before the controller ran: the unit was started too often (StartLimitBurst= in StartLimitIntervalSec=). */
export const refusedByStartLimit = (unit: UnitState): boolean => unit.activeState === 'failed' && unit.result === 'start-limit-hit' && unit.job === '';

const isOurs = (record: TransitionRecord | null, before: Before): record is TransitionRecord =>
  record !== null && record.runId !== before.runId && (before.generation === null || (record.generation ?? 0) >= before.generation);

export async function follow(deps: FollowDeps, before: Before, report: (p: Progress) => void): Promise<Followed> {
  const started = deps.now();
  let running = false;
  let lastEventMono: number | null = null;
  let lastHeartbeat = started;
  let lookedOnce = false;
  let lookedAt = started;
  let woken: Woken = 'timeout';
  /** when this run's record was first seen (its unit was activating at the look before) */
  let recordSeenAt: number | null = null;
  const interval = (now: number): number => (recordSeenAt !== null && now - recordSeenAt < SETTLE_WINDOW_MS ? deps.settleMs : deps.pollMs);
  const lookAtUnit = async (): Promise<UnitState> => {
    // the interval runs from the start of a look: a slow `systemctl show` does not stretch it
    lookedAt = deps.now();
    const state = await deps.unitState();
    if ('error' in state) throw new CliError(EXIT.unknown, `cannot follow the run: ${state.error}`, ['the run goes on; mode status shows its outcome when it ends']);
    return state;
  };
  for (;;) {
    if (lookedOnce && recordSeenAt === null && isOurs(await deps.lastRecord(), before)) recordSeenAt = deps.now();
    // the first pass, a wait that ran out, or a look that is due: the unit is looked at only then, not on every change
    const looked: UnitState | null = !lookedOnce || woken === 'timeout' || deps.now() - lookedAt >= interval(deps.now()) ? await lookAtUnit() : null;
    for (const event of await deps.newEvents()) {
      const durationMs = lastEventMono !== null && event.monoMs !== null ? event.monoMs - lastEventMono : null;
      if (event.monoMs !== null) lastEventMono = event.monoMs;
      report({ kind: 'event', event, durationMs });
    }
    if (looked !== null) {
      lookedOnce = true;
      if (!running && (looked.activeState === 'activating' || looked.activeState === 'active')) {
        running = true;
        report({ kind: 'running' });
      }
      // systemd unloads an instance that ended well (its exit timestamp reads 0 again), so
      // the end is a new record, or, for a run that wrote none (busy, a crash), a new exit.
      // The record is read after the unit's state: a run that is no longer activating has written it.
      if (looked.activeState !== 'activating') {
        const record = await deps.lastRecord();
        if (isOurs(record, before)) return { record, unit: looked };
        if (looked.exitedAtUs > before.exitedAtUs) return { record: null, unit: looked };
        // PID 1 refused the start (StartLimitBurst): nothing ran and nothing will
        if (refusedByStartLimit(looked)) return { record: null, unit: looked };
      }
    }
    const now = deps.now();
    if (now - started > deps.deadlineMs) {
      throw new CliError(EXIT.unknown, `stopped following after ${Math.round((now - started) / 60_000)} minutes; the run goes on`, ['mode status shows its outcome when it ends']);
    }
    if (now - lastHeartbeat >= HEARTBEAT_MS) {
      lastHeartbeat = now;
      report({ kind: 'heartbeat', elapsedMs: now - started });
    }
    woken = await deps.wait(Math.max(0, interval(now) - (now - lookedAt)));
  }
}
