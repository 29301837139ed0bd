// The sandbox's systemd is real: it loads the project's units, answers
// `systemctl show`, runs logind with a real seat0 session, starts and stops
// the overlay, and keeps runtime slice weights exactly as set.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeResult } from './command.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { bootSandbox, type Sandbox } from './sandbox.ts';
import { DESKTOP_USER } from './layout.ts';
import { PACKAGE_INSIDE } from './package-install.ts';

describeWhen(sandboxPrerequisites(), 'sandboxed systemd: units, logind, overlay, slices', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await bootSandbox();
  });
  afterAll(async () => {
    const report = await sandbox?.stop();
    expect(report?.problems).toEqual([]);
  });

  it('boots into desktop mode: graphical.target, desktop.target and the display manager active, compute and vLLM inactive', async () => {
    const { units } = sandbox.config;
    const shown = await sandbox.show([units.desktopTarget, units.computeTarget, units.displayManager, units.vllm, units.vllmReady, ...units.studioOverlay, ...units.recoveryCritical], ['LoadState', 'ActiveState']);
    const state = (unit: string) => `${shown.get(unit)?.LoadState}/${shown.get(unit)?.ActiveState}`;
    expect(state(units.desktopTarget)).toBe('loaded/active');
    expect(state(units.displayManager)).toBe('loaded/active');
    expect(state('sshd.service')).toBe('loaded/active');
    expect(state(units.computeTarget)).toBe('loaded/inactive');
    expect(state(units.vllm)).toBe('loaded/inactive');
    expect(state(units.vllmReady)).toBe('loaded/inactive');
    for (const overlay of units.studioOverlay) expect(state(overlay)).toBe('loaded/inactive');
  });

  it('loads every unit of units/ without a bad setting', async () => {
    const ours = ['mode-controller@desktop.service', 'mode-boot.service', 'desktop.target', 'compute.target', 'studio-local-policy.service', 'audio-priority.service', 'interactive.slice', 'ai.slice', 'platform.slice', 'vllm.service', 'vllm-ready.service'];
    const shown = await sandbox.show(ours, ['LoadState', 'LoadError']);
    for (const unit of ours) expect({ unit, load: shown.get(unit)?.LoadState, error: shown.get(unit)?.LoadError }).toEqual({ unit, load: 'loaded', error: '' });
  });

  it('runs the units as nix/install-units.sh installed them: each program is an absolute path into the package', async () => {
    const { units } = sandbox.config;
    const packaged = [...units.studioOverlay, units.vllmReady, 'mode-controller@desktop.service'];
    const shown = await sandbox.show(packaged, ['ExecStart', 'FragmentPath']);
    for (const unit of packaged) {
      const path = /\bpath=(\S+)/.exec(shown.get(unit)?.ExecStart ?? '')?.[1];
      expect(path, unit).toMatch(new RegExp(`^${PACKAGE_INSIDE}/out/lib/dubnium/bin/(true|curl|node)$`));
      expect(sandbox.readInside(shown.get(unit)?.FragmentPath ?? ''), unit).not.toContain('/usr/lib/dubnium/');
    }
  });

  it('the packaged mode-controller@ line runs the package\'s own node and mode.cjs: without the sandbox\'s config it refuses, exit 78', async () => {
    // no controller drop-in in this sandbox: /etc/dubnium/config.json (the default) does not exist inside
    const start = await sandbox.systemctl(['start', 'mode-controller@desktop.service']);
    expect(start.exitCode).not.toBe(0);
    const shown = (await sandbox.show(['mode-controller@desktop.service'], ['ExecMainStatus', 'Result'])).get('mode-controller@desktop.service');
    expect(shown).toMatchObject({ ExecMainStatus: '78', Result: 'exit-code' });
    expect(await sandbox.journal(60)).toMatch(/\/etc\/dubnium\/config\.json/);
    await sandbox.systemctl(['reset-failed', 'mode-controller@desktop.service']);
  });

  it('has a real logind session for the desktop user: seat0, x11, class user, active', async () => {
    const list = await sandbox.loginctl(['list-sessions', '--no-legend']);
    const id = list.stdout.trim().split(/\s+/)[0];
    expect(id, describeResult(list)).toMatch(/^\d+$/);
    const session = await sandbox.loginctl(['show-session', '--property=Name', '--property=Seat', '--property=Type', '--property=Class', '--property=Active', '--property=Remote', '--', id ?? '']);
    expect(session.stdout.split('\n').filter(Boolean).sort()).toEqual(['Active=yes', 'Class=user', `Name=${DESKTOP_USER.name}`, 'Remote=no', 'Seat=seat0', 'Type=x11']);
  });

  it('starts and stops the overlay services; each marker folder exists exactly while its unit is active', async () => {
    const overlay = sandbox.config.units.studioOverlay;
    const start = await sandbox.systemctl(['start', '--', ...overlay]);
    expect(start.exitCode, describeResult(start)).toBe(0);
    expect((await sandbox.systemctl(['is-active', '--', ...overlay])).stdout.split('\n').filter(Boolean)).toEqual(overlay.map(() => 'active'));
    expect(sandbox.readInside('/run/dubnium/studio-local')).toBeNull();
    expect((await sandbox.exec(['test', '-d', '/run/dubnium/studio-local'])).exitCode).toBe(0);
    expect((await sandbox.exec(['test', '-d', '/run/dubnium/audio-priority'])).exitCode).toBe(0);
    const stop = await sandbox.systemctl(['stop', '--', ...overlay]);
    expect(stop.exitCode, describeResult(stop)).toBe(0);
    expect((await sandbox.systemctl(['is-active', '--', ...overlay])).stdout.split('\n').filter(Boolean)).toEqual(overlay.map(() => 'inactive'));
    expect((await sandbox.exec(['test', '-e', '/run/dubnium/studio-local'])).exitCode).toBe(1);
  });

  it('applies set-property --runtime to the slices and reads the exact values back, then the baseline again', async () => {
    const { slices, units } = sandbox.config;
    const roles = ['interactive', 'ai', 'platform'] as const;
    const weights = async () => {
      const shown = await sandbox.show(roles.map((r) => units.slices[r]), ['CPUWeight', 'IOWeight']);
      return roles.map((r) => ({ role: r, cpu: shown.get(units.slices[r])?.CPUWeight, io: shown.get(units.slices[r])?.IOWeight }));
    };
    // a null baseline (user.slice sets no weight) is systemd's `[not set]`, and an empty assignment gives it back
    const expected = (set: typeof slices.baseline) => roles.map((r) => ({ role: r, cpu: String(set[r].cpuWeight ?? '[not set]'), io: String(set[r].ioWeight ?? '[not set]') }));
    expect(await weights()).toEqual(expected(slices.baseline));
    for (const set of [slices.studio, slices.baseline]) {
      for (const role of roles) {
        const result = await sandbox.systemctl(['set-property', '--runtime', '--', units.slices[role], `CPUWeight=${set[role].cpuWeight ?? ''}`, `IOWeight=${set[role].ioWeight ?? ''}`]);
        expect(result.exitCode, describeResult(result)).toBe(0);
      }
      expect(await weights()).toEqual(expected(set));
    }
  });

  it('keeps a --runtime weight across daemon-reload as a drop-in in /run, never in the host /etc', async () => {
    const slice = sandbox.config.units.slices.ai;
    const set = await sandbox.systemctl(['set-property', '--runtime', '--', slice, 'CPUWeight=37']);
    expect(set.exitCode, describeResult(set)).toBe(0);
    expect((await sandbox.systemctl(['daemon-reload'])).exitCode).toBe(0);
    const shown = (await sandbox.show([slice], ['CPUWeight', 'DropInPaths'])).get(slice);
    expect(shown?.CPUWeight).toBe('37');
    expect((shown?.DropInPaths ?? "").split(" ")).toContain(`/run/systemd/system.control/${slice}.d/50-CPUWeight.conf`);
    expect((await sandbox.exec(['test', '-e', '/etc/systemd/system.control'])).exitCode).toBe(1);
    await sandbox.systemctl(['set-property', '--runtime', '--', slice, `CPUWeight=${sandbox.config.slices.baseline.ai.cpuWeight}`]);
  });
});
