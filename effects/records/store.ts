// The records half of the Host port for a real host: lock, desired mode,
// intent journal, transition records and the audit log. The real Host is
// observers + actuators + this store. The port's record methods return
// Promise<void>, so a failure (full disk, read-only /run) rejects with a
// RecordsError carrying the typed failure; the chart's onError handles it.
import { isAbsolute } from 'node:path';
import type { Clock, Host, LockResult } from '../../machines/host.ts';
import type { ModeName } from '../../schemas/names.ts';
import type { GuardReport, Intent, TransitionRecord } from '../../schemas/records.ts';
import type { CapabilityPlacementRecord, HardwareTopology, ObservationRecord } from '../../schemas/runtime-records.ts';
import { appendAudit, auditLockSettings, auditLogPath, DEFAULT_AUDIT_SETTINGS } from './audit-log.ts';
import { createAuditLock, RUN_KEEP } from './audit-lock.ts';
import type { AppendAuditResult, AuditInput, AuditLogSettings, AuditStamp } from './audit-log.ts';
import { readAuditLog } from './audit-read.ts';
import type { AuditReadResult } from './audit-read.ts';
import { readBootId } from './boot-id.ts';
import { claimDesiredAtStart, recordBootDefault, recordDesired } from './desired.ts';
import type { ClaimDesiredResult, DesiredRequest, RecordBootDefaultResult, RecordDesiredResult } from './desired.ts';
import { RecordsError } from './failure.ts';
import type { WriteResult } from './failure.ts';
import { clearIntent, readIntent, writeIntent } from './intent.ts';
import type { IntentReadResult } from './intent.ts';
import { acquireLock } from './lock.ts';
import type { LockAttempt } from './lock.ts';
import { RUNTIME_FILES, STATE_FILES } from './paths.ts';
import { readRuntimeRecord, writeRuntimeRecord } from './runtime-files.ts';
import type { RuntimeRecord, RuntimeRecordKind } from './runtime-files.ts';
import type { ReadResult } from './read-json.ts';
import { systemClock } from '../system-clock.ts';
import { sweepTempFiles } from './temp-sweep.ts';
import type { SweepResult } from './temp-sweep.ts';

export interface RecordStoreOptions {
  flockPath?: string | undefined;
  /** wall time for records and monotonic time for audit `monoMs`; never used to judge a lock */
  clock?: Pick<Clock, 'now' | 'monotonicMs'> | undefined;
  bootIdPath?: string | undefined;
  /** written into the lock holder's note */
  runId?: string | null | undefined;
  /** how long lock() waits for a running transition; 0 (the port's contract) does not wait */
  lockWaitMs?: number | undefined;
  audit?: Partial<Omit<AuditLogSettings, 'stateDir' | 'flockPath'>> | undefined;
  /** called with each audit line once it is durable, e.g. to mirror it into the journal via stdout */
  mirror?: ((line: string) => void) | undefined;
}

type StoreMethods = 'lock' | 'readDesired' | 'readIntent' | 'writeIntent' | 'clearIntent' | 'writeRecord' | 'appendAudit' | 'bootId';

export interface RecordStore extends Pick<Host, StoreMethods> {
  readonly runtimeDir: string;
  readonly stateDir: string;
  /** lock() with the full answer: busy, or the failure that kept the lock from being taken */
  tryLock(): Promise<LockAttempt & { swept?: SweepResult }>;
  /** `mode request` (via 'request') and mode-boot.service (via 'boot'): a new generation */
  recordDesired(mode: ModeName, requestedBy: string | null, via?: DesiredRequest['via'], options?: { noGrace?: boolean; force?: boolean }): Promise<RecordDesiredResult>;
  /** mode-boot.service: the boot default as a new generation, once per boot (boot-once.ts) */
  recordBootDefault(mode: ModeName): Promise<RecordBootDefaultResult>;
  /** a controller run at its unit's start: records its instance unless that would undo a request (desired-at-start.ts) */
  claimDesiredAtStart(mode: ModeName, startedMonoMs: number): Promise<ClaimDesiredResult>;
  readIntentRecord(): Promise<IntentReadResult>;
  appendAuditEvent(input: AuditInput): Promise<AppendAuditResult>;
  readAudit(): Promise<AuditReadResult>;
  readRuntime<K extends RuntimeRecordKind>(kind: K): Promise<ReadResult<RuntimeRecord<K>>>;
  writeObservation(record: ObservationRecord): Promise<WriteResult>;
  writeCapabilityPlacement(record: CapabilityPlacementRecord): Promise<WriteResult>;
  writeHardwareTopology(record: HardwareTopology): Promise<WriteResult>;
}

const orThrow = (result: WriteResult): void => {
  if (!result.ok) throw new RecordsError(result.failure);
};

