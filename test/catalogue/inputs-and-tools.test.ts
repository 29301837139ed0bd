// Catalogue rows about bad input (config, names, modes) and misbehaving tools
// (hanging, failing, garbage-printing, localized), level U of the catalogue:
// the real CLI as a process with fake tools first on PATH, the real config
// loader, the real observers and actuators, the chart on the simulated host.
import { chmodSync, chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../cli/config/load.ts';
import { CliError } from '../../cli/errors.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { actionCommand } from '../../effects/actuate/action-argv.ts';
import { performAction } from '../../effects/actuate/perform-action.ts';
import { actionProblem } from '../../effects/actuate/validate-action.ts';
import { FORCED_TOOL_ENV } from '../../effects/exec/tool-env.ts';
import { collectGpus } from '../../effects/observe/collect-gpus.ts';
import { SHOW_PROPERTIES } from '../../effects/observe/collect-units.ts';
import { observeContext } from '../../effects/observe/observe-facts.ts';
import { parseNvidiaSmiXml } from '../../effects/observe/parsers/nvidia-smi-xml.ts';
import type { MutatingAction } from '../../machines/host.ts';
import { runController } from '../../machines/run-controller.ts';
import { decide } from '../../predicates/decide.ts';
import { Config } from '../../schemas/config.ts';
import type { Session } from '../../schemas/facts.ts';
import { ModeName, UnitName } from '../../schemas/names.ts';
import { AuditEvent } from '../../schemas/records.ts';
import { SimulatedHost } from '../../simulation/host.ts';
import { DEFAULT_USER_SESSION } from '../../simulation/world.ts';
import { runCli } from '../cli/support/cli.ts';
import { workstationConfig as config, withConfig } from '../engine/support/config.ts';
import { fakeTools, type FakeTools } from '../observe/fake-tools.ts';
import { makeDirs, type TestDirs } from '../records/support/temp-dirs.ts';

const REAL = join(import.meta.dirname, '..', 'fixtures', 'real-outputs');
const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'workstation.config.json'), 'utf8');
const isRoot = process.getuid?.() === 0;

let dirs: TestDirs;
let tools: FakeTools;
beforeEach(() => {
  dirs = makeDirs('dubnium-catalogue-');
  tools = fakeTools();
  // every tool the controller could touch only notes that it was called
  for (const tool of ['systemctl', 'loginctl', 'nvidia-smi', 'pactl']) tools.script(tool, `echo "$0 $*" >> '${join(tools.dir, 'calls.log')}'\nexit 1`);
});
afterEach(() => {
  dirs.cleanup();
  tools.cleanup();
});

const toolCalls = (): string[] => {
  try {
    return readFileSync(join(tools.dir, 'calls.log'), 'utf8').split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
};

function writeConfig(text: string): string {
  const path = join(dirs.root, 'config.json');
  writeFileSync(path, text, { mode: 0o644 });
  return path;
}

/** `mode run <mode>` as the unit runs it, with the fake tools alone on PATH. */
const modeRun = (mode: string, configPath: string) =>
  runCli(['run', mode], { env: { PATH: `${tools.dir}:/usr/bin:/bin`, DUBNIUM_CONFIG: configPath, RUNTIME_DIRECTORY: dirs.runtimeDir, STATE_DIRECTORY: dirs.stateDir }, timeoutMs: 60_000 });

function auditEvents(): AuditEvent[] {
  try {
    return readFileSync(join(dirs.stateDir, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => AuditEvent.parse(JSON.parse(l)));
  } catch {
    return [];
  }
}

async function configProblem(text: string): Promise<CliError> {
  const error = await loadConfig(writeConfig(text)).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof CliError)) throw new Error(`expected the config to be refused, got ${String(error)}`);
  expect(error.exit).toBe(EXIT.config);
  return error;
}

const withKey = (mutate: (c: Record<string, unknown>) => void): string => {
  const c = JSON.parse(EXAMPLE) as Record<string, unknown>;
  mutate(c);
  return JSON.stringify(c, null, 2);
};

