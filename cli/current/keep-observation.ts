// Leaves a fresh observation as last-observation.json, so that `mode status`
// and `mode current` show it afterwards. Its own module: cli/current/fresh.ts
// imports it once the tools are started, so that the record schemas it checks
// against (records.ts, facts.ts) are built while they run.
import type { CurrentOutput } from '../../schemas/cli-output.ts';
import type { Classification } from '../../schemas/records.ts';
import type { Facts } from '../../schemas/facts.ts';
import type { ObservationRecord } from '../../schemas/runtime-records.ts';
import { readBootId } from '../../effects/records/boot-id.ts';
import type { RecordsFailureCode } from '../../effects/records/failure.ts';
import { recordObservation } from '../../effects/records/observation-record.ts';
import { runtimeRecordPath, writeRuntimeRecord } from '../../effects/records/runtime-files.ts';

// What an unprivileged user meets in root's runtime folder (0755), or where no
// controller ever ran: nothing to tell, the fresh observation is printed anyway.
const NOT_OURS_TO_WRITE: readonly RecordsFailureCode[] = ['permission-denied', 'read-only', 'missing-directory'];

export async function keepObservation(facts: Facts, classification: Classification, runtimeDir: string): Promise<CurrentOutput['problems']> {
  const sink = { writeObservation: (record: ObservationRecord) => writeRuntimeRecord(runtimeDir, 'lastObservation', record), bootId: () => readBootId() };
  const written = await recordObservation(sink, facts, classification, { runId: null, writtenAt: new Date() });
  if (written.ok || NOT_OURS_TO_WRITE.includes(written.failure.code)) return [];
  return [{ file: runtimeRecordPath(runtimeDir, 'lastObservation'), reason: `the fresh observation was not recorded: ${written.failure.message}` }];
}
