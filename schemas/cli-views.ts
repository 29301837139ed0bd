// What the read-only verbs (`mode status`, `current`, `desired`, `history`)
// read from the records: each view picks the fields the CLI shows and lets
// the rest pass. scripts/generate-cli-validators.ts compiles them into
// standalone ajv validators (cli/records/validators.generated.js), so those
// verbs validate what they print without loading zod or ajv at run time.
import { z } from 'zod';
import { AuditEvent, DesiredRecord, Intent, TransitionRecord } from './records.ts';
import { LockHolderNote, ObservationRecord } from './runtime-records.ts';

export const TransitionView = TransitionRecord.pick({
  schemaVersion: true,
  runId: true,
  target: true,
  generation: true,
  outcome: true,
  firstFailedPredicate: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
}).loose();
export type TransitionView = z.infer<typeof TransitionView>;

export const ObservationView = ObservationRecord.pick({
  schemaVersion: true,
  runId: true,
  writtenAt: true,
  bootId: true,
  classification: true,
})
  .extend({ facts: z.looseObject({ observedAt: z.iso.datetime() }) })
  .loose();
export type ObservationView = z.infer<typeof ObservationView>;

/** The views by the name of their generated validator. */
export const CLI_VIEWS = {
  desired: DesiredRecord,
  transition: TransitionView,
  observation: ObservationView,
  auditEvent: AuditEvent,
  lockHolder: LockHolderNote,
  intent: Intent,
} as const satisfies Record<string, z.ZodType>;