describe('row 1: malformed config JSON', () => {
  it.each([
    ['truncated', EXAMPLE.slice(0, EXAMPLE.length / 2)],
    ['with a byte order mark', `\uFEFF${EXAMPLE}`],
    ['with a trailing comma', EXAMPLE.replace(/\n}\s*$/, ',\n}\n')],
  ])('%s: mode run touches no unit, exits 78 and audits `rejected` naming the parse error', async (_name, text) => {
    const result = await modeRun('compute', writeConfig(text));
    expect(result.code, result.stderr).toBe(EXIT.config);
    expect(result.stderr).toMatch(/config\.json: (line \d+, column \d+: |)(not valid JSON|the file starts with a byte order mark)/);
    expect(toolCalls()).toEqual([]);
    const rejected = auditEvents().filter((e) => e.event === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ outcome: 'rejected', target: 'compute' });
    expect(rejected[0]?.reason).toContain('config refused');
  });
});

describe('row 2: schema-invalid config', () => {
  it.each([
    ['an unknown key', withKey((c) => (c.surprise = true)), /at surprise: Unrecognized key|surprise/],
    ['a wrong type', withKey((c) => ((c.thresholds as Record<string, unknown>).pollIntervalMs = '500')), /thresholds\.pollIntervalMs/],
    ['a __proto__ key', EXAMPLE.replace('"hostname"', '"__proto__": {"polluted": true}, "hostname"'), /__proto__/],
    ['a constructor key', EXAMPLE.replace('"hostname"', '"constructor": {"prototype": {"polluted": true}}, "hostname"'), /constructor/],
    ['a duplicate key (JSON.parse keeps the last one silently)', EXAMPLE.replace('"hostname": "dubnium-workstation"', '"hostname": "a", "hostname": "b"'), /duplicate|hostname/i],
    ['more than 1 MiB', withKey((c) => (c.padding = 'x'.repeat(1024 * 1024))), /bytes; a config may have at most 1048576/],
    ['deep nesting', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, /does not match the config schema|not valid JSON/],
  ])('%s is refused with the path and what to do', async (_name, text, says) => {
    const error = await configProblem(text);
    expect(`${error.message}\n${error.hints.join('\n')}`).toMatch(says);
    // nothing leaked onto Object.prototype on the way
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the example config itself loads (the refusals above are about the changes, not the file)', async () => {
    const { config: loaded } = await loadConfig(writeConfig(EXAMPLE));
    expect(loaded.hostname).toBe('dubnium-workstation');
  });
});

