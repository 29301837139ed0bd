// The desired mode, level-triggered like a Kubernetes spec: each request bumps
// a generation under the short audit lock (read, +1, atomic write, audit
// event), so two requests 100 ms apart get distinct generations and the run
// that comes next reconciles to the newest one. The audit lock rather than a
// lock of its own: the generation is read from the audit log as well, and a
// request writes its audit event anyway, so one flock(1) serves both. The long
// controller lock is not involved, so a request is recorded at once even while
// a transition is running. A controller run claims its own instance here too,
// when nobody recorded its start.
import { DesiredRecord } from '../../schemas/records.ts';
import type { DesiredRecord as DesiredRecordType } from '../../schemas/records.ts';
import { MODES } from '../../schemas/names.ts';
import type { ModeName } from '../../schemas/names.ts';
import type { AppendAuditResult, AuditLogSettings, AuditStamp } from './audit-log.ts';
import { appendAuditHoldingLock, auditLockSettings, auditLogPath } from './audit-log.ts';
import { createAuditLock } from './audit-lock.ts';
import type { AuditLock } from './audit-lock.ts';
import { lastAuditedGeneration } from './audit-read.ts';
import type { RecordsFailure } from './failure.ts';
import { RUNTIME_FILES } from './paths.ts';
import { readRuntimeRecord, runtimeRecordPath, writeRuntimeRecord } from './runtime-files.ts';
import { sweepTempFiles } from './temp-sweep.ts';
import { desiredAtStart, type DesiredAtStart, type UnitStart } from './desired-at-start.ts';
import { bootOnce, bootRequestsOf, type BootOnce } from './boot-once.ts';
import { readAuditLog } from './audit-read.ts';

export interface RecordDesiredOptions {
  runtimeDir: string;
  audit: AuditLogSettings;
  /** taken under the audit lock, so a record's monoMs orders it against every other request */
  stamp: () => Promise<AuditStamp>;
  flockPath?: string | undefined;
  /** the audit lock to take (the store's); by default one taken for this request */
  auditLock?: AuditLock | undefined;
  /** how long to wait for another request's read-increment-write */
  lockWaitMs?: number | undefined;
  /** the controller run that records, for the audit event */
  runId?: string | null | undefined;
}

export type RecordDesiredResult =
  | { ok: true; record: DesiredRecordType; previous: DesiredRecordType | null; audit: AppendAuditResult }
  | { ok: false; failure: RecordsFailure };

export type ClaimDesiredResult =
  | RecordDesiredResult
  | { ok: true; refreshed: DesiredRecordType }
  | { ok: true; kept: Extract<DesiredAtStart, { action: 'keep' }> };

export type RecordBootDefaultResult = RecordDesiredResult | { ok: true; skipped: Extract<BootOnce, { action: 'skip' }> };

export interface DesiredRequest {
  mode: ModeName;
  requestedBy: string | null;
  via: NonNullable<DesiredRecordType['via']>;
  /** `mode request --no-grace` (root): the run ends a session without warning its user */
  noGrace?: boolean | undefined;
  /** `mode request --force` (root): leave compute although Slurm jobs run on the node; none is killed */
  force?: boolean | undefined;
}

const DESIRED_LOCK_WAIT_MS = 10_000;

/** Records `mode` as desired: a new generation, whatever desired.json names now. */
export function recordDesired(request: DesiredRequest, options: RecordDesiredOptions): Promise<RecordDesiredResult> {
  return underDesiredLock(options, async (current) => {
    const stamp = await options.stamp();
    return writeGeneration(request, current, { record: stamp, audit: stamp }, options);
  });
}

/**
 * What a controller run does when its unit starts (desired-at-start.ts):
 * records its instance as desired, stamped with the start, unless
 * desired.json holds a newer request.
 */
export function claimDesiredAtStart(start: UnitStart, options: RecordDesiredOptions): Promise<ClaimDesiredResult> {
  return underDesiredLock<ClaimDesiredResult>(options, async (current) => {
    const decision = desiredAtStart(current, start);
    if (decision.action === 'keep') return { ok: true, kept: decision };
    const now = await options.stamp();
    // the request was the start, not this moment: the run may have waited seconds to get here
    const stamp: AuditStamp = { bootId: start.bootId, monoMs: start.startedMonoMs, wall: new Date(now.wall.getTime() - Math.max(0, (now.monoMs ?? start.startedMonoMs) - start.startedMonoMs)) };
    if (decision.action === 'record' || current === null) return writeGeneration({ mode: start.mode, requestedBy: null, via: 'unit-start' }, current, { record: stamp, audit: now }, options);
    const refreshed = DesiredRecord.parse({ ...current, bootId: stamp.bootId, monoMs: stamp.monoMs });
    const written = await writeRuntimeRecord(options.runtimeDir, 'desired', refreshed);
    return written.ok ? { ok: true, refreshed } : written;
  });
}

