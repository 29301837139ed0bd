// The desired mode, level-triggered like a Kubernetes spec: each request bumps
// a generation under the short desired lock (read, +1, atomic write), so two
// requests 100 ms apart get distinct generations and the run that comes next
// reconciles to the newest one. The long controller lock is not involved, so a
// request is recorded at once even while a transition is running.
import { DesiredRecord } from '../../schemas/records.ts';
import type { DesiredRecord as DesiredRecordType } from '../../schemas/records.ts';
import { MODES } from '../../schemas/names.ts';
import type { ModeName } from '../../schemas/names.ts';
import type { AppendAuditResult, AuditLogSettings, AuditStamp } from './audit-log.ts';
import { appendAudit, auditLogPath } from './audit-log.ts';
import { lastAuditedGeneration } from './audit-read.ts';
import type { RecordsFailure } from './failure.ts';
import { acquireLock } from './lock.ts';
import { RUNTIME_FILES } from './paths.ts';
import { readRuntimeRecord, runtimeRecordPath, writeRuntimeRecord } from './runtime-files.ts';
import { sweepTempFiles } from './temp-sweep.ts';

export interface RecordDesiredOptions {
  runtimeDir: string;
  audit: AuditLogSettings;
  stamp: AuditStamp;
  flockPath?: string | undefined;
  /** how long to wait for another request's read-increment-write */
  lockWaitMs?: number | undefined;
}

export type RecordDesiredResult =
  | { ok: true; record: DesiredRecordType; previous: DesiredRecordType | null; audit: AppendAuditResult }
  | { ok: false; failure: RecordsFailure };

const DESIRED_LOCK_WAIT_MS = 10_000;

export async function recordDesired(mode: ModeName, requestedBy: string | null, options: RecordDesiredOptions): Promise<RecordDesiredResult> {
  const path = runtimeRecordPath(options.runtimeDir, 'desired');
  if (!(MODES as readonly string[]).includes(mode)) {
    return {
      ok: false,
      failure: { code: 'invalid-record', operation: 'record desired mode in', path, errno: null, message: `unknown mode ${JSON.stringify(mode)}; choose one of ${MODES.join(', ')}` },
    };
  }
  const waitMs = options.lockWaitMs ?? DESIRED_LOCK_WAIT_MS;
  const lock = await acquireLock(options.runtimeDir, {
    fileName: RUNTIME_FILES.desiredLock,
    noteName: null,
    waitMs,
    flockPath: options.flockPath,
  });
  if (!lock.acquired) {
    if (!lock.busy) return { ok: false, failure: lock.failure };
    return {
      ok: false,
      failure: { code: 'lock-timeout', operation: 'lock', path, errno: null, message: `another request held the desired-mode lock for more than ${waitMs} ms; try again` },
    };
  }
  try {
    // Only desired.json's temp files are ours under this lock; the run's own are swept under the controller lock.
    await sweepTempFiles(options.runtimeDir, (target) => target === RUNTIME_FILES.desired);
    const current = await readRuntimeRecord(options.runtimeDir, 'desired');
    const previous = current.status === 'ok' ? current.value : null;
    // /run is empty after a reboot; the audit log remembers the last generation handed out.
    const audited = await lastAuditedGeneration(auditLogPath(options.audit.stateDir), options.audit.keep);
    const generation = Math.max(previous?.generation ?? 0, audited ?? 0) + 1;
    const record = DesiredRecord.parse({
      schemaVersion: 1,
      mode,
      generation,
      requestedAt: options.stamp.wall.toISOString(),
      requestedBy,
    });
    const written = await writeRuntimeRecord(options.runtimeDir, 'desired', record);
    if (!written.ok) return written;
    const audit = await appendAudit(
      options.audit,
      { runId: null, event: 'desired', target: mode, generation, outcome: null, reason: null, detail: { requestedBy, previousMode: previous?.mode ?? null } },
      options.stamp,
    );
    return { ok: true, record, previous, audit };
  } finally {
    await lock.release();
  }
}
