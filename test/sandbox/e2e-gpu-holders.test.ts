// The controller names the GPU holders itself, end to end, from inside its
// fully hardened unit: the holders it finds in /proc/PID/fd are the
// processes that really hold the stand-in GPU's node (the X server, the
// compositor user unit, vLLM's EngineCore); without its two capabilities it
// fails closed naming them; a vLLM EngineCore that survives its API server
// (vllm-project/vllm#55510) blocks the next compute and is named when the
// desktop comes back; and a second session of the desktop user, which keeps
// user@4242.service and so the compositor alive, never lets compute succeed
// with the compositor on the GPU, and is never touched.
import { expect, it } from 'vitest';
import { Facts, type GpuHolder } from '../../schemas/facts.ts';
import { describeResult } from './command.ts';
import { COMPOSITOR_UNIT, userSystemctlArgv } from './desktop-session.ts';
import { activeStates, request, withControllerSandbox, type ControllerSandbox } from './e2e.ts';
import { DESKTOP_USER } from './layout.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';

const RUNTIME_DIR = '/run/mode-controller';

/** The GPU holders of the controller's last observation (last-observation.json), as it read them inside its unit. */
function observedHolders(sandbox: ControllerSandbox): GpuHolder[] {
  const text = sandbox.readInside(`${RUNTIME_DIR}/last-observation.json`);
  if (text === null) throw new Error('the controller wrote no last-observation.json');
  const facts = Facts.parse((JSON.parse(text) as { facts: unknown }).facts);
  if (facts.gpuHolders.status !== 'known') throw new Error(`the controller could not read the GPU holders: ${facts.gpuHolders.reason}`);
  return facts.gpuHolders.value;
}

const mainPid = async (sandbox: ControllerSandbox, unit: string) => Number((await sandbox.show([unit], ['MainPID'])).get(unit)?.MainPID);
const childOf = async (sandbox: ControllerSandbox, pid: number) => Number((await sandbox.exec(['ps', '-o', 'pid=', '--ppid', String(pid)])).stdout.trim());
const compositorPid = async (sandbox: ControllerSandbox) => Number((await sandbox.exec(userSystemctlArgv(['show', '--property=MainPID', '--value', COMPOSITOR_UNIT]))).stdout.trim());
const alive = async (sandbox: ControllerSandbox, pid: number) => (await sandbox.exec(['test', '-d', `/proc/${pid}`])).exitCode === 0;