/**
 * What mode-boot.service does (boot-once.ts): records the boot default as
 * desired, unless it was recorded in this boot already or a request of this
 * boot is newer. The audit log says what earlier runs of mode boot did in
 * this boot, even when desired.json names a later request.
 */
export function recordBootDefault(mode: ModeName, options: RecordDesiredOptions): Promise<RecordBootDefaultResult> {
  return underDesiredLock<RecordBootDefaultResult>(options, async (current) => {
    const stamp = await options.stamp();
    const audit = await readAuditLog(auditLogPath(options.audit.stateDir), options.audit.keep);
    const decision = bootOnce(current, stamp.bootId === null ? [] : bootRequestsOf(audit.events, stamp.bootId), stamp.bootId);
    if (decision.action === 'skip') return { ok: true, skipped: decision };
    return writeGeneration({ mode, requestedBy: 'boot', via: 'boot' }, current, { record: stamp, audit: stamp }, options);
  });
}

async function underDesiredLock<T extends { ok: boolean }>(options: RecordDesiredOptions, update: (current: DesiredRecordType | null) => Promise<T | RecordDesiredResult>): Promise<T | RecordDesiredResult> {
  const path = runtimeRecordPath(options.runtimeDir, 'desired');
  const waitMs = options.lockWaitMs ?? DESIRED_LOCK_WAIT_MS;
  const lock = options.auditLock ?? createAuditLock({ ...auditLockSettings(options.audit), flockPath: options.flockPath ?? options.audit.flockPath, waitMs });
  const waited = options.auditLock === undefined ? waitMs : options.audit.lockWaitMs;
  const result = await lock.withLock(async () => {
    // Only desired.json's temp files are ours under this lock; the run's own are swept under the controller lock.
    await sweepTempFiles(options.runtimeDir, (target) => target === RUNTIME_FILES.desired);
    const current = await readRuntimeRecord(options.runtimeDir, 'desired');
    return update(current.status === 'ok' ? current.value : null);
  }, null);
  if (result.ok) return result.value;
  if (result.failure.code !== 'lock-timeout') return result;
  return {
    ok: false,
    failure: { ...result.failure, path, message: `another writer held the audit lock (${result.failure.path}), which guards the generation, for more than ${waited} ms; the desired mode was not recorded, try again` },
  };
}

/**
 * A new generation: one more than desired.json's and the audit log's, written
 * and audited. The record is stamped with its request; the audit event with
 * the moment it was written, so the log's monoMs never goes back.
 */
async function writeGeneration(
  request: DesiredRequest,
  previous: DesiredRecordType | null,
  stamps: { record: AuditStamp; audit: AuditStamp },
  options: RecordDesiredOptions,
): Promise<RecordDesiredResult> {
  const stamp = stamps.record;
  const { mode, requestedBy, via } = request;
  if (!(MODES as readonly string[]).includes(mode)) {
    const path = runtimeRecordPath(options.runtimeDir, 'desired');
    return {
      ok: false,
      failure: { code: 'invalid-record', operation: 'record desired mode in', path, errno: null, message: `unknown mode ${JSON.stringify(mode)}; choose one of ${MODES.join(', ')}` },
    };
  }
  // /run is empty after a reboot; the audit log remembers the last generation handed out.
  const audited = await lastAuditedGeneration(auditLogPath(options.audit.stateDir), options.audit.keep);
  const generation = Math.max(previous?.generation ?? 0, audited ?? 0) + 1;
  const record = DesiredRecord.parse({
    schemaVersion: 1,
    mode,
    generation,
    requestedAt: stamp.wall.toISOString(),
    requestedBy,
    via,
    bootId: stamp.bootId,
    monoMs: stamp.monoMs,
    ...(request.noGrace === true ? { noGrace: true } : {}),
    ...(request.force === true ? { force: true } : {}),
  });
  const written = await writeRuntimeRecord(options.runtimeDir, 'desired', record);
  if (!written.ok) return written;
  const audit = await appendAuditHoldingLock(
    options.audit,
    { runId: options.runId ?? null, event: 'desired', target: mode, generation, outcome: null, reason: null, detail: { requestedBy, via, previousMode: previous?.mode ?? null, ...(request.noGrace === true ? { noGrace: true } : {}), ...(request.force === true ? { force: true } : {}) } },
    stamps.audit,
  );
  return { ok: true, record, previous, audit };
}
