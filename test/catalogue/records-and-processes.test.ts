// Catalogue rows whose fault lives in the records or between processes
// (docs/reliability.md): the controller runs on a simulated world with REAL
// records (flock lock, intent journal, audit log, desired.json) in real
// folders, and in rows 22/23 inside bubblewrap on a read-only or full file
// system. Level P of the catalogue: real processes, real file systems.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runController } from '../../machines/run-controller.ts';
import type { Clock } from '../../machines/host.ts';
import { fixture, nodeScript, runToEnd, startUntil } from '../records/support/child.ts';
import { makeDirs, type TestDirs } from '../records/support/temp-dirs.ts';
import { workstationConfig as config } from '../engine/support/config.ts';
import { findOnPath } from '../sandbox/prerequisites.ts';
import { hybridHost } from './support/hybrid-host.ts';

let dirs: TestDirs;
beforeEach(() => {
  dirs = makeDirs('dubnium-catalogue-');
});
afterEach(() => dirs.cleanup());

const world = (mode: 'desktop' | 'studio-local' | 'compute' = 'desktop') => ({ config, mode });
const controllerRun = (...args: string[]) => [process.execPath, fixture('../../catalogue/fixtures/controller-run.ts'), ...args];

interface RunReport {
  target: string;
  generation: number | null;
  filled: number;
  desired: string;
  outcome: string;
  firstFailed: { code: string; message: string } | null;
  performed: string[];
  observed: string;
  auditAfter: string;
  mirrored: string[];
  auditEvents: string[];
  auditSkipped: number;
  runtimeEntries: string[];
  stateEntries: string[];
}

const hasBwrap = findOnPath('bwrap') !== null && process.getuid?.() === 0;

describe('row 15: a stale lock from a dead PID', () => {
  it('cannot exist: the holder is SIGKILLed and the next run takes the lock at once (flock, no age, no mtime)', async () => {
    const holder = await startUntil(nodeScript('hold-lock.ts', dirs.runtimeDir, 'doomed'), /"acquired":true/);
    // the holder's note stays behind, a year old: it must change nothing
    holder.child.kill('SIGKILL');
    await holder.exited;
    const year = new Date(Date.now() - 365 * 86_400_000);
    const { utimesSync } = await import('node:fs');
    utimesSync(join(dirs.runtimeDir, 'lock'), year, year);
    const host = hybridHost(world(), dirs);
    host.sim.request('studio-local');
    const record = await runController(host, 'studio-local');
    expect(record.outcome).toBe('succeeded');
    expect(record.phases.find((p) => p.name === 'lock')).toBeDefined();
  });
});

describe('row 16: the lock held by a live but hung controller', () => {
  it('the waiter times out as busy, touches nothing, writes nothing, and does not steal the lock', async () => {
    const holder = await startUntil(nodeScript('hold-lock.ts', dirs.runtimeDir, 'hung'), /"acquired":true/);
    try {
      const host = hybridHost(world(), dirs, { lockWaitMs: 1500 });
      host.sim.request('compute');
      const started = performance.now();
      const record = await runController(host, 'compute', { lockWaitMs: 1500 });
      expect(record.outcome).toBe('busy');
      expect(record.firstFailedPredicate?.message).toContain(`pid ${holder.child.pid}`);
      // it waited for the holder (the bounded wait), it did not give up at once
      expect(performance.now() - started).toBeGreaterThan(1000);
      expect(host.sim.performed).toEqual([]);
      expect(host.sim.records).toEqual([]);
      expect(() => statSync(join(dirs.runtimeDir, 'last-transition.json'))).toThrow();
      // still the hung holder's: a third party is refused too
      const third = await runToEnd(nodeScript('hold-lock.ts', dirs.runtimeDir));
      expect(third.code).toBe(75);
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
  });
});

describe('row 17: concurrent requests (P: two controller processes, one flock, one audit log)', () => {
  it('the second waits for the lock, then reconciles to the newest desired mode; no interleaved actions', async () => {
    const host = hybridHost(world('studio-local'), dirs);
    const first = await host.store.recordDesired('desktop', 'first');
    const a = runToEnd(controllerRun(dirs.runtimeDir, dirs.stateDir, 'studio-local', 'desktop', 'keep-desired', 'lock-wait:60000', 'run-id:first'));
    await new Promise((r) => setTimeout(r, 100));
    const second = await host.store.recordDesired('compute', 'second');
    const b = runToEnd(controllerRun(dirs.runtimeDir, dirs.stateDir, 'studio-local', 'compute', 'keep-desired', 'lock-wait:60000', 'run-id:second'));
    const reports = (await Promise.all([a, b])).map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as RunReport;
    });
    if (!first.ok || !second.ok) throw new Error('desired not recorded');
    expect(reports.map((r) => r.outcome)).not.toContain('busy');
    const audit = (await host.store.readAudit()).events.filter((e) => e.runId === 'first' || e.runId === 'second');
    const order = audit.map((e) => e.runId);
    // all of one run's events, then all of the other's
    expect(order.filter((id, i) => i > 0 && id !== order[i - 1])).toHaveLength(1);
    // whichever ran last reconciled to the newest request and proved it
    const last = reports[order.at(-1) === 'first' ? 0 : 1]!;
    expect({ target: last.target, generation: last.generation, observed: last.observed }).toEqual({ target: 'compute', generation: second.record.generation, observed: 'compute' });
  });
});

