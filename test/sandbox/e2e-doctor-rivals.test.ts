// `mode doctor` against a real systemd with rival managers in it: stand-in
// units carrying the real unit names and the directives of their packaged
// units (Conflicts=, Before=/After=, [Install] WantedBy=), each running a
// long-lived /bin/sleep (or, for TLP, a oneshot like the real one) instead
// of the daemon. Type=dbus is the one directive changed (Type=simple): no
// stand-in takes the bus name, and systemd would wait for it. Doctor must
// name each active or enabled one with its severity and what it touches, and
// name none before they are installed. GameMode is a user unit of the desktop
// user's manager, found through that manager's cgroup. The same run shows
// the audio state as the controller's unit read it, and the placeholder
// check (no NixOS here: unknown).
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DoctorOutput } from '../../schemas/cli-output.ts';
import { describeResult } from './command.ts';
import { bootControllerSandbox, request, type ControllerSandbox } from './e2e.ts';
import { INSIDE_NODE, SUBDIRS } from './layout.ts';
import { installCli } from './member.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { asDesktopUser, type UserUnit } from './user-manager.ts';

const SLEEP = 'ExecStart=/bin/sleep infinity';

/** name → [Unit] lines, [Service] lines, the target [Install] WantedBy= names */
const RIVAL_UNITS: Record<string, { unit: string[]; service: string[]; wantedBy: string }> = {
  // power-profiles-daemon 0.21 (data/power-profiles-daemon.service.in)
  'power-profiles-daemon.service': {
    unit: ['Description=Power Profiles daemon', 'Conflicts=tuned.service auto-cpufreq.service system76-power.service', 'Before=graphical.target display-manager.target', 'After=tlp.service'],
    service: [SLEEP, 'StateDirectory=power-profiles-daemon', 'Restart=on-failure'],
    wantedBy: 'graphical.target',
  },
  // tuned 2.x (tuned.service)
  'tuned.service': {
    unit: ['Description=Dynamic System Tuning Daemon', 'After=systemd-sysctl.service network.target dbus.service polkit.service', 'Conflicts=cpupower.service auto-cpufreq.service tlp.service power-profiles-daemon.service'],
    service: [SLEEP, 'PIDFile=/run/tuned/tuned.pid'],
    wantedBy: 'multi-user.target',
  },
  // TLP 1.8 (tlp.service.in): a oneshot that applies its settings at boot
  'tlp.service': {
    unit: ['Description=TLP system startup/shutdown', 'After=multi-user.target NetworkManager.service', 'Before=shutdown.target'],
    service: ['Type=oneshot', 'RemainAfterExit=yes', 'ExecStart=/bin/true'],
    wantedBy: 'multi-user.target',
  },
  // optimus-manager 1.4 (systemd/optimus-manager.service)
  'optimus-manager.service': {
    unit: ['Description=Optimus Manager Commands Daemon', 'Before=display-manager.service'],
    service: [SLEEP],
    wantedBy: 'graphical.target',
  },
};

// GameMode 1.8 (data/gamemoded.service.in), a user unit
const GAMEMODED: UserUnit = { name: 'gamemoded.service', text: ['[Unit]', 'Description=gamemoded', '', '[Service]', SLEEP, '', '[Install]', 'WantedBy=default.target', ''].join('\n') };

