// What dubnium.prom says, derived from the controller's records alone: pure,
// so the counting rules are tested without files. The counters come from the
// audit log (not from a process's memory), so they survive a reboot and every
// run of the controller reports the same totals.
import { ObservedModeName, type ModeName } from '../../../schemas/names.ts';
import type { AuditEvent, Outcome } from '../../../schemas/records.ts';
import type { AuditedSnapshot, FleetSnapshot } from '../port.ts';

/** The label value for a fact an audit line does not carry (a line older than the field, a rejected or recovered run). */
export const UNRECORDED = 'unrecorded';

/**
 * Upper bounds of dubnium_transition_duration_seconds, in seconds. A desktop
 * switch takes seconds; compute waits for the GPU to be released and for vLLM
 * to answer (its budget is 15 min), and the unit gives a run 30 min in all.
 */
export const DURATION_BUCKETS_SECONDS = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800] as const;

export interface TransitionCount {
  from: string;
  to: string;
  outcome: Outcome;
  count: number;
}

export interface DurationHistogram {
  to: string;
  /** cumulative counts, one per DURATION_BUCKETS_SECONDS bound */
  buckets: number[];
  sum: number;
  count: number;
}

export interface GpuHolderCount {
  gpu: string;
  type: string;
  count: number;
}

export interface MetricsModel {
  observedMode: ObservedModeName;
  /** when the observation behind observedMode was made, unix seconds; null when none is recorded */
  observedAt: number | null;
  desiredMode: ModeName | null;
  pending: boolean;
  transitions: TransitionCount[];
  durations: DurationHistogram[];
  /** newest transition of each outcome, unix seconds */
  lastTransition: { outcome: Outcome; timestamp: number }[];
  guardBlocks: { code: string; count: number }[];
  /** null when the last observation does not know the GPUs */
  gpuHolders: GpuHolderCount[] | null;
  /** audit lines that could not be read, so not counted */
  auditSkippedLines: number;
}

const seconds = (iso: string): number => Date.parse(iso) / 1000;

function detailString(event: AuditEvent, key: string): string | null {
  const value = event.detail?.[key];
  return typeof value === 'string' ? value : null;
}

/** The runs the log records an end of: outcomes, crashed runs recovered later, and refused runs. */
function isTransition(event: AuditEvent): event is AuditEvent & { outcome: Outcome } {
  return event.outcome !== null && (event.event === 'outcome' || event.event === 'recovered' || event.event === 'rejected');
}

function fromOf(event: AuditEvent): string {
  const from = ObservedModeName.safeParse(detailString(event, 'from'));
  return from.success ? from.data : UNRECORDED;
}

function countTransitions(events: readonly AuditEvent[]): Pick<MetricsModel, 'transitions' | 'durations' | 'lastTransition' | 'guardBlocks'> {
  const transitions = new Map<string, TransitionCount>();
  const durations = new Map<string, DurationHistogram>();
  const last = new Map<Outcome, number>();
  const blocks = new Map<string, number>();
  for (const event of events) {
    if (!isTransition(event)) continue;
    const to = event.target ?? UNRECORDED;
    const from = fromOf(event);
    const key = JSON.stringify([from, to, event.outcome]);
    const counted = transitions.get(key) ?? { from, to, outcome: event.outcome, count: 0 };
    counted.count += 1;
    transitions.set(key, counted);
    const at = seconds(event.wall);
    last.set(event.outcome, Math.max(last.get(event.outcome) ?? at, at));
    const durationMs = event.detail?.durationMs;
    // a busy run only waited for the lock; its time says nothing about a switch
    if (event.event === 'outcome' && event.outcome !== 'busy' && typeof durationMs === 'number' && Number.isFinite(durationMs) && durationMs >= 0) {
      const histogram = durations.get(to) ?? { to, buckets: DURATION_BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };
      const s = durationMs / 1000;
      DURATION_BUCKETS_SECONDS.forEach((bound, i) => {
        if (s <= bound) histogram.buckets[i] = (histogram.buckets[i] ?? 0) + 1;
      });
      histogram.sum += s;
      histogram.count += 1;
      durations.set(to, histogram);
    }
    if (event.event === 'outcome' && event.outcome === 'blocked') {
      const listed = event.detail?.blockedBy;
      const codes = Array.isArray(listed) && listed.length > 0 ? listed.filter((c): c is string => typeof c === 'string') : [UNRECORDED];
      for (const code of new Set(codes)) blocks.set(code, (blocks.get(code) ?? 0) + 1);
    }
  }
  return {
    transitions: [...transitions.values()],
    durations: [...durations.values()],
    lastTransition: [...last].map(([outcome, timestamp]) => ({ outcome, timestamp })),
    guardBlocks: [...blocks].map(([code, count]) => ({ code, count })),
  };
}

