// What a controller run does with desired.json when its unit starts, before it
// waits for the controller lock. Every start of mode-controller@<mode>.service
// is a request for <mode>, but only root can write desired.json: `mode request`
// as root records the mode and then starts the unit, while a member of modectl
// (polkit grants them only the start) and a plain `systemctl start` record
// nothing. So the run records its own instance as desired, stamped with its
// start, unless desired.json holds a request newer than that start.
//
// A record's monoMs is the time of the newest request for its mode: when it
// was recorded, or a later start of its unit (`refresh`). With that, the
// request whose unit started last wins, however long each run takes to get
// here (test/records/desired-at-start.test.ts checks that on random timelines).
// Pure: the caller reads and writes under the audit lock (desired.ts).
import type { DesiredRecord } from '../../schemas/records.ts';
import type { ModeName } from '../../schemas/names.ts';

/** The run: its instance, and when its unit started it, on CLOCK_MONOTONIC of this boot. */
export interface UnitStart {
  mode: ModeName;
  bootId: string | null;
  startedMonoMs: number;
}

export type DesiredAtStart =
  /** a new generation for the run's instance, stamped with its start */
  | { action: 'record' }
  /** desired.json names the instance already, from an older request: the same record, stamped with this start */
  | { action: 'refresh' }
  | { action: 'keep'; reason: 'already-desired' | 'newer-request'; desired: DesiredRecord };

/** When the record's request was made, if it can be compared with `start` (same boot, stamped). */
function requestedMonoMs(record: DesiredRecord, start: UnitStart): number | null {
  if (start.bootId === null || record.bootId !== start.bootId) return null;
  return typeof record.monoMs === 'number' ? record.monoMs : null;
}

export function desiredAtStart(current: DesiredRecord | null, start: UnitStart): DesiredAtStart {
  if (current === null) return { action: 'record' };
  const requested = requestedMonoMs(current, start);
  // a record from another boot or without a stamp is older than any start of this boot
  const newer = requested !== null && requested >= start.startedMonoMs;
  if (current.mode === start.mode) return newer ? { action: 'keep', reason: 'already-desired', desired: current } : { action: 'refresh' };
  return newer ? { action: 'keep', reason: 'newer-request', desired: current } : { action: 'record' };
}
