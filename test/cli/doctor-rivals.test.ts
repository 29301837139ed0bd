// The rival managers as doctor judges them, from the unit properties and
// config lines a real `systemctl show` and the rivals' files give: absent,
// disabled or masked units name nothing; an active or enabled one is named
// with what it touches, warn or fail by how it collides; a Conflicts= on a
// mode's unit fails; two rivals that conflict are both told; a unit only
// graphical.target wants is told that compute's isolate stops it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectRivals, parseRivalShow, settingLines, type RivalObservation, type RivalUnitState } from '../../effects/observe/collect-rivals.ts';
import type { CommandRequest, CommandResult } from '../../effects/exec/command-result.ts';
import { observeContext } from '../../effects/observe/observe-facts.ts';
import { configuredUnits } from '../../effects/observe/configured-units.ts';
import { rivalChecks, rivalSpec } from '../../cli/doctor/rival-checks.ts';
import { RIVALS } from '../../cli/doctor/rival-catalogue.ts';
import { Config, type ConfigInput } from '../../schemas/config.ts';
import type { FactSource } from '../../schemas/facts.ts';

const config = Config.parse(JSON.parse(readFileSync(new URL('../../examples/workstation.config.json', import.meta.url), 'utf8')) as ConfigInput);
const configured = configuredUnits(config);
const source: FactSource = { kind: 'command', argv: ['systemctl', 'show'], exitCode: 0 };
const at = '2026-12-03T00:00:00.000Z';
const absent = (unit: string): RivalUnitState => ({ unit, loadState: 'not-found', activeState: 'inactive', unitFileState: '', conflicts: [], pulledInBy: [], ignoreOnIsolate: false, fragmentPath: null });
const systemUnits = rivalSpec().systemUnits;

function observed(overrides: Partial<Record<string, Partial<RivalUnitState>>>, extra: Partial<RivalObservation> = {}): RivalObservation {
  return {
    units: { status: 'known', value: systemUnits.map((u) => ({ ...absent(u), ...overrides[u] })), source, readAt: at },
    user: { status: 'known', value: [{ unit: 'gamemoded.service', globalState: null, runningFor: [] }], source, readAt: at },
    configs: [],
    ...extra,
  };
}
const loaded = (more: Partial<RivalUnitState>): Partial<RivalUnitState> => ({ loadState: 'loaded', fragmentPath: '/etc/systemd/system/x.service', ...more });

