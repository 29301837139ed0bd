// The audit log <state>/events.jsonl: stamps an event (v, seq, bootId, wall,
// monoMs), bounds it to one line, rotates when full and appends it. Every
// writer — the run under the controller lock, and `mode request`, `mode boot`
// and a run's claim at its start (desired.ts) beside it — holds the audit lock
// (audit-lock.ts) while it does, so seq never repeats and a torn tail is
// repaired by exactly one writer.
import { join } from 'node:path';
import * as z from 'zod';
import { AuditEvent } from '../../schemas/records.ts';
import type { AuditEvent as AuditEventType } from '../../schemas/records.ts';
import { appendLine } from './append-line.ts';
import { createAuditLock } from './audit-lock.ts';
import type { AuditLock, AuditLockSettings, Keep } from './audit-lock.ts';
import { formatAuditLine, MAX_AUDIT_LINE_BYTES } from './audit-line.ts';
import { lastAuditedSeq } from './audit-read.ts';
import { rotateIfFull } from './audit-rotate.ts';
import type { RecordsFailure } from './failure.ts';
import { STATE_FILES } from './paths.ts';

/** What a caller supplies; the log adds the rest. */
export type AuditInput = Omit<AuditEventType, 'v' | 'seq' | 'bootId' | 'wall' | 'monoMs'>;

export interface AuditStamp {
  bootId: string | null;
  wall: Date;
  monoMs: number | null;
}

export interface AuditLogSettings {
  stateDir: string;
  maxLineBytes: number;
  /** rotate before an append would take events.jsonl past this size */
  rotateBytes: number;
  /** rotated files kept: events.jsonl.1 ... .keep */
  keep: number;
  /** 0640: the log names who requested what; root and the folder's group read it */
  mode: number;
  flockPath?: string | undefined;
  /** how long an append waits for another writer's append to finish */
  lockWaitMs: number;
}

export const DEFAULT_AUDIT_SETTINGS: Omit<AuditLogSettings, 'stateDir'> = {
  maxLineBytes: MAX_AUDIT_LINE_BYTES,
  rotateBytes: 1024 * 1024,
  keep: 5,
  mode: 0o640,
  lockWaitMs: 10_000,
};

export const auditLogPath = (stateDir: string): string => join(stateDir, STATE_FILES.events);

export type AppendAuditResult =
  | { ok: true; event: AuditEventType; line: string; rotated: boolean; repairedTail: boolean }
  | { ok: false; failure: RecordsFailure };

/** The caller must hold the audit lock (appendAudit takes it; tests may call this directly). */
export async function appendAuditHoldingLock(settings: AuditLogSettings, input: AuditInput, stamp: AuditStamp): Promise<AppendAuditResult> {
  const path = auditLogPath(settings.stateDir);
  const last = await lastAuditedSeq(path, settings.keep);
  const candidate = {
    ...input,
    v: 1,
    seq: (last ?? -1) + 1,
    bootId: stamp.bootId,
    wall: stamp.wall.toISOString(),
    monoMs: stamp.monoMs,
  };
  const checked = AuditEvent.safeParse(candidate);
  if (!checked.success) {
    return {
      ok: false,
      failure: { code: 'invalid-record', operation: 'append to', path, errno: null, message: `refusing to log an invalid audit event:\n${z.prettifyError(checked.error)}` },
    };
  }
  const line = formatAuditLine(checked.data, settings.maxLineBytes);
  const rotation = await rotateIfFull(path, settings.rotateBytes, settings.keep, Buffer.byteLength(line) + 1);
  if (!rotation.ok) return rotation;
  const appended = await appendLine(path, line, settings.mode);
  if (!appended.ok) return appended;
  return { ok: true, event: checked.data, line, rotated: rotation.rotated === true, repairedTail: appended.repairedTail };
}

/** Appends under the audit lock: `lock`'s (the store's, which may keep it between appends), or one taken for this append. */
export async function appendAudit(settings: AuditLogSettings, input: AuditInput, stamp: AuditStamp, lock: AuditLock = createAuditLock(auditLockSettings(settings)), keep: Keep = null): Promise<AppendAuditResult> {
  const result = await lock.withLock(() => appendAuditHoldingLock(settings, input, stamp), keep);
  return result.ok ? result.value : result;
}

export const auditLockSettings = (settings: AuditLogSettings): AuditLockSettings => ({ stateDir: settings.stateDir, flockPath: settings.flockPath, waitMs: settings.lockWaitMs });