describe.skipIf(!isRoot)('row 3: a config not owned by root, or writable by group or others', () => {
  it.each([
    ['owned by uid 65534', (p: string) => chownSync(p, 65534, 65534), /owned by uid 65534, not root/],
    ['group-writable', (p: string) => chmodSync(p, 0o664), /writable by group or others/],
    ['world-writable', (p: string) => chmodSync(p, 0o646), /writable by group or others/],
  ])('%s: refused (it directs root), with the chown/chmod that fixes it', async (_name, spoil, says) => {
    const path = writeConfig(EXAMPLE);
    spoil(path);
    const error = await loadConfig(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toMatch(says);
    expect((error as CliError).hints.join('\n')).toContain(`chown root:root ${path} && chmod 644 ${path}`);
  });
});

describe('row 4: an unknown mode (mode-controller@gamer)', () => {
  it('root running the unit: exit 2, no action, audit `rejected` naming the instance', async () => {
    const result = await modeRun('gamer', writeConfig(EXAMPLE));
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('unknown mode "gamer"');
    expect(result.stderr).toContain('desktop, studio-local, compute');
    expect(toolCalls()).toEqual([]);
    const rejected = auditEvents().filter((e) => e.event === 'rejected');
    expect(rejected).toEqual([expect.objectContaining({ target: null, outcome: 'rejected', detail: { requested: 'gamer' } })]);
  });

  it('a person: `mode request gamer` is refused before anything is recorded', async () => {
    const result = await runCli(['request', 'gamer'], { env: { PATH: tools.dir, DUBNIUM_CONFIG: writeConfig(EXAMPLE), RUNTIME_DIRECTORY: dirs.runtimeDir, STATE_DIRECTORY: dirs.stateDir } });
    expect(result.code).toBe(EXIT.usage);
    expect(toolCalls()).toEqual([]);
    expect(auditEvents()).toEqual([]);
    // polkit denies group members the unit itself: test/nix/polkit.test.ts (the rule's regex allows only the three modes)
  });
});

const HOSTILE_NAMES = ['compute;reboot', '$(id)', '`id`', '-compute', '--force', '\\x2d', 'compute\\x3breboot', '../compute', 'compute/../../etc', 'compute ', ' compute', 'c'.repeat(257), '', 'COMPUTE', 'compute\n'];

describe('row 5: instance or unit names with metacharacters or escapes', () => {
  it('no hostile instance name is a mode', () => {
    for (const name of HOSTILE_NAMES) expect(ModeName.safeParse(name).success, JSON.stringify(name)).toBe(false);
  });

  it('no hostile unit name passes the allowlist, in config or right before argv', () => {
    for (const stem of [...HOSTILE_NAMES.filter((n) => n !== 'COMPUTE'), 'vllm*', 'vllm?', 'vllm[12]', 'a b', 'x\\y']) {
      for (const name of [stem, `${stem}.service`]) {
        expect(UnitName.safeParse(name).success, JSON.stringify(name)).toBe(false);
        expect(actionProblem({ kind: 'start', unit: name }), JSON.stringify(name)).toMatch(/^refused to run/);
      }
    }
  });

  it('argv is an array with `--` before every unit name or session id (no shell ever parses it)', () => {
    const actions: MutatingAction[] = [
      { kind: 'start', unit: 'vllm.service' },
      { kind: 'stop', unit: 'vllm.service' },
      { kind: 'isolate', unit: 'compute.target' },
      { kind: 'set-property', unit: 'ai.slice', weights: { cpuWeight: 20, ioWeight: null } },
      { kind: 'terminate-session', sessionId: '4', user: 'alice', seat: 'seat0' },
    ];
    for (const action of actions) {
      const { args } = actionCommand(action);
      const target = 'unit' in action ? action.unit : action.sessionId;
      expect(args.indexOf('--'), JSON.stringify(args)).toBe(args.indexOf(target) - 1);
    }
  });

  fcTest.prop([fc.string({ maxLength: 300 })])('any string is either a plain unit name or refused; a refused one never reaches a tool', (name) => {
    const plain = /^[A-Za-z0-9][A-Za-z0-9:_.@-]*\.(service|target|slice|socket|mount|scope|timer|path)$/.test(name) && name.length <= 249;
    expect(UnitName.safeParse(name).success).toBe(plain);
    expect(actionProblem({ kind: 'stop', unit: name }) === null).toBe(plain);
  });
});

describe('row 6: config unit names with globs or a wrong suffix', () => {
  it.each([
    ['units.vllm', (c: Record<string, Record<string, unknown>>) => (c.units!.vllm = 'vllm*.service')],
    ['units.vllm', (c: Record<string, Record<string, unknown>>) => (c.units!.vllm = 'vllm?.service')],
    ['units.studioOverlay.0', (c: Record<string, Record<string, unknown>>) => (c.units!.studioOverlay = ['studio[0-9].service'])],
    ['units.displayManager', (c: Record<string, Record<string, unknown>>) => (c.units!.displayManager = 'display-manager')],
    ['units.computeTarget', (c: Record<string, Record<string, unknown>>) => (c.units!.computeTarget = 'compute.service')],
    ['units.slices.ai', (c: Record<string, Record<string, unknown>>) => (c.units!.slices = { interactive: 'interactive.slice', ai: 'ai.service', platform: 'platform.slice' })],
  ])('%s is refused at load (systemctl stop would expand a glob over every loaded unit)', async (path, spoil) => {
    const error = await configProblem(withKey((c) => spoil(c as Record<string, Record<string, unknown>>)));
    expect(error.hints.join('\n')).toContain(`at ${path}:`);
  });
});

describe('row 8: systemctl hangs (PID 1 busy, a stuck job, a D-Bus stall)', () => {
  it('the actuator gives up at its deadline: SIGTERM, then SIGKILL for a tool that ignores it; no process left', async () => {
    tools.hangs('systemctl', { ignoreTerm: true });
    const short = withConfig((c) => {
      c.thresholds.stepTimeoutsMs.start = 400;
    });
    const result = await performAction({ kind: 'start', unit: 'vllm.service' }, { config: short, env: { PATH: tools.dir }, killGraceMs: 200 });
    expect(result.ok).toBe(false);
    expect(result.commands[0]).toMatchObject({ timedOut: true, exitCode: null });
    expect(result.message).toMatch(/did not finish within 400 ms and was killed/);
    const pid = tools.pidOf('systemctl');
    expect(pid).not.toBeNull();
    expect(() => process.kill(pid!, 0)).toThrow();
  });

  it('the job the timed-out start queued is cancelled (`systemctl cancel`), found through list-jobs (real systemd 252 format)', async () => {
    const listing = join(import.meta.dirname, 'fixtures', 'real', 'sandbox-252-list-jobs-no-legend-full.txt');
    // start hangs; list-jobs shows the queued jobs as systemd 252 printed them; cancel is recorded
    tools.script('systemctl', `echo "$*" >> '${join(tools.dir, 'calls.log')}'
case "$1" in start) exec /bin/sleep 1000;; list-jobs) /bin/cat '${listing}';; cancel) exit 0;; esac`);
    const short = withConfig((c) => {
      c.thresholds.stepTimeoutsMs.start = 400;
    });
    const result = await performAction({ kind: 'start', unit: 'slow2.service' }, { config: short, env: { PATH: tools.dir }, killGraceMs: 200 });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('its queued job 47 was cancelled');
    expect(toolCalls()).toEqual(['start -- slow2.service', 'list-jobs --no-legend --full -- slow2.service', 'cancel -- 47']);
    expect(result.commands.map((c) => c.argv.slice(1, 2)[0])).toEqual(['start', 'list-jobs', 'cancel']);
  });

  it('the chart: a hung start is bounded by the step budget, recorded as step-timeout and rolled back to a proven desktop', async () => {
    const h = new SimulatedHost({ config, faults: { hangStart: ['vllm.service'] } });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('rolled-back');
    expect(record.firstFailedPredicate?.code).toBe('step-timeout');
    expect(record.finalObservation?.mode).toBe('desktop');
  });
});

describe('row 12: PID 1 re-executes mid-transition (the connection is reset)', () => {
  const reset = join(import.meta.dirname, 'fixtures', 'real', 'sandbox-252-start-during-daemon-reexec.stderr.txt');

  it('the idempotent call is retried once after a pause, and both attempts are kept as evidence', async () => {
    // the first call fails the way systemctl 252 did during `daemon-reexec`; the second succeeds
    tools.script('systemctl', `if [ -e '${join(tools.dir, 'once')}' ]; then exit 0; fi
: > '${join(tools.dir, 'once')}'
/bin/cat '${reset}' >&2
exit 1`);
    const result = await performAction({ kind: 'start', unit: 'vllm.service' }, { config, env: { PATH: tools.dir } });
    expect(result.ok).toBe(true);
    expect(result.message).toContain('retried once');
    expect(result.commands).toHaveLength(2);
    expect(result.commands[0]!.stderr.join('\n')).toContain('Connection reset by peer');
  });

  it('only once: a second reset is a failed step (which the chart rolls back), not a loop', async () => {
    tools.script('systemctl', `/bin/cat '${reset}' >&2
exit 1`);
    const result = await performAction({ kind: 'stop', unit: 'vllm.service' }, { config, env: { PATH: tools.dir } });
    expect(result.ok).toBe(false);
    expect(result.commands).toHaveLength(2);
  });
});

const unknownGpus = async (script: string | null) => {
  if (script !== null) tools.script('nvidia-smi', script);
  else tools.script('nvidia-smi-gone', 'exit 0');
  const env = { PATH: script === null ? join(tools.dir, 'nowhere') : tools.dir };
  return collectGpus(observeContext(config, { env, timeoutMs: 1500, killGraceMs: 200 }));
};

describe('row 13: nvidia-smi missing, driver not loaded, NVML missing, GPU off the bus, hanging', () => {
  it.each([
    ['missing (ENOENT)', null, /not found|missing/i],
    ['driver not loaded (exit 9, the real message)', `printf '%s\\n\\n' "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."\nexit 9`, /driver is not loaded/],
    ['NVML missing (exit 12)', 'exit 12', /NVML shared library/],
    ['GPU fell off the bus (exit 15)', 'exit 15', /fallen off the bus/],
    ['hanging', 'exec /bin/sleep 1000', /timed out|did not finish/i],
  ])('%s: the GPU fact is unknown, never an empty list', async (_name, script, says) => {
    const gpus = await unknownGpus(script);
    expect(gpus.status).toBe('unknown');
    if (gpus.status === 'unknown') expect(`${gpus.code} ${gpus.reason}`).toMatch(says);
  });

  it('with GPUs unknown, compute is blocked by its guard before anything is stopped; desktop never needs nvidia-smi', async () => {
    const h = new SimulatedHost({ config, faults: { unknownFacts: [{ fact: 'gpus' }] } });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('blocked');
    expect(record.guards?.verdicts.find((v) => v.code === 'gpus-not-visible')).toMatchObject({ passed: false, missingFact: 'gpus' });
    expect(h.performed).toEqual([]);
    const back = new SimulatedHost({ config, mode: 'compute', faults: { unknownFacts: [{ fact: 'gpus' }] } });
    const home = await runController(back, 'desktop');
    expect({ outcome: home.outcome, observed: home.finalObservation?.mode }).toEqual({ outcome: 'succeeded', observed: 'desktop' });
    // the same in the sandbox, with the fake nvidia-smi failing as the driver would: test/catalogue/sandbox.test.ts
  });
});

const REAL_XML = ['rtx4000-sff-ada-595-v13-cosmic-cplusg.xml', 'tesla-t4-515-v11-xorg-and-python.xml', 'dual-rtx-a5000-590-v13-same-pid-both-gpus.xml'].map((f) => readFileSync(join(REAL, 'd_nvidia_smi_xml', f), 'utf8'));

describe('row 14: nvidia-smi garbage', () => {
  const numbersAreFinite = (value: unknown): boolean => {
    if (typeof value === 'number') return Number.isFinite(value);
    if (Array.isArray(value)) return value.every(numbersAreFinite);
    if (value !== null && typeof value === 'object') return Object.values(value).every(numbersAreFinite);
    return true;
  };

  fcTest.prop([fc.constantFrom(...REAL_XML), fc.array(fc.tuple(fc.nat(), fc.constantFrom('[N/A]', '[Not Supported]', '', 'N/A', 'NaN', '-1 MiB', '1e400 MiB', 'WARNING: infoROM is corrupted at gpu 0000:01:00.0\n', '<', '</gpu>')), { maxLength: 6 })], { numRuns: 150 })(
    'real captures with values replaced by [N/A], [Not Supported], empty, warnings or broken tags: never a throw, never NaN',
    (xml, edits) => {
      let text = xml;
      for (const [at, insert] of edits) {
        const values = [...text.matchAll(/>([^<>\n]+)</g)];
        const target = values[at % Math.max(1, values.length)];
        if (target?.index !== undefined) text = text.slice(0, target.index + 1) + insert + text.slice(target.index + 1 + target[1]!.length);
      }
      const parsed = parseNvidiaSmiXml(text);
      if (parsed.ok) expect(numbersAreFinite(parsed.value)).toBe(true);
    },
  );

  fcTest.prop([fc.string({ maxLength: 2000 })], { numRuns: 300 })('any text at all: a typed result, never a throw', (text) => {
    const parsed = parseNvidiaSmiXml(text);
    expect(typeof parsed.ok).toBe('boolean');
    if (parsed.ok) expect(numbersAreFinite(parsed.value)).toBe(true);
  });

  it('empty output and warning lines before the XML are unknown, not zero GPUs', async () => {
    for (const script of ['exit 0', `echo 'WARNING: infoROM is corrupted at gpu 0000:01:00.0'\nexit 0`]) {
      const gpus = await unknownGpus(script);
      expect(gpus.status, script).toBe('unknown');
    }
  });
});

describe('row 24 (the CLI): `mode status` on corrupt records never crashes', () => {
  it('corrupt desired.json, last-transition.json, intent.json and audit log: a status, not a stack trace', async () => {
    writeFileSync(join(dirs.runtimeDir, 'desired.json'), '{"schemaVersion":7');
    writeFileSync(join(dirs.runtimeDir, 'last-transition.json'), '\u0000\u0000');
    writeFileSync(join(dirs.stateDir, 'intent.json'), 'null');
    writeFileSync(join(dirs.stateDir, 'events.jsonl'), 'garbage\n{"v":1,"se');
    const result = await runCli(['status'], { env: { PATH: tools.dir, DUBNIUM_CONFIG: writeConfig(EXAMPLE), RUNTIME_DIRECTORY: dirs.runtimeDir, STATE_DIRECTORY: dirs.stateDir }, timeoutMs: 60_000 });
    expect(result.code, result.stderr).not.toBe(EXIT.internal);
    expect(result.code).not.toBeNull();
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+|TypeError|SyntaxError/);
    expect(result.stdout.length).toBeGreaterThan(0);
  });
});

