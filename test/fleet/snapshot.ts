// Snapshots of the controller's records for the fleet tests: audit events in
// the shape the controller appends them, a desired record, an observation.
import type { AuditedSnapshot } from '../../effects/fleet/port.ts';
import type { Facts, Gpu, GpuHolder } from '../../schemas/facts.ts';
import type { ModeName, ObservedModeName } from '../../schemas/names.ts';
import type { AuditEvent, Outcome } from '../../schemas/records.ts';
import type { ObservationRecord } from '../../schemas/runtime-records.ts';
import { factsFor, gpu, known, unknown } from '../engine/support/facts.ts';
import { workstationConfig } from '../engine/support/config.ts';

const T0 = Date.parse('2026-12-03T12:00:00.000Z');
let seq = 0;

export interface OutcomeSpec {
  from?: ObservedModeName | null;
  to: ModeName;
  outcome: Outcome;
  durationMs?: number;
  blockedBy?: unknown[];
  /** seconds after T0 */
  at?: number;
  /** the line as written before the detail existed */
  bare?: boolean;
}

export function outcomeEvent(spec: OutcomeSpec): AuditEvent {
  seq += 1;
  return {
    v: 1,
    seq,
    bootId: 'boot-1',
    wall: new Date(T0 + (spec.at ?? seq) * 1000).toISOString(),
    monoMs: null,
    runId: `run-${seq}`,
    event: 'outcome',
    target: spec.to,
    generation: seq,
    outcome: spec.outcome,
    reason: null,
    ...(spec.bare ? {} : { detail: { from: spec.from ?? 'desktop', durationMs: spec.durationMs ?? 1000, blockedBy: spec.blockedBy ?? [] } }),
  };
}

export function auditEvent(event: AuditEvent['event'], patch: Partial<AuditEvent> = {}): AuditEvent {
  seq += 1;
  return { v: 1, seq, bootId: 'boot-1', wall: new Date(T0 + seq * 1000).toISOString(), monoMs: null, runId: null, event, target: null, generation: null, outcome: null, reason: null, ...patch };
}

export function observation(mode: ModeName, patch: { gpus?: Gpu[] | null; holders?: GpuHolder[] | null } = {}): ObservationRecord {
  const facts: Facts = factsFor(mode, workstationConfig);
  if (patch.gpus !== undefined) facts.gpus = patch.gpus === null ? unknown('nvidia-smi') : known(patch.gpus, 'nvidia-smi');
  if (patch.holders !== undefined) facts.gpuHolders = patch.holders === null ? unknown('proc') : known(patch.holders, 'proc');
  return { schemaVersion: 1, runId: 'run-x', writtenAt: facts.observedAt, bootId: 'boot-1', facts, classification: { mode, evidence: [] } };
}

export const holder = (pid: number, devices: string[]): GpuHolder => ({ pid, command: 'x', uid: 0, devices, cgroup: null, unit: null, userUnit: null, session: null });
export { gpu };

export function snapshot(patch: Partial<AuditedSnapshot> & { events?: AuditEvent[]; skipped?: number } = {}): AuditedSnapshot {
  const { events = [], skipped = 0, ...rest } = patch;
  return {
    trigger: 'run',
    at: new Date(T0),
    record: null,
    desired: null,
    lastTransition: null,
    observation: null,
    audit: { events, skipped, problems: [], files: [] },
    ...rest,
  };
}

export const desired = (mode: ModeName, generation: number) => ({ schemaVersion: 1 as const, mode, generation, requestedAt: new Date(T0).toISOString(), requestedBy: null });
