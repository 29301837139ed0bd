// How `mode request` follows a run and how it reads systemctl's refusals:
// the follow loop against scripted unit states, and the real CLI against a
// fake systemctl that refuses the way polkit and PID1 do.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../cli/errors.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { follow, SETTLE_WINDOW_MS, type FollowDeps, type Progress } from '../../cli/request/follow.ts';
import { parseUnitState, type UnitState } from '../../cli/request/unit-state.ts';
import type { AuditEvent, TransitionRecord } from '../../schemas/records.ts';
import { MODE_TS, runCli } from './support/cli.ts';
import { cliDirs, type CliDirs } from './support/dirs.ts';
import { transition, writeRecords } from './support/records.ts';

const unit = (activeState: string, exitedAtUs = 0, exitStatus: number | null = null): UnitState => ({ activeState, result: 'success', exitStatus, exitedAtUs, job: '' });

// States and records by the number of waits so far; every wait runs out (no change notice), as with no watch.
function scripted(states: UnitState[], records: (TransitionRecord | null)[], events: AuditEvent[][] = []): FollowDeps & { slept: number } {
  let i = 0;
  let clock = 0;
  const deps = {
    slept: 0,
    unitState: () => Promise.resolve(states[Math.min(i, states.length - 1)]!),
    lastRecord: () => Promise.resolve(records[Math.min(i, records.length - 1)] ?? null),
    newEvents: () => Promise.resolve(events[i] ?? []),
    wait: (ms: number) => {
      i += 1;
      clock += ms;
      deps.slept += 1;
      return Promise.resolve('timeout' as const);
    },
    now: () => clock,
    pollMs: 500,
    settleMs: 15,
    deadlineMs: 10_000,
  };
  return deps;
}

/**
 * A run on a fake clock: the unit and the record as functions of the time, the times at which the record
 * folders change (what the inotify watch reports), and the audit events by when they are appended. A wait
 * ends at the first change after the last one it reported (at once when that change is already past), or
 * when its time runs out. Each look at the unit is noted with its time.
 */
function timeline(run: { unitAt: (t: number) => UnitState; recordAt: (t: number) => TransitionRecord | null; changesAt: number[]; eventsAt?: [number, AuditEvent][]; lookMs?: number }) {
  let clock = 0;
  let reported = -1;
  let eventsRead = 0;
  const looks: number[] = [];
  const events = run.eventsAt ?? [];
  const deps: FollowDeps = {
    // a look reads the unit as it is when the look starts, and takes lookMs
    unitState: () => {
      looks.push(clock);
      const state = run.unitAt(clock);
      clock += run.lookMs ?? 0;
      return Promise.resolve(state);
    },
    lastRecord: () => Promise.resolve(run.recordAt(clock)),
    newEvents: () => {
      const due = events.slice(eventsRead).filter(([t]) => t <= clock);
      eventsRead += due.length;
      return Promise.resolve(due.map(([, e]) => e));
    },
    wait: (ms) => {
      const change = run.changesAt.find((t) => t > reported);
      if (change !== undefined && change <= clock + ms) {
        clock = Math.max(clock, change);
        reported = change;
        return Promise.resolve('changed');
      }
      clock += ms;
      return Promise.resolve('timeout');
    },
    now: () => clock,
    pollMs: 500,
    settleMs: 15,
    deadlineMs: 60_000,
  };
  return { deps, looks, clock: () => clock };
}

const event = (seq: number, monoMs: number, reason: string): AuditEvent => ({
  v: 1, seq, bootId: null, wall: '2026-01-01T00:00:00.000Z', monoMs, runId: 'r', event: 'step', target: 'compute', generation: 4, outcome: null, reason,
});

