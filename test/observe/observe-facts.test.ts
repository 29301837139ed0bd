// observeFacts end to end against fake tools on PATH (printing real captured
// outputs) and a fake /proc: each fact, and each way a source can fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observeFacts } from '../../effects/observe/observe-facts.ts';
import { Facts, FACT_NAMES } from '../../schemas/facts.ts';
import { jsonSchemaFor } from '../../schemas/json-schema.ts';
import { fakeAudioState, type FakeAudioState } from './fake-audio-state.ts';
import { fakeProc, type FakeProc } from './fake-proc.ts';
import { fakeTools, isRunning, type FakeTools } from './fake-tools.ts';
import { REAL, real } from './fixtures.ts';
import { testConfig } from './test-config.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const validateFacts = new Ajv2020({ strict: false, allErrors: true, logger: false }).compile(jsonSchemaFor('facts'));

describe('observeFacts with fake tools and a fake /proc', () => {
  let tools: FakeTools;
  let proc: FakeProc;
  let store: string;
  let audio: FakeAudioState;
  beforeEach(() => {
    tools = fakeTools();
    proc = fakeProc();
    audio = fakeAudioState();
    store = mkdtempSync(join(tmpdir(), 'dubnium-model-store-'));
  });
  afterEach(() => {
    tools.cleanup();
    proc.cleanup();
    audio.cleanup();
    rmSync(store, { recursive: true, force: true });
  });

  const healthyHost = async () => {
    tools.prints('systemctl', { stdoutFile: `${REAL}e_systemctl_show/sandbox-252-names-alias-masked-runtime-weights.txt` });
    tools.script('loginctl', `case "$1" in list-sessions) /bin/cat '${REAL}g_loginctl/systemd-536-2015-table-no-tty-column.txt';; show-session) /bin/cat '${REAL}g_loginctl/systemd-536-2015-show-session-closing.txt'; echo; /bin/cat '${REAL}g_loginctl/systemd-536-2015-show-session-active-x11.txt';; esac`);
    tools.prints('nvidia-smi', { stdoutFile: `${REAL}d_nvidia_smi_xml/rtx4000-sff-ada-595-v13-cosmic-cplusg.xml` });
    audio.userManager(4242);
    // the publisher must be a live PID of the /proc the collector looks at (roots.pids: the fake one)
    await audio.publish(4242, { stdout: real('i_pactl/sandbox-pipewire-0.3.65-paplay-playing.txt') }, { publisherPid: 77 });
    proc.file('meminfo', real('j_proc_meminfo/rhel7.1-kernel3.10-8gb.txt'));
    proc.file('asound/card0/pcm0p/sub0/status', real('h_alsa_status/rpi3b-running-owner-pid.txt'));
    proc.file('asound/card0/pcm1p/sub0/status', real('h_alsa_status/rpi3b-closed.txt'));
    proc.file('asound/card0/pcm0c/sub0/status', real('h_alsa_status/rpi3b-running-owner-pid.txt'));
    proc.process(1, 'systemd');
    proc.process(4242, 'reaper');
    proc.process(77, 'pipewire');
  };

  const observe = (overrides: Parameters<typeof testConfig>[0] = {}, options: { timeoutMs?: number } = {}) =>
    // the systemctl capture is of the sandbox before studio-local weighted user.slice: it names interactive.slice
    observeFacts(testConfig({ persistencePaths: [store, join(store, 'missing')], alsaRoot: '/proc/asound', interactiveSlice: 'interactive.slice', ...overrides }), {
      env: tools.env,
      roots: { proc: proc.root, cgroup: audio.cgroup, run: audio.run, pids: proc.root },
      now: () => NOW,
      killGraceMs: 200,
      ...options,
    });

  it('reads every source of a healthy host into known facts that match the schema', async () => {
    await healthyHost();
    const facts = await observe();
    expect(Facts.safeParse(facts).success).toBe(true);
    expect(validateFacts(facts), JSON.stringify(validateFacts.errors)).toBe(true);
    for (const name of FACT_NAMES) expect(facts[name].status, name).toBe('known');

    const units = facts.units.status === 'known' ? facts.units.value : [];
    expect(units.find((u) => u.id === 'display-manager.service')).toMatchObject({ activeState: 'active' });
    expect(units.find((u) => u.id === 'interactive.slice')).toMatchObject({ cpuWeight: 1000, ioWeight: 800 });
    expect(facts.units.source).toMatchObject({ kind: 'command', argv: [`${tools.dir}/systemctl`, 'show', '--property=Id,Names,LoadState,ActiveState,SubState,Result,CPUWeight,IOWeight,AllowIsolate', '--', 'desktop.target', 'compute.target', 'display-manager.service', 'vllm.service', 'vllm-ready.service', 'studio-local-policy.service', 'audio-priority.service', 'interactive.slice', 'ai.slice', 'platform.slice', 'sshd.service'] });

    expect(facts.sessions.status === 'known' && facts.sessions.value.map((s) => [s.id, s.type, s.state])).toEqual([
      ['1', 'x11', 'closing'],
      ['3', 'x11', 'active'],
    ]);
    expect(facts.gpus.status === 'known' && facts.gpus.value[0]!.processes.map((p) => p.type)).toEqual(['G', 'G', 'C', 'C+G']);
    expect(facts.alsa.status === 'known' && facts.alsa.value).toEqual([
      { path: join(proc.root, 'asound/card0/pcm0p/sub0/status'), card: 0, device: 0, subdevice: 0, state: 'RUNNING', running: true, ownerPid: 24226 },
      { path: join(proc.root, 'asound/card0/pcm1p/sub0/status'), card: 0, device: 1, subdevice: 0, state: 'closed', running: false, ownerPid: null },
    ]);
    expect(facts.audioStreams.status === 'known' && facts.audioStreams.value).toEqual([{ id: '43', application: 'paplay', pid: 59, uid: 4242, corked: false, running: true }]);
    expect(facts.audioStreams.source).toEqual({ kind: 'file', path: join(audio.run, 'dubnium-audio', '4242', 'state.json') });
    expect(facts.audioProcesses.status === 'known' && facts.audioProcesses.value).toEqual([{ pid: 4242, name: 'reaper' }]);
    expect(facts.memory.status === 'known' && facts.memory.value).toEqual({ memTotalKiB: 8009912, memAvailableKiB: 6820236 });
    const paths = facts.paths.status === 'known' ? facts.paths.value : [];
    expect(paths[0]).toMatchObject({ path: store, exists: true, isDirectory: true });
    expect(paths[0]!.freeBytes).toBeGreaterThan(0);
    expect(paths[1]).toEqual({ path: join(store, 'missing'), exists: false, isDirectory: null, freeBytes: null });
    expect(facts.observedAt).toBe(NOW.toISOString());
  });

  it.each([
    [9, /exited with status 9.*\(the NVIDIA driver is not loaded\)/],
    [12, /\(the NVML shared library could not be found or loaded\)/],
    [15, /\(the GPU has fallen off the bus or has otherwise become inaccessible\)/],
  ])('makes GPUs unknown when nvidia-smi exits %i, saying what the status means', async (code, reason) => {
    await healthyHost();
    tools.prints('nvidia-smi', { stderr: 'NVIDIA-SMI has failed', exitCode: code });
    const facts = await observe();
    expect(facts.gpus).toMatchObject({ status: 'unknown', code: 'tool-failed' });
    expect(facts.gpus.status === 'unknown' && facts.gpus.reason).toMatch(reason);
    expect(facts.units.status).toBe('known');
  });

  it('makes GPUs unknown when nvidia-smi is missing, prints garbage or hangs; never an empty list', async () => {
    await healthyHost();
    tools.prints('nvidia-smi', { stdoutFile: `${REAL}c_nvidia_smi_table/h100-590-idle-no-processes.txt` });
    const garbage = await observe();
    expect(garbage.gpus).toMatchObject({ status: 'unknown', code: 'unparseable' });
    expect(garbage.gpus.status === 'unknown' && garbage.gpus.excerpt?.[0]).toMatch(/^1: /);

    tools.hangs('nvidia-smi', { ignoreTerm: true });
    const hung = await observe({ observeMs: 400 });
    expect(hung.gpus).toMatchObject({ status: 'unknown', code: 'tool-timeout' });
    expect(isRunning(tools.pidOf('nvidia-smi')!)).toBe(false);

    tools.script('nvidia-smi', 'exit 0');
    rmSync(join(tools.dir, 'nvidia-smi'));
    const missing = await observe();
    expect(missing.gpus).toMatchObject({ status: 'unknown', code: 'tool-missing' });
  });

  it('reads the loginctl table when --output=json is not understood, and retries once when a session vanishes', async () => {
    await healthyHost();
    const state = join(tools.dir, 'calls');
    tools.script(
      'loginctl',
      `echo "$*" >> '${state}'
case "$1" in
list-sessions) case "$2" in --output=json) echo "Unknown output 'json'." >&2; exit 1;; esac; /bin/cat '${REAL}g_loginctl/systemd-536-2015-table-no-tty-column.txt';;
show-session) if [ ! -e '${state}.once' ]; then : > '${state}.once'; /bin/cat '${REAL}f_systemd_errors/sandbox-252-ss-missing.stderr.txt' >&2; exit 1; fi; /bin/cat '${REAL}g_loginctl/systemd-536-2015-show-session-closing.txt'; echo; /bin/cat '${REAL}g_loginctl/systemd-536-2015-show-session-active-x11.txt';;
esac`,
    );
    const facts = await observe();
    expect(facts.sessions.status).toBe('known');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(state, 'utf8').trim().split('\n')).toEqual([
      'list-sessions --output=json',
      'list-sessions',
      'show-session -p Id -p Name -p User -p Seat -p Type -p Class -p Active -p State -p Remote -p Service -p Leader -p IdleHint -p IdleSinceHintMonotonic -- 1 3',
      'list-sessions --output=json',
      'list-sessions',
      'show-session -p Id -p Name -p User -p Seat -p Type -p Class -p Active -p State -p Remote -p Service -p Leader -p IdleHint -p IdleSinceHintMonotonic -- 1 3',
    ]);
  });

  it('skips show-session when there are no sessions', async () => {
    await healthyHost();
    tools.script('loginctl', `case "$1" in list-sessions) /bin/cat '${REAL}g_loginctl/sandbox-252-list-sessions-json-none.json';; *) exit 3;; esac`);
    const facts = await observe();
    expect(facts.sessions).toMatchObject({ status: 'known', value: [] });
  });

  it('makes units unknown when systemctl cannot reach systemd, keeping its words', async () => {
    await healthyHost();
    tools.prints('systemctl', { stderr: real('f_systemd_errors/devvm-systemctl-not-booted-with-systemd.stderr.txt').trim(), exitCode: 1 });
    const facts = await observe();
    expect(facts.units).toMatchObject({ status: 'unknown', code: 'tool-failed' });
    expect(facts.units.status === 'unknown' && facts.units.excerpt).toEqual([
      "System has not been booted with systemd as init system (PID 1). Can't operate.",
      'Failed to connect to bus: Host is down',
    ]);
  });

  it('says when the kernel has no MemAvailable, and when ALSA is absent or a status is garbage', async () => {
    await healthyHost();
    proc.file('meminfo', real('j_proc_meminfo/rhel7.1-kernel3.10-8gb.txt').replace(/^MemAvailable:.*\n/m, ''));
    proc.file('asound/card1/pcm3p/sub0/status', 'error -19\n');
    const facts = await observe();
    expect(facts.memory).toMatchObject({ status: 'known', value: { memTotalKiB: 8009912, memAvailableKiB: null } });
    expect(facts.alsa).toMatchObject({ status: 'unknown', code: 'unparseable' });
    expect(facts.alsa.status === 'unknown' && facts.alsa.reason).toMatch(/card1\/pcm3p\/sub0\/status.*line 1/);
    const noAlsa = await observe({ alsaRoot: '/proc/asound-absent' });
    expect(noAlsa.alsa).toMatchObject({ status: 'unknown', code: 'not-applicable' });
  });

  it('returns every fact unknown, not a crash, when the signal is aborted', async () => {
    await healthyHost();
    tools.hangs('nvidia-smi');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const facts = await observeFacts(testConfig({ persistencePaths: [store] }), { env: tools.env, roots: { proc: proc.root }, signal: controller.signal, killGraceMs: 200 });
    expect(facts.gpus).toMatchObject({ status: 'unknown', code: 'not-observed' });
    expect(isRunning(tools.pidOf('nvidia-smi')!)).toBe(false);
  });
});
