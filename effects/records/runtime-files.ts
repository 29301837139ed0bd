// The JSON files in the runtime folder, each with its schema and file mode.
// Writers validate before writing (a reader must never meet a file we wrote
// and cannot read); readers report unreadable files instead of throwing.
//
// Written `volatile` (atomic-write.ts: temp file and rename, no fsync): the
// runtime folder is /run/mode-controller, a tmpfs (RuntimeDirectory=) that
// every boot starts empty, so a fsync there writes nothing to any disk, and
// after a power cut none of these files exists whatever was synced. A SIGKILLed
// writer still leaves the old or the new file, never half of one. Each is
// harmless to lose, by what reads it next:
// - desired.json: the generation goes on from the audit log (desired.ts), the
//   boot default is recorded again in a new boot (boot-once.ts), and a record
//   from an earlier boot is older than any start of this one (desired-at-start.ts);
// - last-transition/-guards/-observation.json: for `mode status` and `mode
//   current` only; the next run or observation writes them again;
// - capability-placement/hardware-topology.json: `mode boot` and every run rewrite them.
// The same holds for a runtime folder pointed elsewhere ($RUNTIME_DIRECTORY on
// a disk): a file lost or torn at a power cut reads as missing or unreadable;
// the controller treats either as absent, `mode status` names the unreadable one.
import { join } from 'node:path';
import type { z } from 'zod';
import { DesiredRecord, GuardReport, TransitionRecord } from '../../schemas/records.ts';
import { CapabilityPlacementRecord, HardwareTopology, ObservationRecord } from '../../schemas/runtime-records.ts';
import { writeJsonAtomic } from './atomic-write.ts';
import type { WriteResult } from './failure.ts';
import { RUNTIME_FILES } from './paths.ts';
import { readJsonFile } from './read-json.ts';
import type { ReadResult } from './read-json.ts';

interface RuntimeRecordTypes {
  desired: DesiredRecord;
  lastTransition: TransitionRecord;
  lastGuards: GuardReport;
  lastObservation: ObservationRecord;
  capabilityPlacement: CapabilityPlacementRecord;
  hardwareTopology: HardwareTopology;
}
export type RuntimeRecordKind = keyof RuntimeRecordTypes;
export type RuntimeRecord<K extends RuntimeRecordKind> = RuntimeRecordTypes[K];

interface Spec<T> {
  file: string;
  schema: z.ZodType<T>;
  mode: number;
}

// 0644 throughout: `mode status` runs as an unprivileged member of modectl and
// reads these; none holds a secret (sessions and GPU processes are what
// loginctl and nvidia-smi show any local user anyway).
const SPECS: { [K in RuntimeRecordKind]: Spec<RuntimeRecordTypes[K]> } = {
  desired: { file: RUNTIME_FILES.desired, schema: DesiredRecord, mode: 0o644 },
  lastTransition: { file: RUNTIME_FILES.lastTransition, schema: TransitionRecord, mode: 0o644 },
  lastGuards: { file: RUNTIME_FILES.lastGuards, schema: GuardReport, mode: 0o644 },
  lastObservation: { file: RUNTIME_FILES.lastObservation, schema: ObservationRecord, mode: 0o644 },
  capabilityPlacement: { file: RUNTIME_FILES.capabilityPlacement, schema: CapabilityPlacementRecord, mode: 0o644 },
  hardwareTopology: { file: RUNTIME_FILES.hardwareTopology, schema: HardwareTopology, mode: 0o644 },
};

export const runtimeRecordPath = (runtimeDir: string, kind: RuntimeRecordKind): string => join(runtimeDir, SPECS[kind].file);
export const runtimeRecordMode = (kind: RuntimeRecordKind): number => SPECS[kind].mode;

export async function writeRuntimeRecord<K extends RuntimeRecordKind>(runtimeDir: string, kind: K, value: RuntimeRecord<K>): Promise<WriteResult> {
  const spec: Spec<RuntimeRecord<K>> = SPECS[kind];
  const path = join(runtimeDir, spec.file);
  const checked = spec.schema.safeParse(value);
  if (!checked.success) {
    return {
      ok: false,
      failure: {
        code: 'invalid-record',
        operation: 'write',
        path,
        errno: null,
        message: `refusing to write ${path}: the record does not match its schema (${checked.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')})`,
      },
    };
  }
  return writeJsonAtomic(path, checked.data, spec.mode, 'volatile');
}

export function readRuntimeRecord<K extends RuntimeRecordKind>(runtimeDir: string, kind: K): Promise<ReadResult<RuntimeRecord<K>>> {
  const spec: Spec<RuntimeRecord<K>> = SPECS[kind];
  return readJsonFile(join(runtimeDir, spec.file), spec.schema);
}
