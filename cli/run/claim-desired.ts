// The run's first act under its unit: make its start count as a request
// (effects/records/desired-at-start.ts) and say in the journal what it did.
// A failure is said and the run goes on: it then reconciles to whatever
// desired.json names, as before this claim existed.
import type { RecordStore } from '../../effects/records/store.ts';
import type { ModeName } from '../../schemas/names.ts';

export async function claimDesired(store: Pick<RecordStore, 'claimDesiredAtStart'>, target: ModeName, startedMonoMs: number, out: (text: string) => void): Promise<void> {
  const result = await store.claimDesiredAtStart(target, startedMonoMs);
  if (!result.ok) {
    out(`desired: could not record ${target} as desired (${result.failure.message}); this run reconciles to what desired.json names\n`);
  } else if ('kept' in result) {
    const { desired, reason } = result.kept;
    out(
      reason === 'already-desired'
        ? `desired: desired.json already names ${target} (generation ${desired.generation})\n`
        : `desired: ${desired.mode} (generation ${desired.generation}) was requested after this run started; the run reconciles to it\n`,
    );
  } else if ('refreshed' in result) {
    out(`desired: desired.json already names ${target} (generation ${result.refreshed.generation}); it now dates from this start\n`);
  } else {
    out(`desired: recorded ${target} (generation ${result.record.generation}) for this start of the unit; nobody had recorded it\n`);
  }
}