export function createRecordStore(dirs: { runtimeDir: string; stateDir: string }, options: RecordStoreOptions = {}): RecordStore {
  for (const [name, dir] of [['runtimeDir', dirs.runtimeDir], ['stateDir', dirs.stateDir]] as const) {
    if (typeof dir !== 'string' || !isAbsolute(dir)) throw new TypeError(`createRecordStore: ${name} must be an absolute path, got ${JSON.stringify(dir)} (resolveRecordPaths() gives one)`);
  }
  const { runtimeDir, stateDir } = dirs;
  const clock = options.clock ?? systemClock;
  const audit: AuditLogSettings = { ...DEFAULT_AUDIT_SETTINGS, ...options.audit, stateDir, flockPath: options.flockPath };
  let bootIdCache: Promise<string | null> | null = null;
  const bootId = (): Promise<string | null> => (bootIdCache ??= readBootId(options.bootIdPath));
  const stamp = async (): Promise<AuditStamp> => ({ bootId: await bootId(), wall: clock.now(), monoMs: clock.monotonicMs() });
  // One audit lock for every append and desired write of this store. While it
  // holds the controller lock (a run), it keeps the audit lock between the
  // run's appends (audit-lock.ts); otherwise it lets go after each.
  const auditLock = createAuditLock(auditLockSettings(audit));
  let running = false;
  const keep = () => (running ? RUN_KEEP : null);

  const appendAuditEvent = async (input: AuditInput): Promise<AppendAuditResult> => {
    const result = await appendAudit(audit, input, await stamp(), auditLock, keep);
    if (result.ok) options.mirror?.(result.line);
    return result;
  };
  const desiredOptions = () => ({ runtimeDir, audit, stamp, flockPath: options.flockPath, auditLock });

  const tryLock = async (): Promise<LockAttempt & { swept?: SweepResult }> => {
    const attempt = await acquireLock(runtimeDir, {
      flockPath: options.flockPath,
      waitMs: options.lockWaitMs,
      runId: options.runId,
      bootId: await bootId(),
      now: () => clock.now(),
    });
    if (!attempt.acquired) return attempt;
    running = true;
    const release = async (): Promise<void> => {
      // the audit lock first: nothing of this run is appended after its controller lock is gone
      running = false;
      await auditLock.release();
      await attempt.release();
    };
    // Under the controller lock: temp files of everything but desired.json
    // (its writers hold the audit lock instead, desired.ts) are strays of a dead run.
    const runtime = await sweepTempFiles(runtimeDir, (target) => target !== RUNTIME_FILES.desired);
    const state = await sweepTempFiles(stateDir, (target) => target === STATE_FILES.intent);
    return { ...attempt, release, swept: { removed: [...runtime.removed, ...state.removed], failures: [...runtime.failures, ...state.failures] } };
  };

  return {
    runtimeDir,
    stateDir,
    tryLock,
    async lock(): Promise<LockResult> {
      const attempt = await tryLock();
      if (attempt.acquired) return { acquired: true, release: attempt.release };
      if (attempt.busy) return { acquired: false, holder: attempt.holder };
      // Not busy: the lock could not be taken at all (no flock(1), read-only or full /run).
      throw new RecordsError(attempt.failure);
    },
    async readDesired() {
      const result = await readRuntimeRecord(runtimeDir, 'desired');
      return result.status === 'ok' ? result.value : null;
    },
    readIntentRecord: () => readIntent(stateDir),
    async readIntent(): Promise<Intent | null> {
      const result = await readIntent(stateDir);
      return result.status === 'ok' ? result.intent : null;
    },
    async writeIntent(intent: Intent) {
      orThrow(await writeIntent(stateDir, intent));
    },
    async clearIntent() {
      orThrow(await clearIntent(stateDir));
    },
    async writeRecord(record: TransitionRecord, guards: GuardReport | null) {
      if (guards !== null) orThrow(await writeRuntimeRecord(runtimeDir, 'lastGuards', guards));
      orThrow(await writeRuntimeRecord(runtimeDir, 'lastTransition', record));
    },
    async appendAudit(input: AuditInput) {
      const result = await appendAuditEvent(input);
      if (!result.ok) throw new RecordsError(result.failure);
    },
    appendAuditEvent,
    bootId,
    async recordDesired(mode: ModeName, requestedBy: string | null, via: DesiredRequest['via'] = 'request', request: { noGrace?: boolean; force?: boolean } = {}) {
      const result = await recordDesired({ mode, requestedBy, via, noGrace: request.noGrace, force: request.force }, desiredOptions());
      if (result.ok && result.audit.ok) options.mirror?.(result.audit.line);
      return result;
    },
    async recordBootDefault(mode: ModeName) {
      const result = await recordBootDefault(mode, desiredOptions());
      if (result.ok && 'audit' in result && result.audit.ok) options.mirror?.(result.audit.line);
      return result;
    },
    async claimDesiredAtStart(mode: ModeName, startedMonoMs: number) {
      const result = await claimDesiredAtStart({ mode, startedMonoMs, bootId: await bootId() }, { ...desiredOptions(), runId: options.runId });
      if (result.ok && 'audit' in result && result.audit.ok) options.mirror?.(result.audit.line);
      return result;
    },
    readAudit: () => readAuditLog(auditLogPath(stateDir), audit.keep),
    readRuntime: (kind) => readRuntimeRecord(runtimeDir, kind),
    writeObservation: (record) => writeRuntimeRecord(runtimeDir, 'lastObservation', record),
    writeCapabilityPlacement: (record) => writeRuntimeRecord(runtimeDir, 'capabilityPlacement', record),
    writeHardwareTopology: (record) => writeRuntimeRecord(runtimeDir, 'hardwareTopology', record),
  };
}
