// Issue 13 item 4, end to end: studio-local weights the slice where the
// desktop's audio really runs. The session's PipeWire (Debian's, in the real
// user@4242.service) and a studio application started in the session are
// shown, through /proc/PID/cgroup, to live under user.slice — the config's
// interactive slice — whose weights studio-local raises; desktop gives every
// weight back exactly, `[not set]` included. With rtkit (and polkitd, which
// rtkit asks) PipeWire's data thread really runs with realtime scheduling,
// and the controller's own report says so: studio-local's soft
// audio-realtime guard names the thread with the policy and priority measured
// here from outside, and warns, naming it, once the thread is SCHED_OTHER.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import type { AudioRealtime } from '../../schemas/facts.ts';
import type { GuardVerdict, TransitionRecord } from '../../schemas/records.ts';
import { runCli } from '../cli/support/cli.ts';
import { describeResult } from './command.ts';
import { bootControllerSandbox, cliEnvFor, rawSliceWeights, request, type ControllerSandbox } from './e2e.ts';
import { polkitPrerequisites } from './polkit.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { asDesktopUser, DESKTOP_HOME, RTKIT_UNIT } from './user-manager.ts';

const STUDIO_APP = 'studio-app-stand-in.service';
const SCHED_NAMES: Record<number, string> = { 0: 'SCHED_OTHER', 1: 'SCHED_FIFO', 2: 'SCHED_RR', 3: 'SCHED_BATCH', 5: 'SCHED_IDLE', 6: 'SCHED_DEADLINE' };

