// Issue 13 item 6: the desktop user's manager and everything it starts stay
// inside the sandbox. Its unit path is only its runtime folders and the
// sandbox's copy of the user units; its home and /run/user/4242 are the
// sandbox's own tmpfs; nothing of the host's user units is loaded; teardown
// leaves no process of it behind.
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeResult } from './command.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { bootSandbox, type Sandbox } from './sandbox.ts';
import { asDesktopUser, DESKTOP_HOME, DESKTOP_RUNTIME_DIR, USER_UNITS_INSIDE } from './user-manager.ts';

describeWhen(sandboxPrerequisites(), 'the desktop user manager stays inside the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await bootSandbox({});
  }, 120_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  async function inside(argv: readonly string[]): Promise<string> {
    const result = await sandbox.exec(argv);
    if (result.exitCode !== 0) throw new Error(describeResult(result));
    return result.stdout;
  }

  it('user@4242.service is the real systemd --user, ready, in the session user\'s slice', async () => {
    const shown = (await sandbox.show(['user@4242.service'], ['ActiveState', 'StatusText', 'ControlGroup', 'ExecStart'])).get('user@4242.service');
    expect({ active: shown?.ActiveState, status: shown?.StatusText, cgroup: shown?.ControlGroup }).toEqual({ active: 'active', status: 'Ready.', cgroup: '/user.slice/user-4242.slice/user@4242.service' });
    expect(shown?.ExecStart).toContain('path=/lib/systemd/systemd');
  });

  it('loads units only from its runtime folders and the sandbox\'s copy, never the host\'s user units', async () => {
    const unitPath = (await inside(asDesktopUser(['systemctl', '--user', 'show', '--property=UnitPath', '--value']))).trim().split(' ');
    expect(unitPath).toEqual([`${DESKTOP_RUNTIME_DIR}/systemd/user.control`, `${DESKTOP_RUNTIME_DIR}/systemd/transient`, USER_UNITS_INSIDE]);
    const files = (await inside(asDesktopUser(['systemctl', '--user', 'list-unit-files', '--no-legend', '--no-pager']))).split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]!);
    // the host has gpg-agent, dirmngr, ssh-agent, at-spi ... user units: none of them is there
    for (const hostOnly of ['gpg-agent.service', 'dirmngr.socket', 'ssh-agent.service', 'systemd-tmpfiles-setup.service', 'dconf.service']) expect(files).not.toContain(hostOnly);
    expect(files).toEqual(expect.arrayContaining(['pipewire.service', 'pipewire-pulse.socket', 'wireplumber.service', 'dbus.socket']));
    const fragments = (await inside(asDesktopUser(['systemctl', '--user', 'show', '--property=FragmentPath', '--value', 'pipewire.service', 'wireplumber.service', 'dbus.service']))).split('\n').filter(Boolean);
    expect(fragments).toEqual(['pipewire.service', 'wireplumber.service', 'dbus.service'].map((name) => `${USER_UNITS_INSIDE}/${name}`));
  });

  it("has its home and runtime folder on the sandbox's own tmpfs, owned by the user", async () => {
    const mounts = await inside(['findmnt', '--noheadings', '--output', 'TARGET,FSTYPE', '--target', DESKTOP_HOME]);
    expect(mounts.trim().split(/\s+/)).toEqual(['/home', 'tmpfs']);
    expect((await inside(['findmnt', '--noheadings', '--output', 'TARGET,FSTYPE', DESKTOP_RUNTIME_DIR])).trim().split(/\s+/)).toEqual([DESKTOP_RUNTIME_DIR, 'tmpfs']);
    expect((await inside(['stat', '--format=%u %a', DESKTOP_HOME, DESKTOP_RUNTIME_DIR])).trim().split('\n')).toEqual(['4242 700', '4242 700']);
    // what wireplumber and systemd --user wrote is in there, not in the host's /home
    expect((await inside(['ls', '-A', DESKTOP_HOME])).trim().split('\n')).toEqual(expect.arrayContaining(['.local']));
    expect(existsSync(DESKTOP_HOME)).toBe(false);
    expect(existsSync(DESKTOP_RUNTIME_DIR) && statSync(DESKTOP_RUNTIME_DIR).uid === 4242).toBe(false);
  });

  it('teardown leaves no process of the user manager, PipeWire or the publisher', async () => {
    const pids = (await inside(['pgrep', '-u', '4242'])).trim().split('\n').map(Number);
    expect(pids.length).toBeGreaterThanOrEqual(5);
    const report = await sandbox.stop();
    expect(report).toMatchObject({ leftover: [], cgroupRemoved: true, dirRemoved: true, problems: [] });
  });
});