describe('row 26: sessions of the requester (SSH), other users, the greeter, closing ones', () => {
  const session = (over: Partial<Session>): Session => ({ ...DEFAULT_USER_SESSION, ...over });
  const sessions = [
    session({ id: '2', user: 'alice' }),
    session({ id: '3', user: 'bob', type: 'x11', active: false, state: 'online' }),
    session({ id: '7', user: 'alice', type: 'tty', seat: null, class: 'user', remote: true, service: 'sshd' }),
    session({ id: '8', user: 'carol', type: 'tty', seat: null, class: 'user', remote: true, service: 'sshd' }),
    session({ id: 'c1', user: 'gdm', class: 'greeter', service: 'gdm-launch-environment' }),
    session({ id: '9', user: 'dave', state: 'closing' }),
  ];

  it('compute terminates only the seat0 graphical sessions; SSH sessions (the requester\'s too) and closing ones are left alone', async () => {
    const h = new SimulatedHost({ config, sessions });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('succeeded');
    expect(h.performed.filter((a) => a.kind === 'terminate-session').map((a) => (a.kind === 'terminate-session' ? a.sessionId : ''))).toEqual(['2', '3', 'c1']);
    // the SSH sessions survive; the closing one was not ours to end (it went with the display manager)
    expect(h.world.sessions.map((s) => s.id).sort()).toEqual(['7', '8']);
  });

  it('a remote graphical session is not ours to end: compute is blocked and nothing is terminated', async () => {
    const remote = session({ id: '11', user: 'erin', seat: null, remote: true, service: 'xrdp' });
    const h = new SimulatedHost({ config, sessions: [sessions[0]!, remote] });
    const record = await runController(h, 'compute');
    expect(record.outcome).toBe('blocked');
    expect(record.firstFailedPredicate?.code).toBe('session-not-terminable');
    expect(h.performed).toEqual([]);
  });

  it('"No session known" from loginctl counts as success (the session ended on its own)', async () => {
    tools.prints('loginctl', { stderr: "Failed to terminate session: No session '3' known", exitCode: 1 });
    const result = await performAction({ kind: 'terminate-session', sessionId: '3', user: 'bob', seat: 'seat0' }, { config, env: { PATH: tools.dir } });
    expect(result).toMatchObject({ ok: true });
    expect(result.message).toContain('already gone');
  });

  it('the guard report names the sessions that will be lost', async () => {
    const facts = await new SimulatedHost({ config, sessions }).observe();
    const { from, guards } = decide('compute', facts, config);
    expect(from.mode).toBe('desktop');
    const loss = guards.verdicts.find((v) => v.code === 'graphical-session-loss');
    expect(loss?.message).toContain('alice');
    expect(loss?.message).not.toContain('carol');
  });
});

