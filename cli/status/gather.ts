// Reads what `mode status` shows. Records only, no tools: a monitoring loop
// may run it every second.
import type { StatusOutput } from '../../schemas/cli-output.ts';
import type { DesiredRecord, Intent } from '../../schemas/records.ts';
import type { LockHolderNote } from '../../schemas/runtime-records.ts';
import type { ObservationView, TransitionView } from '../../schemas/cli-views.ts';
import { lockHeld } from '../record-views/lock-held.ts';
import { readRecord, type RecordRead } from '../record-views/read.ts';
import type { RecordFiles } from '../record-views/files.ts';

export interface StatusInputs {
  desired: RecordRead<DesiredRecord>;
  transition: RecordRead<TransitionView>;
  observation: RecordRead<ObservationView>;
  holder: RecordRead<LockHolderNote>;
  intent: RecordRead<Intent>;
  inFlight: boolean | null;
  problems: StatusOutput['problems'];
}

export type StatusRecords = Omit<StatusInputs, 'inFlight'>;

export async function gatherStatus(files: RecordFiles): Promise<StatusInputs> {
  const records = await readStatusRecords(files);
  // A run writes the holder note right after it takes the lock and removes it before it lets go
  // (effects/records/lock.ts), so without a note no run holds the lock, and the kernel is asked
  // only when there is one (a run, or the stale note of a killed one). Worth skipping: on the
  // development VM a process's first read of /proc/locks often sleeps 10-20 ms in the kernel.
  const inFlight = records.holder.status === 'missing' ? false : await lockHeld(files.lock);
  return { ...records, inFlight };
}

/** The five records, without probing the lock: `mode watch` reads them again on every change. */
export async function readStatusRecords(files: RecordFiles): Promise<StatusRecords> {
  const [desired, transition, observation, holder, intent] = await Promise.all([
    readRecord(files.desired, 'desired'),
    readRecord(files.lastTransition, 'transition'),
    readRecord(files.lastObservation, 'observation'),
    readRecord(files.lockHolder, 'lockHolder'),
    readRecord(files.intent, 'intent'),
  ]);
  const named: [string, RecordRead<unknown>][] = [
    [files.desired, desired],
    [files.lastTransition, transition],
    [files.lastObservation, observation],
    [files.lockHolder, holder],
    [files.intent, intent],
  ];
  const problems = named.flatMap(([file, read]) => (read.status === 'unreadable' ? [{ file, reason: read.reason }] : []));
  return { desired, transition, observation, holder, intent, problems };
}