describe('follow', () => {
  const before = { exitedAtUs: 0, runId: 'run-3', generation: 4 };

  it('ends on the new record once the unit is no longer activating, even after systemd unloaded it', async () => {
    const ours = transition('compute', 4, 'succeeded');
    const deps = scripted([unit('inactive'), unit('activating'), unit('activating'), unit('inactive')], [null, null, ours, ours]);
    const seen: Progress[] = [];
    const result = await follow(deps, before, (p) => seen.push(p));
    expect(result.record).toBe(ours);
    expect(seen.map((p) => p.kind)).toEqual(['running']);
    expect(deps.slept).toBe(3);
  });

  it('ignores the previous record and a record of an older generation', async () => {
    const old = { ...transition('desktop', 3, 'succeeded'), runId: 'run-3' };
    const deps = scripted([unit('inactive'), unit('inactive'), unit('inactive', 0)], [old, { ...transition('desktop', 2, 'succeeded'), runId: 'other' }, transition('compute', 4, 'blocked')]);
    expect((await follow(deps, before, () => undefined)).record?.outcome).toBe('blocked');
  });

  it('ends without a record when the unit exited without writing one (busy)', async () => {
    const deps = scripted([unit('activating'), unit('failed', 5_000_000, 6)], [null]);
    const result = await follow(deps, before, () => undefined);
    expect(result).toMatchObject({ record: null, unit: { exitStatus: 6 } });
  });

  it('ends without a record when PID 1 refused the start (start-limit-hit), and not while a job is still queued', async () => {
    const limited = { ...unit('failed'), result: 'start-limit-hit' };
    const deps = scripted([{ ...limited, job: '412' }, limited], [null]);
    const result = await follow(deps, before, () => undefined);
    expect(result).toMatchObject({ record: null, unit: { result: 'start-limit-hit', exitStatus: null } });
    expect(deps.slept).toBe(1);
  });

  it('reports each step with the time since the event before it', async () => {
    const deps = scripted([unit('activating'), unit('activating'), unit('inactive')], [null, null, transition('compute', 4, 'succeeded')], [[event(1, 1000, 'intent')], [event(2, 2500, 'apply stop-dm: ok'), event(3, 2600, 'apply isolate: ok')]]);
    const seen: Progress[] = [];
    await follow(deps, before, (p) => seen.push(p));
    expect(seen.flatMap((p) => (p.kind === 'event' ? [[p.event.reason, p.durationMs]] : []))).toEqual([
      ['intent', null],
      ['apply stop-dm: ok', 1500],
      ['apply isolate: ok', 100],
    ]);
  });

  it('gives up at the deadline with an error that says the run goes on', async () => {
    const deps = scripted([unit('activating')], [null]);
    const error = await follow(deps, before, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exit).toBe(EXIT.unknown);
    expect((error as CliError).message).toContain('the run goes on');
  });
});