describe('row 28: locale, colour and pager environment', () => {
  it('every tool runs with LC_ALL=C, SYSTEMD_COLORS=0, no pager and NO_COLOR, whatever the caller\'s environment says', async () => {
    tools.echoes('systemctl');
    const result = await performAction(
      { kind: 'start', unit: 'vllm.service' },
      { config, env: { PATH: tools.dir, LANG: 'de_DE.UTF-8', LC_ALL: 'fr_FR.UTF-8', SYSTEMD_COLORS: '1', SYSTEMD_PAGER: 'less', NO_COLOR: '' } },
    );
    expect(result.ok).toBe(true);
    const printed = result.commands[0]!.stdout;
    for (const [key, value] of Object.entries(FORCED_TOOL_ENV)) expect(printed).toContain(`${key}=${value}`);
    expect(printed).not.toContain('LC_ALL=fr_FR.UTF-8');
  });

  it('observation reads `systemctl show -p` key=value output, never a human table; the unit sets the same environment', () => {
    expect(SHOW_PROPERTIES.split(',')).toEqual(expect.arrayContaining(['Id', 'LoadState', 'ActiveState', 'SubState', 'Result']));
    const unit = readFileSync(join(import.meta.dirname, '..', '..', 'units', 'mode-controller@.service'), 'utf8');
    expect(unit).toMatch(/^Environment=LC_ALL=C SYSTEMD_COLORS=0 SYSTEMD_PAGER= NO_COLOR=1$/m);
  });
});

describe('schema sanity for the rows above', () => {
  it('the example config is valid, so each refusal above comes from the one change made', () => {
    expect(Config.safeParse(JSON.parse(EXAMPLE)).success).toBe(true);
  });
});