describeWhen(sandboxPrerequisites(), 'end to end: the GPU holders the controller finds itself', () => {
  it('lists the X server and the compositor on the desktop, only the EngineCore in compute, each with its unit', async () => {
    await withControllerSandbox({}, async (sandbox) => {
      const xvfb = await mainPid(sandbox, 'display-manager.service');
      await sandbox.waitUntil('the compositor runs', async () => (await compositorPid(sandbox)) > 0);
      const compositor = await compositorPid(sandbox);
      const onDesktop = await request(sandbox, 'desktop');
      expect(onDesktop.record.outcome).toBe('noop');
      expect(observedHolders(sandbox).map((h) => ({ pid: h.pid, command: h.command, unit: h.unit, userUnit: h.userUnit }))).toEqual([
        { pid: xvfb, command: 'Xvfb', unit: 'display-manager.service', userUnit: null },
        { pid: compositor, command: 'compositor-stan', unit: `user@${DESKTOP_USER.uid}.service`, userUnit: COMPOSITOR_UNIT },
      ]);

      const { record } = await request(sandbox, 'compute');
      expect({ outcome: record.outcome, failed: record.firstFailedPredicate }).toEqual({ outcome: 'succeeded', failed: null });
      const engine = await childOf(sandbox, await mainPid(sandbox, 'vllm.service'));
      const holders = observedHolders(sandbox);
      expect(holders.map((h) => ({ pid: h.pid, command: h.command, unit: h.unit, devices: h.devices }))).toEqual([
        { pid: await mainPid(sandbox, 'vllm.service'), command: 'node', unit: 'vllm.service', devices: ['/dev/nvidiactl'] },
        { pid: engine, command: 'VLLM::EngineCor', unit: 'vllm.service', devices: ['/dev/nvidia-uvm', '/dev/nvidia0', '/dev/nvidiactl'] },
      ]);
      // the verification cites them
      expect(JSON.stringify(record.guards)).toContain('no process of a stopped vllm.service holds a GPU');
    });
  }, 300_000);

  it('without CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH the holders are unknown: desktop is not proven and compute is blocked, naming both', async () => {
    const dropIns = [{ unit: 'mode-controller@.service', sections: { Service: ['CapabilityBoundingSet='] } }];
    // no boot run: its desktop would end degraded for the same reason, and a failed unit fails the boot check
    await withControllerSandbox({ dropIns, bootProgram: null }, async (sandbox) => {
      const desktop = await request(sandbox, 'desktop');
      // vLLM counts as stopped only when no process of it holds a GPU, which cannot be known here
      expect(desktop.record.outcome).toBe('degraded');
      expect(desktop.record.firstFailedPredicate?.message).toContain('hidepid=invisible and this process lacks CAP_SYS_PTRACE');
      const { record } = await request(sandbox, 'compute');
      expect(record.outcome).toBe('blocked');
      const verdict = record.guards?.verdicts.find((v) => v.code === 'vllm-holder-left');
      expect(verdict).toMatchObject({ passed: false, severity: 'hard' });
      // ProtectProc=invisible hides the desktop user's processes from a process without CAP_SYS_PTRACE: said, not guessed around
      expect(verdict?.message).toContain('hidepid=invisible');
      expect(verdict?.message).toContain('CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE');
      expect(await activeStates(sandbox, ['display-manager.service'])).toEqual({ 'display-manager.service': 'active' });
    });
  }, 300_000);

  it('vllm#55510: an EngineCore that outlives its SIGKILLed API server blocks the next compute and is named when the desktop comes back', async () => {
    const options = {
      vllm: { engineSurvivesParent: true },
      // systemd SIGKILLs the survivor TimeoutStopSec after the stop began (the packaged 60 s, shorter here)
      dropIns: [{ unit: 'vllm.service', sections: { Service: ['TimeoutStopSec=20s'] } }],
    };
    await withControllerSandbox(options, async (sandbox) => {
      expect((await request(sandbox, 'compute')).record.outcome).toBe('succeeded');
      const engine = await childOf(sandbox, await mainPid(sandbox, 'vllm.service'));
      const kill = await sandbox.systemctl(['kill', '--kill-whom=main', '--signal=SIGKILL', 'vllm.service']);
      expect(kill.exitCode, describeResult(kill)).toBe(0);
      await sandbox.waitUntil('the port is free', async () => (await sandbox.exec(['curl', '--silent', `http://127.0.0.1:${sandbox.config.vllm.port}/health`])).exitCode === 7);
      expect(await alive(sandbox, engine)).toBe(true);

      const again = await request(sandbox, 'compute');
      expect(again.record.outcome).toBe('blocked');
      const blocking = again.record.guards?.verdicts.find((v) => v.code === 'vllm-holder-left');
      expect(blocking).toMatchObject({ passed: false, severity: 'hard' });
      expect(blocking?.message).toContain(`pid ${engine} (VLLM::EngineCor) in vllm.service holds /dev/nvidia-uvm, /dev/nvidia0, /dev/nvidiactl`);

      const back = await request(sandbox, 'desktop');
      expect(back.record.outcome).toBe('succeeded');
      const warned = back.record.guards?.verdicts.find((v) => v.code === 'vllm-holder-left');
      expect(warned).toMatchObject({ passed: false, severity: 'soft' });
      expect(warned?.message).toContain(`pid ${engine} (VLLM::EngineCor)`);
      // desktop counts vLLM as stopped only once the survivor is gone
      expect(await alive(sandbox, engine)).toBe(false);
    });
  }, 300_000);

  it("a second session of the desktop user keeps the compositor's user manager alive: compute stops that user's graphical-session.target, and the second session and the user's PipeWire are left alone", async () => {
    await withControllerSandbox({}, async (sandbox) => {
      await sandbox.waitUntil('the compositor runs', async () => (await compositorPid(sandbox)) > 0);
      // like an SSH login: a second PAM session of the same user, text only, no seat; IgnoreOnIsolate as sshd's
      // per-connection process is not stopped by an isolate (sshd.service is wanted by multi-user.target)
      const second = await sandbox.exec([
        'systemd-run', '--unit=second-login', `--uid=${DESKTOP_USER.name}`, '-p', 'IgnoreOnIsolate=yes', '-p', 'PAMName=login', '-E', 'XDG_SESSION_TYPE=tty', '-E', 'XDG_SESSION_CLASS=user', '/usr/bin/sleep', 'infinity',
      ]);
      expect(second.exitCode, describeResult(second)).toBe(0);
      const secondLeader = await mainPid(sandbox, 'second-login.service');
      await sandbox.waitUntil('the second session is registered', async () => (await sandbox.loginctl(['list-sessions', '--no-legend'])).stdout.trim().split('\n').length === 2);
      const ids = (await sandbox.loginctl(['list-sessions', '--no-legend'])).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '');
      const leaders = await Promise.all(ids.map(async (id) => Number((await sandbox.loginctl(['show-session', '--property=Leader', '--value', '--', id])).stdout.trim())));
      const secondSession = ids[leaders.indexOf(secondLeader)] ?? 'none';
      const compositor = await compositorPid(sandbox);
      const userManager = await mainPid(sandbox, `user@${DESKTOP_USER.uid}.service`);
      const pipewire = Number((await sandbox.exec(userSystemctlArgv(['show', '--property=MainPID', '--value', 'pipewire.service']))).stdout.trim());

      const { record } = await request(sandbox, 'compute');
      expect({ outcome: record.outcome, failed: record.firstFailedPredicate }).toEqual({ outcome: 'succeeded', failed: null });
      expect(record.steps.map((s) => s.stepId)).toContain(`stop-user-graphical-session-${DESKTOP_USER.uid}`);
      expect(await alive(sandbox, compositor)).toBe(false);
      expect(observedHolders(sandbox).map((h) => h.command)).toEqual(['node', 'VLLM::EngineCor']);
      // the second session, the user manager it keeps and the user's PipeWire: the same processes as before
      expect(await alive(sandbox, secondLeader)).toBe(true);
      expect((await sandbox.loginctl(['list-sessions', '--no-legend'])).stdout).toContain(secondSession);
      expect(await mainPid(sandbox, `user@${DESKTOP_USER.uid}.service`)).toBe(userManager);
      expect(await alive(sandbox, pipewire)).toBe(true);
    });
  }, 300_000);
});
