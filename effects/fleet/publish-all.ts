// Hands the controller's state to every configured fleet adapter, once the
// run's outcome is recorded (and at boot). The state is read from the records
// once and shared; each adapter gets a deadline, and what it answers (a
// failure, a throw, no answer in time) becomes a report for the journal. The
// caller never lets a report change the outcome it already recorded.
import type { RecordStore } from '../records/store.ts';
import type { TransitionRecord } from '../../schemas/records.ts';
import { describeError } from '../../shared/describe-error.ts';
import { withDeadline } from '../observe/with-deadline.ts';
import type { FleetAdapter, FleetResult, FleetSnapshot, FleetTrigger } from './port.ts';

/**
 * The bound on one adapter's publish. A textfile write takes milliseconds; a
 * workload manager's calls carry their own shorter timeouts, so this only
 * stops an adapter that hangs from holding the unit: with the 10 s a stopped
 * run takes to record `interrupted`, it stays inside TimeoutStopSec=45s.
 */
export const FLEET_PUBLISH_TIMEOUT_MS = 20_000;

export type SnapshotSource = Pick<RecordStore, 'readDesired' | 'readRuntime' | 'readAudit'>;

export interface FleetReport {
  adapter: string;
  result: FleetResult<null>;
}

/** The records once, for every adapter; the whole audit log only when `withAudit` (an adapter reads it). */
export async function gatherFleetSnapshot(source: SnapshotSource, trigger: FleetTrigger, record: TransitionRecord | null, at: Date = new Date(), withAudit = true): Promise<FleetSnapshot> {
  const [desired, lastTransition, observation, audit] = await Promise.all([
    source.readDesired(),
    source.readRuntime('lastTransition'),
    source.readRuntime('lastObservation'),
    withAudit ? source.readAudit() : null,
  ]);
  return {
    trigger,
    at,
    record,
    desired,
    lastTransition: lastTransition.status === 'ok' ? lastTransition.value : record,
    observation: observation.status === 'ok' ? observation.value : null,
    audit,
  };
}

export interface PublishOptions {
  /** one journal line per adapter that did not publish */
  report: (line: string) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Every adapter is asked, in order, whatever the one before it answered. */
export async function publishToFleet(adapters: readonly FleetAdapter[], snapshot: FleetSnapshot, options: PublishOptions): Promise<FleetReport[]> {
  const timeoutMs = options.timeoutMs ?? FLEET_PUBLISH_TIMEOUT_MS;
  const reports: FleetReport[] = [];
  for (const adapter of adapters) {
    const result = await withDeadline<FleetResult<null>>(
      adapter.publish(snapshot, options.signal).catch((error: unknown) => ({ kind: 'failed', reason: `the ${adapter.name} adapter threw: ${describeError(error)}`, evidence: [] })),
      timeoutMs,
      () => ({ kind: 'failed', reason: `the ${adapter.name} adapter did not publish within ${timeoutMs} ms`, evidence: [] }),
    );
    reports.push({ adapter: adapter.name, result });
    if (result.kind !== 'ok') options.report(`fleet-unpublished ${JSON.stringify({ adapter: adapter.name, trigger: snapshot.trigger, kind: result.kind, reason: result.reason })}\n`);
  }
  return reports;
}

/** gather + publish, for the two callers (a run, the boot); with no adapter configured it reads nothing. */
export async function publishState(adapters: readonly FleetAdapter[], source: SnapshotSource, trigger: FleetTrigger, record: TransitionRecord | null, options: PublishOptions): Promise<FleetReport[]> {
  if (adapters.length === 0) return [];
  let snapshot: FleetSnapshot;
  try {
    snapshot = await gatherFleetSnapshot(source, trigger, record, new Date(), adapters.some((adapter) => adapter.readsAudit));
  } catch (error) {
    // the readers answer with values; this keeps a bug in one from failing a run that is already recorded
    const reason = `the controller's records could not be read for the fleet: ${describeError(error)}`;
    options.report(`fleet-unpublished ${JSON.stringify({ adapter: null, trigger, kind: 'failed', reason })}\n`);
    return adapters.map((adapter) => ({ adapter: adapter.name, result: { kind: 'failed', reason, evidence: [] } }));
  }
  return publishToFleet(adapters, snapshot, options);
}