describe('rival managers', () => {
  it('with none installed, one pass and no rival named', () => {
    const checks = rivalChecks(observed({}), configured);
    expect(checks.map((c) => [c.id, c.status])).toEqual([['rival-managers', 'pass']]);
  });

  it('a disabled, inactive or masked unit is not named', () => {
    const checks = rivalChecks(observed({ 'tlp.service': loaded({ unitFileState: 'disabled' }), 'tuned.service': { loadState: 'masked', unitFileState: 'masked' } }), configured);
    expect(checks.map((c) => c.id)).toEqual(['rival-managers']);
  });

  it('an enabled TLP warns, naming what it touches and the settings of /etc/tlp.conf', () => {
    const checks = rivalChecks(
      observed({ 'tlp.service': loaded({ activeState: 'active', unitFileState: 'enabled', pulledInBy: ['multi-user.target'] }) }, { configs: [{ unit: 'tlp.service', path: '/etc/tlp.conf', lines: ['CPU_SCALING_GOVERNOR_ON_AC=performance', 'RUNTIME_PM_ON_AC=auto'] }] }),
      configured,
    );
    expect(checks.map((c) => [c.id, c.status])).toEqual([['rival:tlp.service', 'warn']]);
    expect(checks[0]?.message).toMatch(/^TLP \(tlp\.service\) is active, enabled \(wanted by multi-user\.target\): it touches CPU governor.*NVIDIA GPUs/);
    expect(checks[0]?.message).toContain('it is set to /etc/tlp.conf: CPU_SCALING_GOVERNOR_ON_AC=performance, RUNTIME_PM_ON_AC=auto');
    expect(checks[0]?.message).not.toContain('isolate');
  });

  it('GPU switchers fail: supergfxd, system76-power, optimus-manager; enabled on NixOS means pulled in, whatever UnitFileState says', () => {
    const checks = rivalChecks(
      observed({
        'supergfxd.service': loaded({ activeState: 'active', unitFileState: 'linked', pulledInBy: ['multi-user.target'] }),
        'optimus-manager.service': loaded({ activeState: 'inactive', unitFileState: 'enabled', pulledInBy: ['graphical.target'] }),
        'system76-power.service': loaded({ activeState: 'active', unitFileState: 'static' }),
      }),
      configured,
    );
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['rival:supergfxd.service', 'fail'],
      ['rival:system76-power.service', 'fail'],
      ['rival:optimus-manager.service', 'fail'],
    ]);
    expect(checks.find((c) => c.id === 'rival:optimus-manager.service')?.message).toMatch(/is inactive, enabled .*stops the display manager.*compute's isolate stops it and desktop starts it again/);
    expect(checks.find((c) => c.id === 'rival:supergfxd.service')?.message).toMatch(/unloads the NVIDIA modules/);
  });

  it("power-profiles-daemon and tuned, both enabled, name each other's Conflicts=; ppd is stopped by compute's isolate", () => {
    const checks = rivalChecks(
      observed({
        'power-profiles-daemon.service': loaded({ activeState: 'active', unitFileState: 'enabled', conflicts: ['tuned.service', 'auto-cpufreq.service', 'system76-power.service'], pulledInBy: ['graphical.target'] }),
        'tuned.service': loaded({ activeState: 'inactive', unitFileState: 'enabled', conflicts: ['cpupower.service', 'auto-cpufreq.service', 'tlp.service', 'power-profiles-daemon.service'], pulledInBy: ['multi-user.target'] }),
      }),
      configured,
    );
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['rival:tuned.service', 'warn'],
      ['rival:power-profiles-daemon.service', 'warn'],
    ]);
    expect(checks[0]?.message).toContain('it conflicts with power-profiles-daemon.service (Conflicts=), also here');
    expect(checks[1]?.message).toContain('it conflicts with tuned.service (Conflicts=), also here');
    expect(checks[1]?.message).toContain("compute's isolate stops it");
    expect(checks[0]?.message).not.toContain("compute's isolate");
  });

  it('a Conflicts= on a unit of the modes fails even for a warn rival', () => {
    const checks = rivalChecks(observed({ 'nvidia-powerd.service': loaded({ activeState: 'active', conflicts: [config.units.vllm] }) }), configured);
    expect(checks.map((c) => [c.id, c.status])).toEqual([['rival:nvidia-powerd.service', 'fail']]);
    expect(checks[0]?.message).toContain(`its unit conflicts with ${config.units.vllm} (Conflicts=): starting it stops a unit of Dubnium's modes`);
  });

  it("GameMode running under a user's manager warns, naming the users", () => {
    const checks = rivalChecks(observed({}, { user: { status: 'known', value: [{ unit: 'gamemoded.service', globalState: 'disabled', runningFor: [4242] }], source, readAt: at } }), configured);
    expect(checks.map((c) => [c.id, c.status])).toEqual([['rival:gamemoded.service', 'warn']]);
    expect(checks[0]?.message).toMatch(/^GameMode \(gamemoded\.service\) is running for user 4242, not enabled: it touches CPU governor/);
  });

  it('an unreadable systemctl is unknown, never a pass', () => {
    const checks = rivalChecks({ ...observed({}), units: { status: 'unknown', code: 'tool-failed', reason: 'systemctl exited 1', source, readAt: at } }, configured);
    expect(checks.map((c) => [c.id, c.status])).toEqual([['rival-managers:units', 'unknown']]);
  });

  it('every catalogue row has a severity reason and distinct unit', () => {
    expect(new Set(RIVALS.map((r) => r.unit)).size).toBe(RIVALS.length);
    // the reason a check gives is what the rival touches: no row may leave it empty
    expect(RIVALS.filter((r) => r.touches.trim() === '' || r.name.trim() === '').map((r) => r.unit)).toEqual([]);
    expect(RIVALS.filter((r) => r.severity === 'fail').map((r) => r.unit)).toEqual(['supergfxd.service', 'system76-power.service', 'optimus-manager.service']);
  });
});

