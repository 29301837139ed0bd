// Where the time outside a request's record goes, on one clock: CLOCK_MONOTONIC,
// which the timing driver (process.hrtime), the audit log (monoMs) and the
// journal (__MONOTONIC_TIMESTAMP) all read inside the sandbox. A request is cut
// at five instants between the CLI's start and its exit:
//   the CLI's `desired` event  — the CLI has started, read the config and the
//                                 unit's state, and recorded the desired mode;
//   PID 1's "Starting …"       — `systemctl start --no-block` reached PID 1;
//   the run's start             — its `outcome` event minus the record's own
//                                 durationMs;
//   the run's `outcome` event   — the record is written;
//   PID 1's "Deactivated …" or "Finished …" — node has exited.
import type { AuditEvent, TransitionRecord } from '../../schemas/records.ts';

export interface JournalLine {
  monoMs: number;
  unit: string;
  message: string;
}

export interface RequestTimeline {
  target: string;
  /** node start, config, unit state and the desired write, in the CLI */
  cliToDesiredMs: number;
  /** `systemctl start --no-block` and PID 1 taking the job */
  desiredToUnitStartMs: number;
  /** the unit's process set-up, node's start-up, module loading and config, up to the run's lock */
  unitStartToRunMs: number;
  /** the record's durationMs */
  runMs: number;
  /** from the outcome event to PID 1 seeing node exit */
  outcomeToUnitEndMs: number;
  /** from the unit's end to the CLI's exit: the follower noticing, and the CLI ending */
  unitEndToCliExitMs: number;
}

export interface TimedRequest {
  target: string;
  cliStartMonoMs: number;
  cliMs: number;
  record: TransitionRecord;
}

/** One journal export line (journalctl -o json) as a JournalLine, or null for lines of no unit. */
export function journalLine(json: string): JournalLine | null {
  const entry = JSON.parse(json) as Record<string, unknown>;
  const unit = typeof entry.UNIT === 'string' ? entry.UNIT : null;
  const message = typeof entry.MESSAGE === 'string' ? entry.MESSAGE : null;
  const mono = Number(entry.__MONOTONIC_TIMESTAMP);
  if (unit === null || message === null || !Number.isFinite(mono)) return null;
  return { monoMs: mono / 1000, unit, message };
}

// systemd 252's words when a oneshot's process is gone: "<unit>: Deactivated successfully.",
// "<unit>: Failed with result '…'.", and the start job's "Finished <unit> - …" / "Failed to start <unit> - …"
const UNIT_ENDED = /: Deactivated successfully\.|: Failed with result |^Finished |^Failed to start /;

const firstAfter = <T>(items: readonly T[], at: (item: T) => number, after: number, match: (item: T) => boolean): T | undefined =>
  items.filter((i) => match(i) && at(i) >= after).sort((a, b) => at(a) - at(b))[0];

export function requestTimeline(request: TimedRequest, events: readonly AuditEvent[], journal: readonly JournalLine[]): RequestTimeline {
  const { record, target } = request;
  const unit = `mode-controller@${target}.service`;
  const what = `request → ${target} (run ${record.runId})`;
  const desired = firstAfter(events, (e) => e.monoMs ?? -1, request.cliStartMonoMs, (e) => e.event === 'desired' && e.generation === record.generation && e.target === target);
  if (desired?.monoMs == null) throw new Error(`${what}: no desired event of generation ${record.generation} after the CLI started`);
  const started = firstAfter(journal, (j) => j.monoMs, desired.monoMs, (j) => j.unit === unit && j.message.startsWith('Starting '));
  if (!started) throw new Error(`${what}: the journal has no "Starting" of ${unit} after the desired event`);
  const outcome = events.find((e) => e.event === 'outcome' && e.runId === record.runId);
  if (outcome?.monoMs == null) throw new Error(`${what}: the audit log has no outcome event of the run`);
  const ended = firstAfter(journal, (j) => j.monoMs, outcome.monoMs, (j) => j.unit === unit && UNIT_ENDED.test(j.message));
  if (!ended) throw new Error(`${what}: the journal has no end of ${unit} after the outcome event`);
  const runMs = record.durationMs;
  const runStart = outcome.monoMs - runMs;
  return {
    target,
    cliToDesiredMs: desired.monoMs - request.cliStartMonoMs,
    desiredToUnitStartMs: started.monoMs - desired.monoMs,
    unitStartToRunMs: runStart - started.monoMs,
    runMs,
    outcomeToUnitEndMs: ended.monoMs - outcome.monoMs,
    unitEndToCliExitMs: request.cliStartMonoMs + request.cliMs - ended.monoMs,
  };
}
