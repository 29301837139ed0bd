// What the units promise the controller and the plan, read from the files
// themselves and from the v1 config (examples/workstation.config.json), so a
// unit and the config that names it cannot drift apart silently.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORK_CALLS_BOUND } from '../../predicates/timeouts.ts';
import { Config, MAX_DRAIN_WAIT_SECONDS } from '../../schemas/config.ts';
import { commentedAbove, settings, single, values } from './unit-file.ts';
import { execProgram } from './verify-root.ts';
import { UNITS_DIR, timespanMs, unitFileNames, unitLines } from './units-dir.ts';

const config = Config.parse(JSON.parse(readFileSync(join(UNITS_DIR, '..', 'examples', 'workstation.config.json'), 'utf8')));
const CONTROLLER = 'mode-controller@.service';

describe('every unit file', () => {
  it.each(unitFileNames())('%s has only sections, comments on their own lines and KEY=VALUE settings', (unit) => {
    const bad = unitLines(unit).filter((l) => l.kind === 'bad');
    expect(bad.map((l) => `${unit}:${l.line}: ${l.kind === 'bad' ? `${l.problem}: ${l.text}` : ''}`)).toEqual([]);
  });

  it.each(unitFileNames())('%s runs node with --jitless wherever MemoryDenyWriteExecute=yes', (unit) => {
    const lines = unitLines(unit);
    if (single(lines, 'Service', 'MemoryDenyWriteExecute') !== 'yes') return;
    const nodeCommands = settings(lines, 'Service').filter((s) => s.key.startsWith('Exec') && execProgram(s.value)?.endsWith('/node'));
    for (const command of nodeCommands) expect(command.value.split(/\s+/)).toContain('--jitless');
  });

  it('rejects a trailing comment (the lint can fail)', async () => {
    const { readUnitFile } = await import('./unit-file.ts');
    const lines = readUnitFile('[Service]\nKillMode=mixed # why\n; fine\n');
    expect(lines.filter((l) => l.kind === 'bad')).toHaveLength(1);
  });
});

describe('mode-controller@.service', () => {
  const lines = unitLines(CONTROLLER);
  const service = (key: string) => single(lines, 'Service', key);

  it('is a oneshot template that survives isolate, keeps its runtime folder and has its state folder', () => {
    expect(service('Type')).toBe('oneshot');
    expect(single(lines, 'Unit', 'IgnoreOnIsolate')).toBe('yes');
    expect(service('RuntimeDirectory')).toBe('mode-controller');
    expect(service('RuntimeDirectoryPreserve')).toBe('yes');
    expect(service('StateDirectory')).toBe('mode-controller');
  });

  it('runs node itself as the main process for its instance (no flock or shell wrapper)', () => {
    const execStart = values(lines, 'Service', 'ExecStart');
    expect(execProgram(execStart.join(' '))).toMatch(/\/node$/);
    expect(execStart).toContain('run');
    expect(execStart.at(-1)).toBe('%i');
    expect(execStart.some((word) => /flock|\/sh$|bash/.test(word))).toBe(false);
  });

  it('bounds a run by more than the sum of the config step timeouts, so the controller deadlines fire first', () => {
    const steps = Object.values(config.thresholds.stepTimeoutsMs).reduce((a, b) => a + b, 0);
    expect(timespanMs(service('TimeoutStartSec') ?? '')).toBeGreaterThan(steps);
  });

  it('bounds a run leaving compute on a Slurm node by more than the longest drain wait, the drain and every step but vLLM readiness', () => {
    const { vllmReady: _notWaitedOnLeaving, ...leaving } = config.thresholds.stepTimeoutsMs;
    const drainMs = WORK_CALLS_BOUND * config.slurm.commandTimeoutSeconds * 1000;
    const steps = Object.values(leaving).reduce((a, b) => a + b, 0);
    expect(timespanMs(service('TimeoutStartSec') ?? '')).toBeGreaterThan(MAX_DRAIN_WAIT_SECONDS * 1000 + drainMs + steps);
  });

  it('sends SIGTERM to node only and gives it time to stop at a step boundary', () => {
    expect(service('KillMode')).toBe('mixed');
    expect(timespanMs(service('TimeoutStopSec') ?? '')).toBeGreaterThanOrEqual(10_000);
  });

  it('forces the C locale and no colours or pager for every tool it runs', () => {
    expect(values(lines, 'Service', 'Environment')).toEqual(expect.arrayContaining(['LC_ALL=C', 'SYSTEMD_COLORS=0', 'SYSTEMD_PAGER=']));
  });

  it.each(['IgnoreOnIsolate', 'RuntimeDirectoryPreserve', 'TimeoutStartSec', 'KillMode', 'ExecStart', 'MemoryDenyWriteExecute', 'PrivateDevices', 'ProtectProc', 'ProcSubset', 'DeviceAllow', 'SystemCallErrorNumber', 'UMask'])(
    'says why it sets %s, on the line above',
    (key) => {
      expect(commentedAbove(lines, key)).toBe(true);
    },
  );
});