describeWhen(sandboxPrerequisites(), 'end to end: mode doctor names the rival managers of a real systemd', () => {
  let sandbox: ControllerSandbox;
  let modeCli: string;
  beforeAll(async () => {
    sandbox = await bootControllerSandbox({ userUnits: [GAMEMODED] });
    modeCli = await installCli(sandbox);
  }, 180_000);
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  async function doctor(): Promise<DoctorOutput> {
    const result = await sandbox.exec(['env', `DUBNIUM_CONFIG=${sandbox.configPathInside}`, 'PATH=/run/dubnium-sandbox/bin:/usr/bin:/bin', INSIDE_NODE, '--jitless', '--no-expose-wasm', modeCli, 'doctor', '--json'], 120_000);
    if (result.stdout.trim() === '') throw new Error(`mode doctor printed nothing: ${describeResult(result)}`);
    return JSON.parse(result.stdout) as DoctorOutput;
  }
  async function ok(argv: readonly string[]) {
    const result = await sandbox.exec(argv);
    if (result.exitCode !== 0) throw new Error(describeResult(result));
  }

  it("with no rival installed, no rival is named; the controller's unit read the audio state", async () => {
    expect(['noop', 'succeeded']).toContain((await request(sandbox, 'desktop')).record.outcome);
    const out = await doctor();
    expect(out.checks.filter((c) => c.id.startsWith('rival')).map((c) => [c.id, c.status])).toEqual([['rival-managers', 'pass']]);
    const audio = out.checks.find((c) => c.id === 'audio-streams-controller');
    expect(audio?.status, audio?.message).toBe('pass');
    expect(audio?.message).toMatch(/^read by the unit \(written .* by run /);
    expect(out.checks.find((c) => c.id === 'hardware-configuration')?.status).toBe('unknown');
  }, 300_000);

  it('names each active or enabled rival with its severity and what it touches', async () => {
    const units = join(sandbox.dir, SUBDIRS.units);
    for (const [name, spec] of Object.entries(RIVAL_UNITS)) {
      writeFileSync(join(units, name), ['[Unit]', ...spec.unit, '', '[Service]', ...spec.service, '', '[Install]', `WantedBy=${spec.wantedBy}`, ''].join('\n'));
    }
    // enabled as `systemctl enable` would link them: ppd, tuned and optimus-manager; TLP only started
    for (const name of ['power-profiles-daemon.service', 'tuned.service', 'optimus-manager.service']) {
      const wants = join(units, `${RIVAL_UNITS[name]!.wantedBy}.wants`);
      mkdirSync(wants, { recursive: true });
      symlinkSync(`../${name}`, join(wants, name));
    }
    await ok(['systemctl', 'daemon-reload']);
    // tuned stays enabled but stopped: starting ppd after it would stop it (Conflicts=)
    await ok(['systemctl', 'start', 'power-profiles-daemon.service', 'tlp.service', 'optimus-manager.service']);
    await ok(['sh', '-c', 'printf "[State]\\nDriver=platform_profile\\nProfile=performance\\n" > /var/lib/power-profiles-daemon/state.ini']);
    const started = await sandbox.exec(asDesktopUser(['systemctl', '--user', 'start', 'gamemoded.service']));
    if (started.exitCode !== 0) throw new Error(describeResult(started));

    const out = await doctor();
    const rivals = Object.fromEntries(out.checks.filter((c) => c.id.startsWith('rival')).map((c) => [c.id, c]));
    expect(Object.fromEntries(Object.entries(rivals).map(([id, c]) => [id, c.status]))).toEqual({
      'rival:tuned.service': 'warn',
      'rival:power-profiles-daemon.service': 'warn',
      'rival:tlp.service': 'warn',
      'rival:gamemoded.service': 'warn',
      'rival:optimus-manager.service': 'fail',
    });
    expect(rivals['rival:power-profiles-daemon.service']?.message).toMatch(/^power-profiles-daemon \(power-profiles-daemon\.service\) is active, enabled \(wanted by graphical\.target\): it touches the platform profile/);
    expect(rivals['rival:power-profiles-daemon.service']?.message).toContain('it conflicts with tuned.service (Conflicts=), also here');
    expect(rivals['rival:power-profiles-daemon.service']?.message).toContain("compute's isolate stops it");
    expect(rivals['rival:power-profiles-daemon.service']?.message).toContain('it is set to /var/lib/power-profiles-daemon/state.ini: Profile=performance');
    expect(rivals['rival:tuned.service']?.message).toMatch(/^TuneD \(tuned\.service\) is inactive, enabled \(wanted by multi-user\.target\)/);
    expect(rivals['rival:tuned.service']?.message).toContain('it conflicts with power-profiles-daemon.service, tlp.service (Conflicts=)');
    expect(rivals['rival:tlp.service']?.message).toMatch(/^TLP \(tlp\.service\) is active, not enabled: it touches CPU governor/);
    expect(rivals['rival:optimus-manager.service']?.message).toMatch(/is active, enabled \(wanted by graphical\.target\): it touches the display manager and the GPU/);
    expect(rivals['rival:gamemoded.service']?.message).toMatch(/^GameMode \(gamemoded\.service\) is running for user 4242/);
    expect(rivals['rival:optimus-manager.service']?.evidence[0]?.lines[0]).toMatch(/^optimus-manager\.service: LoadState=loaded ActiveState=active .*FragmentPath=\S+\/units\/optimus-manager\.service$/);
    expect(out.exit.name).toBe('checkFailed');
  }, 300_000);
});
