// The fleet port: what a lab's own tools (a metrics system, a workload
// manager) learn from this workstation and may be asked to do for it. Types
// only; the adapters behind it live beside it (metrics/, and a workload
// manager's folder), and every call answers with a FleetResult, never a throw.
//
// Two kinds of adapter plug in:
// - a publisher (metrics) implements `publish` only: it is handed the state
//   after every run, once the outcome is recorded, and at boot
//   (cli/run/run-once.ts and cli/boot/index.ts through publish-all.ts). What it
//   answers is reported in the journal and never changes the run's outcome.
// - a workload adapter (Slurm; later k3s: node label dubnium.io/mode, a
//   NoSchedule taint outside compute, cordon + drain of GPU pods) implements
//   all of it, and the run uses it as it uses systemd:
//   * `listRunningWork` is a fact source of the observation, so a guard
//     decides on it (jobs still running block leaving compute) and an
//     unreachable manager is an unknown fact with its reason (fail closed);
//   * `drain` runs before the first step that leaves compute, so no new work
//     lands while the switch waits for running work to end; a switch never
//     kills work;
//   * `resume` runs only after compute is proven by a fresh observation, and
//     what it did is proven by observing again (the manager's node state is a
//     fact), like any other step;
//   * `publish` keeps the manager's view in line with the proven mode (a node
//     drained outside compute with reason `dubnium: <mode>`).
// An adapter is listed by fleetAdapters (adapters.ts) when its config key
// (`metrics.enable`, `slurm.enable`, ...) turns it on.
import type { AuditReadResult } from '../records/audit-read.ts';
import type { CommandEvidence, DesiredRecord, TransitionRecord } from '../../schemas/records.ts';
import type { ObservationRecord } from '../../schemas/runtime-records.ts';

/** What a call to the fleet came to; `evidence` holds the commands it ran (none for a file write). */
export type FleetResult<T> =
  | { kind: 'ok'; value: T; evidence: CommandEvidence[] }
  /** the manager could not be asked (slurmctld down, no such node): a fact the run treats as unknown */
  | { kind: 'unreachable'; reason: string; evidence: CommandEvidence[] }
  /** it was asked and refused, or the write failed; `reason` names the problem and what to do */
  | { kind: 'failed'; reason: string; evidence: CommandEvidence[] };

/** One piece of work the workload manager runs on this node (a Slurm job, a pod). */
export interface RunningWork {
  /** the manager's id: a Slurm job id, namespace/pod */
  id: string;
  user: string | null;
  name: string | null;
  /** the manager's own word for its state, e.g. RUNNING, COMPLETING */
  state: string;
  /** when it started, ISO 8601, when the manager says */
  startedAt: string | null;
}

/** The moment of publishing: after a run's outcome is recorded, or when the machine boots. */
export type FleetTrigger = 'run' | 'boot';

/** The controller's state as read from its records once, shared by every adapter. */
export interface FleetSnapshot {
  trigger: FleetTrigger;
  at: Date;
  /** the record of the run that just ended; null at boot */
  record: TransitionRecord | null;
  /** desired.json; null when none is recorded */
  desired: DesiredRecord | null;
  /** last-transition.json: after a run its record; at boot usually null (/run is new) */
  lastTransition: TransitionRecord | null;
  /** last-observation.json, the newest facts and their classification; null when none survives */
  observation: ObservationRecord | null;
  /** the audit log across its rotated files, what survives a reboot; null when no adapter configured reads it */
  audit: AuditReadResult | null;
}

/** A snapshot with the audit log read: what an adapter that says `readsAudit` is handed. */
export type AuditedSnapshot = FleetSnapshot & { audit: AuditReadResult };

export interface FleetPublisher {
  /** short and stable, for the journal: `metrics`, `slurm` */
  readonly name: string;
  /**
   * Whether publish reads snapshot.audit. The snapshot holds the audit log (all of its files, up to
   * 6 MiB: ~300 ms and ~20 MB of a run's peak under --jitless, bench/README.md) only when an adapter
   * configured says so.
   */
  readonly readsAudit: boolean;
  /** Brings the adapter's view in line with the snapshot; bounded by the adapter's own timeouts. */
  publish(snapshot: FleetSnapshot, signal?: AbortSignal): Promise<FleetResult<null>>;
}

export interface WorkloadAdapter extends FleetPublisher {
  /** Stops new work landing on this node; running work goes on. `reason` is shown by the manager. */
  drain(reason: string, signal?: AbortSignal): Promise<FleetResult<null>>;
  /** Lets work land again; call only once compute is proven. */
  resume(signal?: AbortSignal): Promise<FleetResult<null>>;
  /** The work running on this node now, as a fact. */
  listRunningWork(signal?: AbortSignal): Promise<FleetResult<RunningWork[]>>;
}

export type FleetAdapter = FleetPublisher | WorkloadAdapter;

export const isWorkloadAdapter = (adapter: FleetAdapter): adapter is WorkloadAdapter =>
  'drain' in adapter && 'resume' in adapter && 'listRunningWork' in adapter;