describe('the mode targets', () => {
  const desktop = unitLines(config.units.desktopTarget);
  const compute = unitLines(config.units.computeTarget);

  it('can both be isolated and exclude each other', () => {
    expect(single(desktop, 'Unit', 'AllowIsolate')).toBe('yes');
    expect(single(compute, 'Unit', 'AllowIsolate')).toBe('yes');
    const conflict = values(desktop, 'Unit', 'Conflicts').includes(config.units.computeTarget) || values(compute, 'Unit', 'Conflicts').includes(config.units.desktopTarget);
    expect(conflict).toBe(true);
  });

  it('both require multi-user.target, so recovery-critical units wanted there (sshd) survive every isolate', () => {
    expect(values(desktop, 'Unit', 'Requires')).toContain('multi-user.target');
    expect(values(compute, 'Unit', 'Requires')).toContain('multi-user.target');
  });

  it('desktop wants the graphical session; compute conflicts with it and is ordered after its stop', () => {
    expect(values(desktop, 'Unit', 'Wants')).toEqual(expect.arrayContaining(['graphical.target', config.units.displayManager]));
    expect(values(compute, 'Unit', 'Conflicts')).toEqual(expect.arrayContaining(['graphical.target', config.units.displayManager]));
    expect(values(compute, 'Unit', 'After')).toEqual(expect.arrayContaining(['graphical.target', config.units.displayManager]));
  });

  it('neither pulls vLLM in: the controller starts it after the GPUs are released', () => {
    for (const target of [desktop, compute]) {
      for (const key of ['Wants', 'Requires', 'Upholds', 'BindsTo']) expect(values(target, 'Unit', key)).not.toContain(config.units.vllm);
    }
  });
});

describe('vLLM units', () => {
  const vllm = unitLines(config.units.vllm);
  const ready = unitLines(config.units.vllmReady);

  it('vllm.service runs in the ai slice, only in compute mode, and is stopped as a whole cgroup', () => {
    expect(single(vllm, 'Service', 'Slice')).toBe(config.units.slices.ai);
    expect(values(vllm, 'Unit', 'Requisite')).toContain(config.units.computeTarget);
    expect(values(vllm, 'Unit', 'PartOf')).toContain(config.units.computeTarget);
    expect(single(vllm, 'Service', 'KillMode')).toBe('control-group');
  });

  it('vllm-ready.service is a oneshot bound to vllm.service whose wait covers the config wait for readiness', () => {
    expect(single(ready, 'Service', 'Type')).toBe('oneshot');
    expect(single(ready, 'Service', 'RemainAfterExit')).toBe('yes');
    expect(values(ready, 'Unit', 'BindsTo')).toContain(config.units.vllm);
    expect(values(ready, 'Unit', 'After')).toContain(config.units.vllm);
    expect(timespanMs(single(ready, 'Service', 'TimeoutStartSec') ?? '')).toBeGreaterThanOrEqual(config.thresholds.stepTimeoutsMs.vllmReady);
  });

  it('vllm-ready.service probes the configured port on loopback', () => {
    const url = values(ready, 'Service', 'Environment').find((v) => v.startsWith('VLLM_HEALTH_URL='));
    expect(url).toBe(`VLLM_HEALTH_URL=http://127.0.0.1:${config.vllm.port}/health`);
  });
});

describe('overlay and slices', () => {
  it.each(config.units.studioOverlay)('%s is a oneshot that stays active, only on top of desktop', (unit) => {
    const lines = unitLines(unit);
    expect(single(lines, 'Service', 'Type')).toBe('oneshot');
    expect(single(lines, 'Service', 'RemainAfterExit')).toBe('yes');
    expect(values(lines, 'Unit', 'Requisite')).toContain(config.units.desktopTarget);
  });

  it.each(Object.entries(config.units.slices))('the %s slice (%s) starts at the baseline weights of the config', (role, unit) => {
    const baseline = config.slices.baseline[role as keyof typeof config.slices.baseline];
    if (!unitFileNames().includes(unit)) {
      // systemd's own slice (user.slice, where logind puts the sessions): it sets no weight, and the baseline says so
      expect({ unit, ...baseline }).toEqual({ unit: 'user.slice', cpuWeight: null, ioWeight: null });
      return;
    }
    const lines = unitLines(unit);
    expect(Number(single(lines, 'Slice', 'CPUWeight'))).toBe(baseline.cpuWeight);
    expect(Number(single(lines, 'Slice', 'IOWeight'))).toBe(baseline.ioWeight);
  });
});

describe('mode-boot.service', () => {
  const lines = unitLines('mode-boot.service');
  it('asks the controller to apply the boot default, without pulling any mode in by itself', () => {
    expect(values(lines, 'Service', 'ExecStart')).toContain('boot');
    for (const key of ['Wants', 'Requires', 'BindsTo']) expect(values(lines, 'Unit', key)).toEqual([]);
  });
});

describe('timespanMs', () => {
  it('reads the spans our units use and refuses what it does not know', () => {
    expect(timespanMs('30min')).toBe(1_800_000);
    expect(timespanMs('45s')).toBe(45_000);
    expect(timespanMs('1h 30min')).toBe(5_400_000);
    expect(timespanMs('90')).toBe(90_000);
    expect(() => timespanMs('soon')).toThrow(/not a time span/);
  });
});
