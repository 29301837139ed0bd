// The small JSON records that say the mode, read again whenever one of their
// folders changes: the desired mode, the observed mode (the newest of
// last-observation.json and last-transition.json, as `mode status` decides
// it), the last outcome, and the run in progress (its intent journal, or for a
// user who may not read the state folder, the lock holder note).
import type { TransitionView } from '../../schemas/cli-views.ts';
import type { ObservedSummary } from '../../schemas/cli-output.ts';
import type { DesiredRecord } from '../../schemas/records.ts';
import type { WatchRun } from '../../schemas/cli-watch.ts';
import type { RecordFiles } from '../record-views/files.ts';
import type { RecordRead } from '../record-views/read.ts';
import { readStatusRecords } from '../status/gather.ts';
import { latestObserved } from '../status/observed.ts';

export interface Snapshot {
  desired: DesiredRecord | null;
  observed: ObservedSummary | null;
  transition: TransitionView | null;
  run: WatchRun | null;
  /**
   * the run is known by its lock note alone, though the intent journal could be
   * read: it has not journaled its target yet, or never will (a noop or blocked run)
   */
  runByLockOnly: boolean;
  /** records that exist and cannot be read, with why */
  problems: string[];
}

export async function readSnapshot(files: RecordFiles): Promise<Snapshot> {
  const { desired, transition, observation, intent, holder, problems } = await readStatusRecords(files);
  const value = <T>(read: RecordRead<T>): T | null => (read.status === 'ok' ? read.value : null);
  const transitionValue = value(transition);
  let run: WatchRun | null = null;
  if (intent.status === 'ok') {
    const { runId, target, generation, step, startedAt } = intent.value;
    run = { runId, target, generation, step, startedAt };
  } else if (holder.status === 'ok') {
    run = { runId: holder.value.runId, target: null, generation: null, step: null, startedAt: holder.value.startedAt };
  }
  return {
    desired: value(desired),
    observed: latestObserved(value(observation), transitionValue),
    transition: transitionValue,
    run,
    runByLockOnly: intent.status === 'missing' && holder.status === 'ok',
    problems: problems.map((problem) => problem.reason),
  };
}
