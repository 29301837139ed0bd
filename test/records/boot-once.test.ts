// The boot default is recorded once per boot and never over a request of the
// same boot: the pure rule, then the real store (desired lock, atomic
// desired.json, audit log) across runs of mode boot, requests and reboots.
// This half holds without RemainAfterExit=yes on the unit; the sandbox test
// e2e-mode-holds.test.ts shows the unit's half on its own.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootOnce, bootRequestsOf } from '../../effects/records/boot-once.ts';
import { createRecordStore } from '../../effects/records/store.ts';
import type { AuditEvent, DesiredRecord } from '../../schemas/records.ts';
import { makeDirs, type TestDirs } from './support/temp-dirs.ts';

const BOOT_A = '0b5a7c1e-0000-4000-8000-00000000000a';
const BOOT_B = '0b5a7c1e-0000-4000-8000-00000000000b';

const desired = (over: Partial<DesiredRecord>): DesiredRecord => ({
  schemaVersion: 1,
  mode: 'compute',
  generation: 3,
  requestedAt: '2026-12-02T10:00:00.000Z',
  requestedBy: 'alice',
  via: 'request',
  bootId: BOOT_A,
  monoMs: 5000,
  ...over,
});

const event = (over: Partial<AuditEvent>): AuditEvent => ({
  v: 1,
  seq: 0,
  bootId: BOOT_A,
  wall: '2026-12-02T10:00:00.000Z',
  monoMs: 1000,
  runId: null,
  event: 'desired',
  target: 'desktop',
  generation: 1,
  outcome: null,
  reason: null,
  detail: { requestedBy: 'boot', via: 'boot', previousMode: null },
  ...over,
});

describe('bootOnce (pure)', () => {
  it('records on a boot with nothing requested yet', () => {
    expect(bootOnce(null, [], BOOT_A)).toEqual({ action: 'record' });
    expect(bootOnce(null, [], null)).toEqual({ action: 'record' });
  });

  it('skips when this boot already recorded the boot default, whatever desired.json names now', () => {
    const applied = [event({ generation: 1 })];
    expect(bootOnce(desired({ generation: 3 }), applied, BOOT_A)).toEqual({ action: 'skip', reason: 'boot-default-applied', generation: 1, mode: 'desktop' });
    // desired.json lost or unreadable: the audit log still says it
    expect(bootOnce(null, applied, BOOT_A)).toMatchObject({ action: 'skip', reason: 'boot-default-applied' });
  });

  it('skips when a request of this boot is in desired.json, and records over one of another boot', () => {
    expect(bootOnce(desired({ bootId: BOOT_A }), [], BOOT_A)).toEqual({ action: 'skip', reason: 'request-this-boot', generation: 3, mode: 'compute' });
    expect(bootOnce(desired({ bootId: BOOT_B }), [], BOOT_A)).toEqual({ action: 'record' });
    expect(bootOnce(desired({ bootId: undefined }), [], BOOT_A)).toEqual({ action: 'record' });
  });

  it('with the boot id unreadable, any record in /run is of this boot', () => {
    expect(bootOnce(desired({ bootId: null }), [], null)).toMatchObject({ action: 'skip', reason: 'request-this-boot' });
  });

  it('counts only the boot requests of the given boot', () => {
    const events = [
      event({ seq: 0, bootId: BOOT_B }),
      event({ seq: 1, detail: { requestedBy: 'alice', via: 'request', previousMode: 'desktop' } }),
      event({ seq: 2, event: 'outcome', outcome: 'succeeded' }),
      event({ seq: 3, generation: 4 }),
    ];
    expect(bootRequestsOf(events, BOOT_A).map((e) => e.seq)).toEqual([3]);
  });
});

describe('recordBootDefault (real store)', () => {
  let dirs: TestDirs;
  const bootIdPath = () => join(dirs.root, 'boot_id');
  const boot = (id: string) => writeFileSync(bootIdPath(), `${id}\n`);
  const store = () => createRecordStore(dirs, { bootIdPath: bootIdPath() });
  beforeEach(() => {
    dirs = makeDirs();
    boot(BOOT_A);
  });
  afterEach(() => dirs.cleanup());

  it('records the boot default once; a second run in the same boot records nothing', async () => {
    const first = await store().recordBootDefault('desktop');
    expect(first).toMatchObject({ ok: true, record: { mode: 'desktop', generation: 1, via: 'boot', requestedBy: 'boot', bootId: BOOT_A } });
    const second = await store().recordBootDefault('desktop');
    expect(second).toEqual({ ok: true, skipped: { action: 'skip', reason: 'boot-default-applied', generation: 1, mode: 'desktop' } });
    const audit = await store().readAudit();
    expect(audit.events.filter((e) => e.event === 'desired').map((e) => e.generation)).toEqual([1]);
  });

  it('never undoes a request made after it in the same boot (the compute that must hold)', async () => {
    await store().recordBootDefault('desktop');
    await store().recordDesired('compute', 'alice');
    const again = await store().recordBootDefault('desktop');
    expect(again).toMatchObject({ ok: true, skipped: { reason: 'boot-default-applied', generation: 1 } });
    expect(await store().readDesired()).toMatchObject({ mode: 'compute', generation: 2, via: 'request' });
  });

  it('leaves a request recorded before mode boot ran in this boot as it is', async () => {
    await store().recordDesired('compute', 'alice');
    expect(await store().recordBootDefault('desktop')).toMatchObject({ ok: true, skipped: { reason: 'request-this-boot', generation: 1, mode: 'compute' } });
    expect(await store().readDesired()).toMatchObject({ mode: 'compute', generation: 1 });
  });

  it('applies the boot default again after a reboot: a new boot id, /run empty, the audit log kept', async () => {
    await store().recordBootDefault('desktop');
    await store().recordDesired('compute', 'alice');
    boot(BOOT_B);
    rmSync(join(dirs.runtimeDir, 'desired.json'));
    const next = await store().recordBootDefault('desktop');
    // generations keep rising across the reboot (the audit log remembers 2)
    expect(next).toMatchObject({ ok: true, record: { mode: 'desktop', generation: 3, bootId: BOOT_B } });
  });

  it('applies it after a reboot even when the old desired.json survived (a /run that is not a tmpfs)', async () => {
    await store().recordDesired('compute', 'alice');
    boot(BOOT_B);
    expect(await store().recordBootDefault('desktop')).toMatchObject({ ok: true, record: { mode: 'desktop', generation: 2 } });
  });
});
