// mode-boot.service on the simulated host, as systemd runs it: wanted by
// multi-user.target, which desktop.target and compute.target pull in, so
// every start or isolate of either starts it again unless it is still active
// (RemainAfterExit=yes). Each run is `mode boot`: it records the boot default
// (once per boot when `oncePerBoot`, as effects/records/boot-once.ts decides)
// and queues a start of that mode's controller unit, which the test then runs
// as PID 1 would. With both halves off it reproduces issue 18: compute is
// proven, the next isolate re-runs mode boot, and desktop comes back.
import { bootOnce, bootRequestsOf } from '../effects/records/boot-once.ts';
import type { ModeName } from '../schemas/names.ts';
import type { AuditEvent, DesiredRecord } from '../schemas/records.ts';

export const MODE_BOOT_UNIT = 'mode-boot.service';

export interface ModeBootModel {
  /** the unit's RemainAfterExit=: it stays active after its run, so a later start job does not run it again */
  remainAfterExit: boolean;
  /** `mode boot` refuses a second boot request in the same boot */
  oncePerBoot: boolean;
}

/** What units/mode-boot.service and `mode boot` do today. */
export const SHIPPED_MODE_BOOT: ModeBootModel = { remainAfterExit: true, oncePerBoot: true };

/** The part of the simulated host a run of `mode boot` reads and writes. */
export interface ModeBootHost {
  readonly desired: DesiredRecord | null;
  readonly audit: readonly AuditEvent[];
  bootId(): Promise<string | null>;
  /** records `mode` as desired, a new generation, as recordDesired does (audited) */
  recordDesired(mode: ModeName, via: 'boot'): Promise<DesiredRecord>;
  /** `systemctl start --no-block mode-controller@<mode>.service` */
  queueControllerStart(mode: ModeName): void;
}

/** One run of `mode boot`; true when it recorded the boot default. */
export async function runModeBoot(host: ModeBootHost, model: ModeBootModel, defaultMode: ModeName): Promise<boolean> {
  if (model.oncePerBoot) {
    const bootId = await host.bootId();
    const decision = bootOnce(host.desired, bootId === null ? [] : bootRequestsOf(host.audit, bootId), bootId);
    if (decision.action === 'skip') return false;
  }
  await host.recordDesired(defaultMode, 'boot');
  host.queueControllerStart(defaultMode);
  return true;
}
