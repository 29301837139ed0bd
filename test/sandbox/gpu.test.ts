// The fake nvidia-smi follows the sandbox: the display server and the
// session's compositor (G) on GPU 0 while the display manager runs, vLLM (C)
// while vllm.service runs, no process otherwise. Its output is read with the
// project's own parsers, the same way the controller reads a real GPU.
import { expect, it, beforeAll, afterAll } from 'vitest';
import { computeAppsFromCsv, parseNvidiaCsv } from '../../effects/observe/parsers/nvidia-smi-csv.ts';
import { parseNvidiaSmiXml } from '../../effects/observe/parsers/nvidia-smi-xml.ts';
import type { Gpu } from '../../schemas/facts.ts';
import { describeResult, runCommand } from './command.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { bootSandbox, type Sandbox } from './sandbox.ts';
import { DRIVER_NOT_LOADED } from './stand-ins/control.ts';

const FAKE = '/run/dubnium-sandbox/bin/nvidia-smi';

describeWhen(sandboxPrerequisites(), 'fake nvidia-smi in the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await bootSandbox();
  });
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  async function gpus(): Promise<Gpu[]> {
    const result = await sandbox.exec([FAKE, '-q', '-x']);
    expect(result.exitCode, describeResult(result)).toBe(0);
    expect(result.stderr).toBe('');
    const parsed = parseNvidiaSmiXml(result.stdout);
    if (!parsed.ok) throw new Error(`the project's parser refuses the fake's XML: ${JSON.stringify(parsed)}`);
    return parsed.value;
  }
  const processes = async () => (await gpus()).flatMap((g) => g.processes.map((p) => ({ pid: p.pid, type: p.type })));
  const mainPid = async (unit: string) => Number((await sandbox.show([unit], ['MainPID'])).get(unit)?.MainPID);
  const sessionLeader = async () => {
    const id = (await sandbox.loginctl(['list-sessions', '--no-legend'])).stdout.trim().split(/\s+/)[0] ?? '';
    return Number((await sandbox.loginctl(['show-session', '--property=Leader', '--value', '--', id])).stdout.trim());
  };

  it('on the desktop: one GPU driving the display, with the display server and the session compositor as G processes', async () => {
    const [gpu, ...others] = await gpus();
    expect(others).toEqual([]);
    expect(gpu).toMatchObject({ index: 0, name: 'NVIDIA RTX 4000 SFF Ada Generation', displayActive: true });
    expect(await processes()).toEqual([
      { pid: await mainPid('display-manager.service'), type: 'G' },
      { pid: await sessionLeader(), type: 'G' },
    ]);
  });

  it('answers the same from outside through the nsenter wrapper', async () => {
    const outside = await runCommand(`${sandbox.outsideBin}/nvidia-smi`, ['--query-gpu=index,display_active', '--format=csv,noheader'], { timeoutMs: 20_000 });
    expect(outside.stdout, describeResult(outside)).toBe('0, Enabled\n');
  });

  it('in compute with vLLM: the display processes are gone and vLLM is the one compute process', async () => {
    expect((await sandbox.systemctl(['isolate', 'compute.target'])).exitCode).toBe(0);
    expect((await sandbox.systemctl(['start', 'vllm.service'])).exitCode).toBe(0);
    const vllm = await mainPid('vllm.service');
    expect(await processes()).toEqual([{ pid: vllm, type: 'C' }]);
    expect((await gpus())[0]?.displayActive).toBe(false);
    const apps = await sandbox.exec([FAKE, '--query-compute-apps=pid,process_name,used_memory', '--format=csv']);
    const table = parseNvidiaCsv(apps.stdout);
    if (!table.ok) throw new Error(`the project's CSV parser refuses the fake's output: ${describeResult(apps)}`);
    const parsedApps = computeAppsFromCsv(table.value);
    expect(parsedApps.ok && parsedApps.value.map((a) => ({ pid: a.pid, usedMemoryMiB: a.usedMemoryMiB }))).toEqual([{ pid: vllm, usedMemoryMiB: 17_900 }]);
  });

  it('with nothing running: no process at all', async () => {
    expect((await sandbox.systemctl(['stop', 'vllm.service'])).exitCode).toBe(0);
    expect(await processes()).toEqual([]);
    const apps = await sandbox.exec([FAKE, '--query-compute-apps=pid,used_memory', '--format=csv,noheader']);
    expect(apps.stdout).toBe('');
  });

  it('back on the desktop: a new display server and a new session, with their new PIDs', async () => {
    expect((await sandbox.systemctl(['isolate', 'desktop.target'])).exitCode).toBe(0);
    await sandbox.waitUntil('the graphical session is back', async () => (await sandbox.loginctl(['list-sessions', '--no-legend'])).stdout.includes('seat0'));
    expect(await processes()).toEqual([
      { pid: await mainPid('display-manager.service'), type: 'G' },
      { pid: await sessionLeader(), type: 'G' },
    ]);
  });

  it('keeps listing a process a test leaves on the GPU, and fails like the real tool when told to', async () => {
    sandbox.setGpu({ extraProcesses: [{ pid: 31337, type: 'G', name: '/usr/bin/stuck-client', usedMiB: 900 }] });
    expect(await processes()).toContainEqual({ pid: 31337, type: 'G' });
    sandbox.setGpu({ failure: DRIVER_NOT_LOADED });
    const failed = await sandbox.exec([FAKE, '-q', '-x']);
    expect({ status: failed.exitCode, stdout: failed.stdout }).toEqual({ status: 9, stdout: DRIVER_NOT_LOADED.stdout });
    sandbox.setGpu({});
  });
});