describe('row 20: SIGKILL mid-transition (P)', () => {
  it('state files hold the old or the new version, temp files are swept, a torn audit tail is tolerated, the next run re-derives the world', async () => {
    const host = hybridHost(world(), dirs);
    await host.store.recordDesired('compute', 'before-kill');
    // what a SIGKILL leaves: a temp file of an atomic write, a torn audit line, the intent of a run in progress
    writeFileSync(join(dirs.runtimeDir, `last-transition.json.tmp-4711-deadbeef`), '{"schemaVersion":1,"runId":"half');
    writeFileSync(join(dirs.stateDir, 'events.jsonl'), `${readFileSync(join(dirs.stateDir, 'events.jsonl'), 'utf8')}{"v":1,"seq":9,"bootId":nu`);
    await host.store.writeIntent({ schemaVersion: 1, runId: 'killed', target: 'compute', generation: 1, step: 'isolate-compute-target', startedAt: new Date().toISOString(), bootId: null, pid: 4711 });
    const record = await runController(host, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(host.sim.records).toEqual([]);
    const audit = await host.store.readAudit();
    expect(audit.events.map((e) => e.event)).toContain('recovered');
    // the torn fragment became one skipped line; every record after it is whole
    expect(audit.skipped).toBe(1);
    expect(() => statSync(join(dirs.runtimeDir, 'last-transition.json.tmp-4711-deadbeef'))).toThrow();
    expect(await host.store.readIntentRecord()).toEqual({ status: 'none' });
    // the full trial (50 SIGKILLs of a writer of every record kind) is test/records/crash.test.ts
  });
});

describe('row 21: power loss mid-transition (P: a process killed, /run wiped, /var/lib kept, another boot)', () => {
  it('the boot default applies; the next run finds the intent without an outcome and records recovered; generations keep rising', async () => {
    const cut = await runToEnd(controllerRun(dirs.runtimeDir, dirs.stateDir, 'desktop', 'compute', 'die-after:isolate-compute-target', `boot-id:${writeBootId('11111111-2222-4333-8444-555555555555')}`));
    expect(cut.signal).toBe('SIGKILL');
    const before = JSON.parse(readFileSync(join(dirs.runtimeDir, 'desired.json'), 'utf8')) as { generation: number };
    // power loss: /run is a fresh tmpfs, the machine boots its default (desktop), /var/lib survives
    rmSync(dirs.runtimeDir, { recursive: true });
    mkdirSync(dirs.runtimeDir);
    const after = hybridHost(world('desktop'), dirs, { bootIdPath: writeBootId('66666666-7777-4888-9999-aaaaaaaaaaaa') });
    const boot = await after.store.recordDesired('desktop', 'mode boot');
    if (!boot.ok) throw new Error(boot.failure.message);
    expect(boot.record.generation).toBeGreaterThan(before.generation);
    const record = await runController(after, 'desktop', { generation: boot.record.generation });
    expect(record.outcome).toBe('noop');
    const recovered = (await after.store.readAudit()).events.filter((e) => e.event === 'recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ runId: 'fixture-run', target: 'compute', outcome: 'recovered', detail: { lastStep: 'isolate-compute-target', observed: 'desktop' } });
    expect(recovered[0]?.reason).toContain('an earlier boot (a reboot or power loss)');
    expect(await after.store.readIntentRecord()).toEqual({ status: 'none' });
  });
});

function writeBootId(id: string): string {
  const path = join(dirs.root, `boot_id-${id}`);
  writeFileSync(path, `${id}\n`);
  return path;
}

describe.skipIf(!hasBwrap)('row 22: /run/mode-controller not writable', () => {
  it.each([
    ['read-only (EROFS)', (run: string) => ['--ro-bind', run, run]],
    ['full (ENOSPC on a tmpfs with no room)', (run: string) => ['--size', '4096', '--tmpfs', run]],
  ])('%s: fails before any action, non-zero outcome, the reason names the file system', async (_name, mount) => {
    const args = controllerRun(dirs.runtimeDir, dirs.stateDir, 'desktop', 'compute');
    const result = await runToEnd(args, { prefix: ['bwrap', '--dev-bind', '/', '/', ...mount(dirs.runtimeDir), '--die-with-parent', '--'] });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as RunReport;
    expect(report.performed).toEqual([]);
    expect(report.outcome).toBe('blocked');
    expect(report.firstFailed?.code).toBe('lock-failed');
    expect(report.firstFailed?.message).toMatch(/read-only|EROFS|full|ENOSPC/i);
    expect(report.observed).toBe('desktop');
  });

  it('deleted: the runtime folder is gone; blocked before any action', async () => {
    rmSync(dirs.runtimeDir, { recursive: true });
    const host = hybridHost(world(), dirs);
    host.sim.request('compute');
    const record = await runController(host, 'compute');
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate?.message).toMatch(/ENOENT|does not exist|no such/i);
    expect(host.sim.performed).toEqual([]);
  });
});

describe.skipIf(!hasBwrap)('row 23: a full disk under the audit log', () => {
  const onFullState = async (from: string, target: string): Promise<RunReport> => {
    const result = await runToEnd(controllerRun(dirs.runtimeDir, dirs.stateDir, from, target, 'fill-state'), {
      prefix: ['bwrap', '--dev-bind', '/', '/', '--size', '65536', '--tmpfs', dirs.stateDir, '--die-with-parent', '--'],
    });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as RunReport;
  };

  it('refuses a transition away from desktop (fails closed): blocked before the first step', async () => {
    const report = await onFullState('desktop', 'compute');
    expect(report.filled).toBeGreaterThan(0);
    expect({ outcome: report.outcome, code: report.firstFailed?.code, performed: report.performed, observed: report.observed }).toEqual({
      outcome: 'blocked',
      code: 'intent-unwritable',
      performed: [],
      observed: 'desktop',
    });
    expect(report.firstFailed?.message).toMatch(/full|ENOSPC|no-space|space/i);
  });

  it('always allows returning to desktop, and mirrors the audit line it could not write to the journal', async () => {
    const report = await onFullState('compute', 'desktop');
    expect({ outcome: report.outcome, observed: report.observed }).toEqual({ outcome: 'succeeded', observed: 'desktop' });
    expect(report.performed.length).toBeGreaterThan(0);
    expect(report.auditAfter).toMatch(/full|ENOSPC|space/i);
    expect(report.mirrored).toHaveLength(1);
    // the failed appends were truncated back: nothing half-written in the log
    expect(report.auditSkipped).toBe(0);
  });
});

describe('row 24: a corrupt audit log or state file', () => {
  it('the tolerant reader skips and counts; unreadable state is unknown and re-derived; the run still proves its target', async () => {
    const host = hybridHost(world(), dirs);
    writeFileSync(join(dirs.runtimeDir, 'desired.json'), '{"schemaVersion":2,"mode":"compute"');
    writeFileSync(join(dirs.runtimeDir, 'last-transition.json'), '\u0000\u0000\u0000');
    writeFileSync(join(dirs.stateDir, 'intent.json'), '{"schemaVersion":99}');
    writeFileSync(join(dirs.stateDir, 'events.jsonl'), '{"v":1,"seq":0,"bootId":null}\nnot json\n\u0000\u0000\u0000\n{"v":1,"seq":3,"bootId":null,"wall":"2026-01-01T00:00:00.000Z","monoMs":1,"runId":null,"event":"desired","target":"desktop","generation":3,"outcome":null,"reason":null}\n{"v":1,"se');
    expect(await host.readDesired()).toBeNull();
    const record = await runController(host, 'studio-local');
    // desired.json unreadable → the instance's own mode; the corrupt intent is not an intent
    expect(record).toMatchObject({ target: 'studio-local', outcome: 'succeeded' });
    const audit = await host.store.readAudit();
    expect(audit.skipped).toBeGreaterThanOrEqual(3);
    expect(audit.events.at(-1)?.event).toBe('outcome');
    // seq continues after the highest one seen, even past the torn fragment
    expect(audit.events.at(-1)?.seq).toBeGreaterThan(3);
    // `mode status` never crashes on it: test/catalogue/inputs-and-tools.test.ts (row 24, the CLI)
  });
});

describe('row 25: clock jumps (NTP step, bad RTC, suspend/resume)', () => {
  it('durations and step deadlines use the monotonic clock; audit order is seq; a wall clock jumping back and forth changes nothing', async () => {
    const wallTimes = [Date.parse('2099-01-01T00:00:00Z'), Date.parse('1971-01-01T00:00:00Z'), Date.parse('2026-06-01T00:00:00Z')];
    let n = 0;
    const jumping = (clock: Clock): Clock => ({ now: () => new Date(wallTimes[n++ % wallTimes.length]!), monotonicMs: () => clock.monotonicMs(), sleep: (ms, s) => clock.sleep(ms, s) });
    const host = hybridHost(world(), dirs, {}, jumping);
    host.sim.request('compute');
    const record = await runController(host, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(record.durationMs).toBeGreaterThan(0);
    for (const step of record.steps) expect(step.durationMs).toBeGreaterThanOrEqual(0);
    // the GPU-release wait and vLLM's readiness took their simulated time, measured monotonically
    expect(record.steps.find((s) => s.stepId === 'start-vllm-ready-service')?.durationMs).toBeGreaterThan(30_000);
    const audit = (await host.store.readAudit()).events;
    expect(audit.map((e) => e.seq)).toEqual(audit.map((_, i) => i));
    // wall times are informational: they jumped, the order (seq) and monotonic stamps did not
    expect(new Set(audit.map((e) => e.wall.slice(0, 4))).size).toBeGreaterThan(1);
    const mono = audit.map((e) => e.monoMs ?? 0);
    expect(mono).toEqual([...mono].sort((x, y) => x - y));
  });
});
