// The fake nvidia-smi follows the sandbox by what holds the stand-in GPU's
// node open: the real X server of the display manager and the compositor (a
// user unit of the desktop user's manager) as G on GPU 0 while the desktop
// runs, vLLM's EngineCore (C) while vllm.service runs, no process otherwise.
// Its output is read with the project's own parsers, the same way the
// controller reads a real GPU.
import { expect, it, beforeAll, afterAll } from 'vitest';
import { computeAppsFromCsv, parseNvidiaCsv } from '../../effects/observe/parsers/nvidia-smi-csv.ts';
import { parseNvidiaSmiXml } from '../../effects/observe/parsers/nvidia-smi-xml.ts';
import type { Gpu } from '../../schemas/facts.ts';
import { describeResult, runCommand } from './command.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { COMPOSITOR_UNIT, userSystemctlArgv } from './desktop-session.ts';
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
  const compositor = async () => Number((await sandbox.exec(userSystemctlArgv(['show', '--property=MainPID', '--value', COMPOSITOR_UNIT]))).stdout.trim());
  /** vLLM's EngineCore: the API server's child */
  const engineCore = async () => Number((await sandbox.exec(['ps', '-o', 'pid=', '--ppid', String(await mainPid('vllm.service'))])).stdout.trim());
  const desktopHolders = async () => {
    await sandbox.waitUntil('the compositor runs', async () => (await compositor()) > 0);
    // started is not yet holding: the compositor opens the GPU node once its node process is up (seconds on a loaded machine)
    const pid = await compositor();
    await sandbox.waitUntil(`the compositor (pid ${pid}) holds the GPU node`, async () => (await processes()).some((p) => p.pid === pid), 30_000);
    return [
      { pid: await mainPid('display-manager.service'), type: 'G' },
      { pid: await compositor(), type: 'G' },
    ].sort((a, b) => a.pid - b.pid);
  };

  it('on the desktop: one GPU driving the display, with the X server and the compositor user unit as G processes', async () => {
    const expected = await desktopHolders();
    const [gpu, ...others] = await gpus();
    expect(others).toEqual([]);
    expect(gpu).toMatchObject({ index: 0, name: 'NVIDIA RTX 4000 SFF Ada Generation', displayActive: true });
    expect(await processes()).toEqual(expected);
    const names = (await gpus())[0]?.processes.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['/usr/bin/Xvfb', 'compositor-stand-in']));
  });

  it('answers the same from outside through the nsenter wrapper', async () => {
    const outside = await runCommand(`${sandbox.outsideBin}/nvidia-smi`, ['--query-gpu=index,display_active', '--format=csv,noheader'], { timeoutMs: 20_000 });
    expect(outside.stdout, describeResult(outside)).toBe('0, Enabled\n');
  });

  it("in compute with vLLM: the display processes are gone and vLLM's EngineCore is the one compute process", async () => {
    expect((await sandbox.systemctl(['isolate', 'compute.target'])).exitCode).toBe(0);
    // the session ends with the display manager; logind stops the user manager (and the compositor) after UserStopDelaySec
    await sandbox.waitUntil('the compositor is gone', async () => (await processes()).length === 0, 30_000);
    expect((await sandbox.systemctl(['start', 'vllm.service'])).exitCode).toBe(0);
    await sandbox.waitUntil('the EngineCore holds the GPU', async () => (await processes()).length > 0);
    const vllm = await engineCore();
    expect(await processes()).toEqual([{ pid: vllm, type: 'C' }]);
    expect((await gpus())[0]?.processes[0]?.name).toBe('VLLM::EngineCore');
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
    const expected = await desktopHolders();
    expect(await processes()).toEqual(expected);
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
