// A fresh observation for `mode current --refresh`: the one place the
// read-only verb loads the observers, the predicates and zod. Run as root, it
// also leaves the observation as last-observation.json, so `mode status` and
// `mode current` show it afterwards.
import type { CurrentOutput } from '../../schemas/cli-output.ts';
import type { Classification } from '../../schemas/records.ts';
import type { Facts } from '../../schemas/facts.ts';
import type { ObservationRecord } from '../../schemas/runtime-records.ts';
import { observeFacts } from '../../effects/observe/observe-facts.ts';
import { readBootId } from '../../effects/records/boot-id.ts';
import type { RecordsFailureCode } from '../../effects/records/failure.ts';
import { recordObservation } from '../../effects/records/observation-record.ts';
import type { RecordPaths } from '../../effects/records/paths.ts';
import { runtimeRecordPath, writeRuntimeRecord } from '../../effects/records/runtime-files.ts';
import { classify } from '../../predicates/classify.ts';
import { loadConfig } from '../config/load.ts';
import { observedSummary } from '../status/observed.ts';

export async function freshCurrent(paths: Pick<RecordPaths, 'configPath' | 'runtimeDir'>, env: NodeJS.ProcessEnv): Promise<Omit<CurrentOutput, 'exit'>> {
  const { config } = await loadConfig(paths.configPath);
  const facts = await observeFacts(config, { env });
  const classification = classify(facts, config);
  const problems = await keepObservation(facts, classification, paths.runtimeDir);
  return { schemaVersion: 1, source: 'fresh', observed: observedSummary(classification, facts.observedAt, null), facts, problems };
}

// What an unprivileged user meets in root's runtime folder (0755), or where no
// controller ever ran: nothing to tell, the fresh observation is printed anyway.
const NOT_OURS_TO_WRITE: readonly RecordsFailureCode[] = ['permission-denied', 'read-only', 'missing-directory'];

async function keepObservation(facts: Facts, classification: Classification, runtimeDir: string): Promise<CurrentOutput['problems']> {
  const sink = { writeObservation: (record: ObservationRecord) => writeRuntimeRecord(runtimeDir, 'lastObservation', record), bootId: () => readBootId() };
  const written = await recordObservation(sink, facts, classification, { runId: null, writtenAt: new Date() });
  if (written.ok || NOT_OURS_TO_WRITE.includes(written.failure.code)) return [];
  return [{ file: runtimeRecordPath(runtimeDir, 'lastObservation'), reason: `the fresh observation was not recorded: ${written.failure.message}` }];
}