describe('follow wakes when something happens', () => {
  const before = { exitedAtUs: 0, runId: 'run-3', generation: 4 };
  const ours = transition('compute', 4, 'succeeded');
  // the run writes its record at 120 ms (a rename in the records folder), appends its outcome event and
  // releases its lock; its process exits and the unit leaves activating at 127 ms, which changes no file
  const run = (changesAt: number[], endsAt = 127) => ({
    unitAt: (t: number) => (t < endsAt ? unit('activating') : unit('inactive')),
    recordAt: (t: number) => (t >= 120 ? ours : null),
    changesAt,
  });

  it('wakes on the record and ends within settleMs of the unit leaving activating, not at the next poll', async () => {
    const { deps, looks, clock } = timeline(run([120, 121, 122]));
    const result = await follow(deps, before, () => undefined);
    expect(result.record).toBe(ours);
    expect(clock()).toBeGreaterThanOrEqual(127);
    expect(clock()).toBeLessThanOrEqual(127 + deps.settleMs);
    // the unit is looked at on the first pass, at once on the record, then settleMs after; the two changes in between do not look
    expect(looks).toEqual([0, 120, 135]);
  });

  it('re-checks the unit every settleMs once its record is written, though no file changes until the unit ends', async () => {
    const timed = timeline({ ...run([100], 160), recordAt: (t: number) => (t >= 100 ? ours : null) });
    const result = await follow(timed.deps, before, () => undefined);
    expect(result.record).toBe(ours);
    expect(timed.looks).toEqual([0, 100, 115, 130, 145, 160]);
    expect(timed.clock()).toBe(160);
  });

  it('keeps settleMs between the starts of two looks, however long a systemctl show takes', async () => {
    const timed = timeline({ ...run([120]), lookMs: 8 });
    expect((await follow(timed.deps, before, () => undefined)).record).toBe(ours);
    expect(timed.looks).toEqual([0, 120, 135]);
  });

  it('still ends at the next poll when no change is ever reported (the folders could not be watched)', async () => {
    const { deps, looks, clock } = timeline(run([]));
    expect((await follow(deps, before, () => undefined)).record).toBe(ours);
    expect(looks).toEqual([0, 500]);
    expect(clock()).toBe(500);
  });

  it('reports each audit event when its append wakes it, without a systemctl show for each change', async () => {
    const appended: [number, AuditEvent][] = [[40, event(1, 40, 'intent')], [60, event(2, 60, 'apply stop-dm: ok')], [90, event(3, 90, 'apply isolate: ok')]];
    const timed = timeline({ ...run([40, 60, 90, 120, 121]), eventsAt: appended });
    const seenAt: [string | null, number][] = [];
    await follow(timed.deps, before, (p) => {
      if (p.kind === 'event') seenAt.push([p.event.reason, timed.clock()]);
    });
    expect(seenAt).toEqual([['intent', 40], ['apply stop-dm: ok', 60], ['apply isolate: ok', 90]]);
    expect(timed.looks).toEqual([0, 120, 135]);
  });

  it('looks at a unit that lingers after its record every settleMs for SETTLE_WINDOW_MS, then every pollMs', async () => {
    const timed = timeline(run([120], 4_000));
    expect((await follow(timed.deps, before, () => undefined)).record).toBe(ours);
    const windowEnd = 120 + SETTLE_WINDOW_MS;
    const gaps = (from: number, to: number) => new Set(timed.looks.filter((t) => t > from && t <= to).map((t, i, all) => (i === 0 ? null : t - all[i - 1]!)).filter((g) => g !== null));
    expect(gaps(120, windowEnd)).toEqual(new Set([15]));
    expect(gaps(windowEnd + 15, 5_000)).toEqual(new Set([500]));
    expect(timed.clock()).toBeGreaterThanOrEqual(4_000);
    expect(timed.clock()).toBeLessThan(4_000 + 500);
  });
});

describe('parseUnitState', () => {
  it('reads systemctl show, and a never-run unit has no exit status', () => {
    expect(parseUnitState('ActiveState=failed\nResult=exit-code\nExecMainStatus=3\nExecMainExitTimestampMonotonic=123456\n')).toEqual({ activeState: 'failed', result: 'exit-code', exitStatus: 3, exitedAtUs: 123456, job: '' });
    expect(parseUnitState('ActiveState=failed\nResult=start-limit-hit\nExecMainStatus=0\nExecMainExitTimestampMonotonic=0\nJob=\n')).toMatchObject({ result: 'start-limit-hit', job: '' });
    expect(parseUnitState('ActiveState=inactive\nResult=success\nExecMainStatus=0\nExecMainExitTimestampMonotonic=0\n')).toMatchObject({ exitStatus: null, exitedAtUs: 0 });
  });
});