describeWhen([...sandboxPrerequisites(), ...polkitPrerequisites()], 'end to end: studio-local weights the slice the session, PipeWire and the studio application run in', () => {
  let sandbox: ControllerSandbox;
  beforeAll(async () => {
    // polkitd: rtkit asks it whether the user's PipeWire may have realtime scheduling
    sandbox = await bootControllerSandbox({ polkit: true });
  }, 120_000);
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  async function inside(argv: readonly string[]): Promise<string> {
    const result = await sandbox.exec(argv);
    if (result.exitCode !== 0) throw new Error(describeResult(result));
    return result.stdout;
  }
  /** the unified-hierarchy line of /proc/PID/cgroup, read through the sandbox's /proc */
  const cgroupOf = (pid: number): string => {
    const line = readFileSync(`/proc/${sandbox.systemdPid}/root/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => l.startsWith('0::'));
    return line?.slice(3) ?? '';
  };
  const pidsOf = async (comm: string): Promise<number[]> => (await inside(['pgrep', '-x', comm])).trim().split('\n').map(Number);
  /** each thread's policy and rt priority, read with `cat` inside the sandbox: not through the controller's parser */
  async function threadsOf(pid: number): Promise<{ tid: number; rtPriority: number; policy: string }[]> {
    return (await inside(['sh', '-c', `cat /proc/${pid}/task/*/stat`])).trim().split('\n').map((stat) => {
      // fields after the comm's closing parenthesis; rt_priority is field 40 and policy field 41 (proc(5))
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return { tid: Number(stat.split(' ')[0]), rtPriority: Number(after[37]), policy: SCHED_NAMES[Number(after[38])] ?? after[38]! };
    });
  }
  const realtimeVerdict = (record: TransitionRecord): GuardVerdict | undefined => record.guards?.verdicts.find((v) => v.code === 'audio-realtime');

  it('the session\'s PipeWire and a studio application run inside the config\'s interactive slice, user.slice', async () => {
    expect(sandbox.config.units.slices.interactive).toBe('user.slice');
    // REAPER stand-in: a process named reaper, started by the user's manager as a desktop launcher does
    await inside(asDesktopUser(['ln', '-sf', '/usr/bin/sleep', `${DESKTOP_HOME}/reaper`]));
    await inside(asDesktopUser(['systemd-run', '--user', `--unit=${STUDIO_APP}`, `${DESKTOP_HOME}/reaper`, 'infinity']));
    const [app] = await pidsOf('reaper');
    const pipewire = await pidsOf('pipewire');
    const places = [...pipewire.map((pid) => ['pipewire', cgroupOf(pid)]), ['reaper', cgroupOf(app!)]];
    for (const [what, cgroup] of places) expect(cgroup, `${what} ${cgroup}`).toMatch(/\/user\.slice\/user-4242\.slice\/user@4242\.service\//);
    expect(places.map(([what, cgroup]) => [what, cgroup?.replace(/^.*\/user\.slice\//, 'user.slice/')])).toEqual([
      ...pipewire.map(() => ['pipewire', 'user.slice/user-4242.slice/user@4242.service/session.slice/pipewire.service']),
      ['reaper', `user.slice/user-4242.slice/user@4242.service/app.slice/${STUDIO_APP}`],
    ]);
    // the hardened controller finds that real process by its name in the real process table, and compute waits for it
    const compute = await request(sandbox, 'compute');
    expect(compute.record.outcome).toBe('blocked');
    expect(compute.record.steps).toEqual([]);
    const audio = compute.record.guards?.verdicts.find((v) => v.code === 'audio-active');
    expect(audio?.passed).toBe(false);
    expect(JSON.stringify(audio?.evidence)).toContain(`${app!}`);
    expect(JSON.stringify(audio?.evidence)).toContain('reaper');
  }, 120_000);

  it('studio-local raises exactly user.slice and lowers ai and platform; desktop gives every weight back exactly', async () => {
    const before = await rawSliceWeights(sandbox);
    // user.slice has no weight in any unit file: systemd says [not set], the kernel default 100 applies
    expect(before.interactive).toEqual({ CPUWeight: '[not set]', IOWeight: '[not set]' });
    const studio = await request(sandbox, 'studio-local');
    expect({ outcome: studio.record.outcome, final: studio.record.finalObservation?.mode }).toEqual({ outcome: 'succeeded', final: 'studio-local' });
    const { studio: wanted } = sandbox.config.slices;
    const shown = (w: { cpuWeight: number; ioWeight: number }) => ({ CPUWeight: String(w.cpuWeight), IOWeight: String(w.ioWeight) });
    expect(await rawSliceWeights(sandbox)).toEqual({ interactive: shown(wanted.interactive), ai: shown(wanted.ai), platform: shown(wanted.platform) });
    expect(studio.record.steps.map((s) => s.action)).toContainEqual({ kind: 'set-property', unit: 'user.slice', weights: { cpuWeight: wanted.interactive.cpuWeight, ioWeight: wanted.interactive.ioWeight } });
    // PipeWire and the studio application did not move: they are what the raised weight applies to
    for (const pid of [...(await pidsOf('pipewire')), ...(await pidsOf('reaper'))]) expect(cgroupOf(pid)).toMatch(/\/user\.slice\/user-4242\.slice\//);

    const back = await request(sandbox, 'desktop');
    expect(back.record.outcome).toBe('succeeded');
    expect(await rawSliceWeights(sandbox)).toEqual(before);
  }, 300_000);

  it.runIf(existsSync(RTKIT_UNIT))('with rtkit, PipeWire\'s data thread runs with realtime scheduling', async () => {
    const [pid] = await pidsOf('pipewire');
    const threads = await threadsOf(pid!);
    const realtime = threads.filter((t) => t.policy === 'SCHED_RR' || t.policy === 'SCHED_FIFO');
    expect(realtime.length, JSON.stringify(threads)).toBe(1);
    expect(realtime[0]!.rtPriority).toBeGreaterThan(0);
    expect((await sandbox.journal(400))).toMatch(new RegExp(`rtkit-daemon\\[\\d+\\]: Successfully made thread ${realtime[0]!.tid} of process ${pid!} owned by '4242' RT at priority ${realtime[0]!.rtPriority}\\.`));
  }, 60_000);

  it.runIf(existsSync(RTKIT_UNIT))("the controller's own report names PipeWire's data thread with the realtime priority measured from outside; once it is SCHED_OTHER the soft guard warns naming it", async () => {
    const [pid] = await pidsOf('pipewire');
    const [data] = (await threadsOf(pid!)).filter((t) => t.policy === 'SCHED_RR' || t.policy === 'SCHED_FIFO');
    expect(data, 'rtkit made no thread of pipewire realtime').toBeDefined();
    const named = `pipewire pid ${pid!} user 4242 in pipewire.service`;

    const studio = await request(sandbox, 'studio-local');
    expect(studio.record.outcome).toBe('succeeded');
    // the fully hardened controller unit read /proc itself (ProtectProc=invisible, seen through with CAP_SYS_PTRACE)
    expect(realtimeVerdict(studio.record)).toMatchObject({ severity: 'soft', passed: true, message: `${named} runs pipewire (tid ${data!.tid}) ${data!.policy} priority ${data!.rtPriority}` });
    expect(studio.record.guards?.verdict).toBe('pass');
    // `mode current` shows the controller's recorded observation: the same thread, policy and priority
    const current = await runCli(['current', '--json'], { env: cliEnvFor(sandbox) });
    expect(current.code, current.stderr).toBe(EXIT.ok);
    const facts = (JSON.parse(current.stdout) as { facts: { audioRealtime: { status: string; value: AudioRealtime } } }).facts;
    expect(facts.audioRealtime.status).toBe('known');
    const server = facts.audioRealtime.value.servers.find((s) => s.pid === pid);
    expect(server).toMatchObject({ uid: 4242, unit: 'user@4242.service', userUnit: 'pipewire.service' });
    expect(server!.threads.filter((t) => t.policy !== 'SCHED_OTHER')).toEqual([{ tid: data!.tid, name: 'pipewire', policy: data!.policy, rtPriority: data!.rtPriority }]);
    const text = await runCli(['current'], { env: cliEnvFor(sandbox) });
    expect(text.stdout).toMatch(new RegExp(`audioRealtime\\s+known\\s+pipewire ${pid!}: pipewire ${data!.policy} ${data!.rtPriority}`));
    expect((await request(sandbox, 'desktop')).record.outcome).toBe('succeeded');

    // what a PipeWire without rtkit's grant runs as: the data thread SCHED_OTHER (chrt as root inside)
    await inside(['chrt', '--other', '--pid', '0', String(data!.tid)]);
    try {
      expect((await threadsOf(pid!)).find((t) => t.tid === data!.tid)).toMatchObject({ policy: 'SCHED_OTHER', rtPriority: 0 });
      const [rtkit] = await pidsOf('rtkit-daemon');
      const warned = await request(sandbox, 'studio-local');
      // soft: the overlay still goes ahead, and says what is wrong
      expect(warned.record.outcome).toBe('succeeded');
      expect(warned.record.guards?.verdict).toBe('soft-only');
      const verdict = realtimeVerdict(warned.record);
      expect(verdict).toMatchObject({ severity: 'soft', passed: false, missingFact: null });
      expect(verdict!.message).toContain(`no thread of ${named} runs SCHED_FIFO or SCHED_RR (`);
      expect(verdict!.message).toContain(`pipewire (tid ${data!.tid}) SCHED_OTHER`);
      expect(verdict!.message).toContain(`rtkit-daemon runs (pid ${rtkit!}) but did not grant it`);
    } finally {
      await inside(['chrt', `--${data!.policy === 'SCHED_FIFO' ? 'fifo' : 'rr'}`, '--pid', String(data!.rtPriority), String(data!.tid)]);
    }
    expect((await request(sandbox, 'desktop')).record.outcome).toBe('succeeded');
  }, 300_000);
});
