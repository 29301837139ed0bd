// Whether `mode boot` may record the boot default. mode-boot.service is
// wanted by multi-user.target, and every start job that pulls that target in
// (an isolate of compute.target, `nixos-rebuild switch` starting the active
// targets again, a restart of the changed unit) can run it again. Recording
// the boot default each time would make it the newest request and take the
// machine back to desktop. So the boot default is recorded once per boot, and
// never over a request made in this boot. RemainAfterExit=yes on the unit is
// the other half: each holds without the other (test/records/boot-once.test.ts,
// test/sandbox/e2e-mode-holds.test.ts).
// Pure: the caller reads desired.json and the audit log under the audit lock.
import type { AuditEvent, DesiredRecord } from '../../schemas/records.ts';

export type BootOnce =
  | { action: 'record' }
  | {
      action: 'skip';
      /** applied: the boot default was recorded in this boot already; newer-request: a request of this boot wins */
      reason: 'boot-default-applied' | 'request-this-boot';
      generation: number | null;
      mode: string | null;
    };

/** The `desired` audit events mode-boot.service recorded in the boot `bootId`. */
export function bootRequestsOf(events: readonly AuditEvent[], bootId: string): AuditEvent[] {
  return events.filter((e) => e.event === 'desired' && e.bootId === bootId && (e.detail as { via?: unknown } | null)?.via === 'boot');
}

/**
 * `bootId` null (the boot id unreadable): desired.json lives in /run, which
 * every boot starts empty, so any record in it was made in this boot.
 */
export function bootOnce(current: DesiredRecord | null, bootRequests: readonly AuditEvent[], bootId: string | null): BootOnce {
  const applied = bootRequests.at(-1);
  if (applied) return { action: 'skip', reason: 'boot-default-applied', generation: applied.generation, mode: applied.target };
  if (current === null) return { action: 'record' };
  const thisBoot = bootId === null || current.bootId === bootId;
  if (!thisBoot) return { action: 'record' };
  return { action: 'skip', reason: current.via === 'boot' ? 'boot-default-applied' : 'request-this-boot', generation: current.generation, mode: current.mode };
}
