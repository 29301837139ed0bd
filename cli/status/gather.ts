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
  const [records, inFlight] = await Promise.all([readStatusRecords(files), lockHeld(files.lock)]);
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
