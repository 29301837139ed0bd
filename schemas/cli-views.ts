// What the read-only verbs (`mode status`, `current`, `desired`, `history`)
// read from the records: each view picks the fields the CLI shows and lets
// the rest pass. scripts/generate-cli-validators.ts compiles them into
// standalone ajv validators (cli/record-views/validators.generated.js), so those
// verbs validate what they print without loading zod or ajv at run time.
import * as z from 'zod';
import { FactSource, UnknownReasonCode, type FACT_NAMES, type OPTIONAL_FACT_NAMES } from './facts.ts';
import { AuditEvent, DesiredRecord, Intent, TransitionRecord } from './records.ts';
import { CapabilityPlacementRecord, HardwareTopology, LockHolderNote, ObservationRecord } from './runtime-records.ts';

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
  from: true,
  finalObservation: true,
  warnings: true,
}).loose();
export type TransitionView = z.infer<typeof TransitionView>;

/** A fact's envelope: known or unknown with its reason; the value itself is not checked here. */
export const FactEnvelope = z.discriminatedUnion('status', [
  z.looseObject({ status: z.literal('known'), value: z.unknown(), source: FactSource, readAt: z.iso.datetime() }),
  z.looseObject({ status: z.literal('unknown'), code: UnknownReasonCode, reason: z.string(), source: FactSource, readAt: z.iso.datetime() }),
]);
export type FactEnvelope = z.infer<typeof FactEnvelope>;

export const ObservationView = ObservationRecord.pick({
  schemaVersion: true,
  runId: true,
  writtenAt: true,
  bootId: true,
  classification: true,
})
  .extend({
    facts: z.looseObject({
      observedAt: z.iso.datetime(),
      units: FactEnvelope,
      sessions: FactEnvelope,
      gpus: FactEnvelope,
      alsa: FactEnvelope,
      audioStreams: FactEnvelope,
      audioProcesses: FactEnvelope,
      /** absent in observations recorded before the audio realtime fact existed */
      audioRealtime: FactEnvelope.optional(),
      memory: FactEnvelope,
      paths: FactEnvelope,
      /** absent in observations recorded before the GPU holders fact existed */
      gpuHolders: FactEnvelope.optional(),
      /** absent in observations recorded before the model fact existed */
      model: FactEnvelope.optional(),
      /** absent when config.slurm.enable is false, and in observations recorded before the Slurm fact existed */
      slurm: FactEnvelope.optional(),
    } satisfies Record<(typeof FACT_NAMES)[number] | (typeof OPTIONAL_FACT_NAMES)[number] | 'observedAt', z.ZodType>),
  })
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
  capabilityPlacement: CapabilityPlacementRecord,
  hardwareTopology: HardwareTopology,
} as const satisfies Record<string, z.ZodType>;