describe('reading the rivals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rivals-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses the blocks of `systemctl show` in the order asked (systemd 252 output)', () => {
    const text = [
      'Id=tlp.service', 'LoadState=loaded', 'ActiveState=active', 'SubState=exited', 'UnitFileState=enabled', 'WantedBy=multi-user.target', 'IgnoreOnIsolate=no', 'FragmentPath=/lib/systemd/system/tlp.service', '',
      'Id=tuned.service', 'LoadState=not-found', 'ActiveState=inactive', 'SubState=dead', 'UnitFileState=', 'IgnoreOnIsolate=no', 'FragmentPath=', '',
    ].join('\n');
    const parsed = parseRivalShow(text, ['tlp.service', 'tuned.service']);
    expect(parsed.ok && parsed.value.map((u) => [u.unit, u.loadState, u.unitFileState, u.pulledInBy, u.fragmentPath])).toEqual([
      ['tlp.service', 'loaded', 'enabled', ['multi-user.target'], '/lib/systemd/system/tlp.service'],
      ['tuned.service', 'not-found', '', [], null],
    ]);
    const short = parseRivalShow('Id=a.service\nLoadState=loaded\nActiveState=active\n', ['a.service', 'b.service']);
    expect(!short.ok && short.message).toBe('systemctl show printed 1 unit blocks for 2 units asked for');
    // a block without the properties every unit has is no unit state, not an 'unknown' default
    const partial = parseRivalShow('Id=a.service\nLoadState=loaded\n', ['a.service']);
    expect(!partial.ok && partial.message).toMatch(/^line 1: the unit block starting here has no ActiveState/);
  });

  it('keeps the setting lines a config names, without comments', () => {
    const tlp = RIVALS.find((r) => r.unit === 'tlp.service')!.configFiles[0]!.keys;
    expect(settingLines('# TLP\n#CPU_SCALING_GOVERNOR_ON_AC=powersave\nCPU_SCALING_GOVERNOR_ON_AC=performance\nUSB_AUTOSUSPEND=1\nRUNTIME_PM_ON_BAT=auto\n', tlp)).toEqual(['CPU_SCALING_GOVERNOR_ON_AC=performance', 'RUNTIME_PM_ON_BAT=auto']);
    const supergfx = RIVALS.find((r) => r.unit === 'supergfxd.service')!.configFiles[0]!.keys;
    expect(settingLines('{\n  "mode": "Integrated",\n  "vfio_enable": false,\n  "hotplug_type": "None"\n}\n', supergfx)).toEqual(['"mode": "Integrated",', '"vfio_enable": false,', '"hotplug_type": "None"']);
  });

  it('reads the config files under a root, the user cgroups, and one systemctl show', async () => {
    mkdirSync(join(dir, 'etc'), { recursive: true });
    writeFileSync(join(dir, 'etc', 'tlp.conf'), 'TLP_ENABLE=1\n');
    const cgroup = join(dir, 'cgroup');
    const app = join(cgroup, 'user.slice', 'user-4242.slice', 'user@4242.service', 'app.slice', 'gamemoded.service');
    mkdirSync(app, { recursive: true });
    writeFileSync(join(cgroup, 'cgroup.controllers'), 'cpu io\n');
    writeFileSync(join(app, 'cgroup.events'), 'populated 1\nfrozen 0\n');
    const calls: string[][] = [];
    const run = (request: CommandRequest): Promise<CommandResult> => {
      calls.push([...request.args]);
      const evidence = { argv: ['systemctl', ...request.args], exitCode: 0, signal: null, timedOut: false, stdout: [], stderr: [], durationMs: 1 };
      if (request.args[0] === '--global') return Promise.resolve({ kind: 'failed', exitCode: 1, signal: null, stdout: 'disabled\n', stderr: '', evidence });
      const stdout = request.args.slice(3).map((u) => `Id=${u}\nLoadState=not-found\nActiveState=inactive\nSubState=dead\n`).join('\n');
      return Promise.resolve({ kind: 'ok', stdout, stderr: '', evidence });
    };
    const ctx = observeContext(config, { run, roots: { cgroup } });
    const obs = await collectRivals(ctx, rivalSpec(), dir);
    expect(calls.map((c) => c.slice(0, 2))).toEqual([['show', expect.stringContaining('--property=Id,LoadState') as string], ['--global', 'is-enabled']]);
    expect(obs.user.status === 'known' && obs.user.value).toEqual([{ unit: 'gamemoded.service', globalState: 'disabled', runningFor: [4242] }]);
    expect(obs.configs).toEqual([{ unit: 'tlp.service', path: '/etc/tlp.conf', lines: ['TLP_ENABLE=1'] }]);
    expect(rivalChecks(obs, configured).map((c) => [c.id, c.status])).toEqual([['rival:gamemoded.service', 'warn']]);
  });

  it('without a cgroup v2 tree the user units are unknown, and is-enabled is not asked', async () => {
    const calls: string[][] = [];
    const run = (request: CommandRequest): Promise<CommandResult> => {
      calls.push([...request.args]);
      const evidence = { argv: ['systemctl', ...request.args], exitCode: 0, signal: null, timedOut: false, stdout: [], stderr: [], durationMs: 1 };
      return Promise.resolve({ kind: 'ok', stdout: request.args.slice(3).map((u) => `Id=${u}\nLoadState=not-found\nActiveState=inactive\n`).join('\n'), stderr: '', evidence });
    };
    const obs = await collectRivals(observeContext(config, { run, roots: { cgroup: join(dir, 'no-cgroup') } }), rivalSpec(), dir);
    expect(obs.user.status === 'unknown' && obs.user.reason).toMatch(/not a cgroup v2 mount/);
    expect(calls.map((c) => c[0])).toEqual(['show']);
    expect(rivalChecks(obs, configured).map((c) => [c.id, c.status])).toEqual([['rival-managers:user', 'unknown']]);
  });
});