/**
 * Per GPU, the processes holding it by nvidia-smi's type (G, C, C+G, ...),
 * and as `unlisted` those found holding /dev/nvidia<minor> open that
 * nvidia-smi does not list (another PID namespace, a container). G and C are
 * always there, so an alert on them has a series to read.
 */
function countGpuHolders(snapshot: FleetSnapshot): GpuHolderCount[] | null {
  const facts = snapshot.observation?.facts;
  if (!facts || facts.gpus.status !== 'known') return null;
  const counts = new Map<string, GpuHolderCount>();
  const add = (gpu: string, type: string, n: number) => {
    const key = JSON.stringify([gpu, type]);
    const entry = counts.get(key) ?? { gpu, type, count: 0 };
    entry.count += n;
    counts.set(key, entry);
  };
  for (const gpu of facts.gpus.value) {
    const gpuLabel = String(gpu.index);
    add(gpuLabel, 'G', 0);
    add(gpuLabel, 'C', 0);
    for (const process of gpu.processes) add(gpuLabel, process.type, 1);
    if (facts.gpuHolders.status !== 'known' || gpu.minorNumber === null || gpu.minorNumber === undefined) continue;
    const node = `/dev/nvidia${gpu.minorNumber}`;
    const listed = new Set(gpu.processes.map((p) => p.pid));
    const unlisted = facts.gpuHolders.value.filter((h) => h.devices.includes(node) && !listed.has(h.pid)).length;
    if (unlisted > 0) add(gpuLabel, 'unlisted', unlisted);
  }
  return [...counts.values()];
}

/** The mode the newest record proves: the last observation, else the last run's final one. */
function observed(snapshot: FleetSnapshot): { mode: ObservedModeName; at: number | null } {
  if (snapshot.observation) return { mode: snapshot.observation.classification.mode, at: seconds(snapshot.observation.facts.observedAt) };
  const final = snapshot.lastTransition?.finalObservation;
  if (final && snapshot.lastTransition) return { mode: final.mode, at: seconds(snapshot.lastTransition.finishedAt) };
  return { mode: 'unknown', at: null };
}

/**
 * Pending as `mode status` judges it from the records: a desired generation
 * no run has reconciled yet, or a desired mode the machine is not observed in
 * (a blocked or rolled-back request stays pending until it is met).
 */
function isPending(snapshot: FleetSnapshot, observedMode: ObservedModeName): boolean {
  const desired = snapshot.desired;
  if (!desired) return false;
  const reconciled = snapshot.lastTransition?.generation ?? null;
  return reconciled === null || reconciled < desired.generation || observedMode !== desired.mode;
}

export function metricsModel(snapshot: AuditedSnapshot): MetricsModel {
  const seen = observed(snapshot);
  return {
    observedMode: seen.mode,
    observedAt: seen.at,
    desiredMode: snapshot.desired?.mode ?? null,
    pending: isPending(snapshot, seen.mode),
    ...countTransitions(snapshot.audit.events),
    gpuHolders: countGpuHolders(snapshot),
    auditSkippedLines: snapshot.audit.skipped,
  };
}