describe('mode request refused by systemctl', () => {
  let dirs: CliDirs;
  let bin: string;
  beforeEach(() => {
    dirs = cliDirs();
    bin = mkdtempSync(join(tmpdir(), 'dubnium-fake-systemctl-'));
    writeFileSync(dirs.env.DUBNIUM_CONFIG!, readFileSync(new URL('../../examples/workstation.config.json', import.meta.url)));
  });
  afterEach(() => {
    dirs.cleanup();
    rmSync(bin, { recursive: true, force: true });
  });

  // A stand-in systemctl: `show` answers like a never-started unit, `start` refuses with `message`.
  function refusingSystemctl(message: string, status: number): void {
    const path = join(bin, 'systemctl');
    writeFileSync(path, `#!/bin/sh\nif [ "$1" = show ]; then printf 'ActiveState=inactive\\nResult=success\\nExecMainStatus=0\\nExecMainExitTimestampMonotonic=0\\n'; exit 0; fi\necho '${message}' >&2\nexit ${status}\n`);
    chmodSync(path, 0o755);
  }
  const request = () => runCli(['request', 'compute'], { env: { ...dirs.env, PATH: `${bin}:/usr/bin:/bin` } });

  it.each([
    'Failed to start mode-controller@compute.service: Access denied',
    'Failed to start mode-controller@compute.service: Interactive authentication required.',
  ])('names the group modectl and the polkit rule for "%s"', async (message) => {
    refusingSystemctl(message, 1);
    const result = await request();
    expect(result.code).toBe(EXIT.denied);
    expect(result.stderr).toContain('modectl');
    expect(result.stderr).toContain('/etc/polkit-1/rules.d/50-mode-controller.rules');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('says start-limit-hit means wait, not a broken machine', async () => {
    refusingSystemctl('Job for mode-controller@compute.service failed because the service was attempted too often (start-limit-hit).', 1);
    const result = await request();
    expect(result.code).toBe(EXIT.busy);
    expect(result.stderr).toContain('wait a minute');
  });

  it('names systemctl when it is not on PATH', async () => {
    const result = await runCli(['request', 'compute'], { env: { ...dirs.env, PATH: bin } });
    expect(result.code).toBe(EXIT.toolMissing);
    expect(result.stderr).toContain('systemctl was not found');
  });
});

describe.skipIf(process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v setpriv']).status !== 0)('mode request by a user who cannot write the records', () => {
  let dirs: CliDirs;
  let bin: string;
  beforeEach(async () => {
    dirs = cliDirs();
    bin = mkdtempSync(join(tmpdir(), 'dubnium-fake-systemctl-'));
    writeFileSync(dirs.env.DUBNIUM_CONFIG!, readFileSync(new URL('../../examples/workstation.config.json', import.meta.url)));
    // root's records, readable by all, as the unit leaves them (RuntimeDirectoryMode=0755, records 0644)
    await writeRecords(dirs, { desired: ['compute'] });
    for (const dir of [dirs.root, dirs.runtimeDir, bin]) chmodSync(dir, 0o755);
    const systemctl = join(bin, 'systemctl');
    writeFileSync(systemctl, "#!/bin/sh\nif [ \"$1\" = show ]; then printf 'ActiveState=inactive\\nExecMainExitTimestampMonotonic=0\\n'; fi\nexit 0\n");
    chmodSync(systemctl, 0o755);
  });
  afterEach(() => {
    dirs.cleanup();
    rmSync(bin, { recursive: true, force: true });
  });

  it('starts the unit and says that the run records the mode when it starts', () => {
    const env = { ...dirs.env, PATH: `${bin}:/usr/bin:/bin` };
    const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, MODE_TS, 'request', 'studio-local', '--no-wait'], { env, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toContain('requested studio-local: started mode-controller@studio-local.service');
    expect(result.stdout).toContain(`this user cannot write ${dirs.runtimeDir}: the controller run records studio-local as desired when its unit starts`);
    // nothing was written by this user: desired.json still holds root's record
    expect(JSON.parse(readFileSync(join(dirs.runtimeDir, 'desired.json'), 'utf8'))).toMatchObject({ mode: 'compute', generation: 1 });
  });
});
