// The vLLM stand-in under the real vllm.service and vllm-ready.service: a
// test makes it healthy, slow, engine-dead, never ready, serving another
// model or crashing, and the controller sees each as the state of
// vllm-ready.service (or vllm.service). Like vLLM it is an API server and an
// EngineCore child that holds the GPU node; the engine dies with its API
// server (death pipe), or, as in vllm-project/vllm#55510, survives it.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeResult } from './command.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { bootSandbox, type Sandbox } from './sandbox.ts';
import type { VllmControl } from './stand-ins/control.ts';

describeWhen(sandboxPrerequisites(), 'vLLM stand-in and its readiness unit', () => {
  let sandbox: Sandbox;
  const state = async (unit: string) => (await sandbox.show([unit], ['ActiveState', 'Result'])).get(unit) ?? {};
  const url = (path: string) => `http://127.0.0.1:${sandbox.config.vllm.port}${path}`;
  /** the HTTP status as stdout (curl exits 7 when nothing listens) */
  const curl = (path: string) => sandbox.exec(['curl', '--silent', '--output', '/dev/null', '--write-out', '%{http_code}', url(path)], 10_000);
  const body = async (path: string) => (await sandbox.exec(['curl', '--silent', '--fail', url(path)], 10_000)).stdout;

  async function startWith(control: Partial<VllmControl>): Promise<void> {
    sandbox.setVllm(control);
    const start = await sandbox.systemctl(['start', '--no-block', 'vllm.service']);
    expect(start.exitCode, describeResult(start)).toBe(0);
  }

  beforeAll(async () => {
    // a short stop timeout: the surviving EngineCore ignores SIGTERM until systemd's SIGKILL
    sandbox = await bootSandbox({ vllmReadyTimeout: '6s', dropIns: [{ unit: 'vllm.service', sections: { Service: ['TimeoutStopSec=8s'] } }] });
    expect((await sandbox.systemctl(['isolate', 'compute.target'])).exitCode).toBe(0);
  });
  afterEach(async () => {
    await sandbox.systemctl(['stop', 'vllm.service', 'vllm-ready.service']);
    await sandbox.systemctl(['reset-failed']);
  });
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  it('healthy: readiness turns active; /health answers 200 and /v1/models lists the model', async () => {
    await startWith({ health: 'healthy', readyAfterMs: 0, model: sandbox.config.vllm.model ?? 'unset' });
    await sandbox.waitUntil('vllm-ready.service is active', async () => (await state('vllm-ready.service')).ActiveState === 'active');
    expect((await curl('/health')).stdout).toBe('200');
    expect((await curl('/v1/models')).stdout).toBe('200');
    expect(JSON.parse(await body('/v1/models'))).toMatchObject({ object: 'list', data: [{ id: sandbox.config.vllm.model, object: 'model', owned_by: 'vllm' }] });
  });

  it('slow: nothing listens while the model loads, readiness stays activating, then turns active', async () => {
    await startWith({ health: 'healthy', readyAfterMs: 3_000 });
    await sandbox.waitUntil('vllm.service is active', async () => (await state('vllm.service')).ActiveState === 'active');
    expect((await state('vllm-ready.service')).ActiveState).toBe('activating');
    expect((await curl('/health')).exitCode).toBe(7);
    await sandbox.waitUntil('vllm-ready.service is active', async () => (await state('vllm-ready.service')).ActiveState === 'active');
  });

  it('engine dead: /health answers 503, readiness fails when its start timeout passes', async () => {
    await startWith({ health: 'engine-dead' });
    await sandbox.waitUntil('/health answers', async () => (await curl('/health')).stdout === '503');
    expect((await curl('/v1/models')).stdout).toBe('200');
    await sandbox.waitUntil('vllm-ready.service has failed', async () => (await state('vllm-ready.service')).ActiveState === 'failed', 25_000);
    expect(await state('vllm-ready.service')).toMatchObject({ Result: 'timeout' });
    expect((await state('vllm.service')).ActiveState).toBe('active');
  });

  it('never ready: the server never listens and readiness fails with a timeout', async () => {
    await startWith({ health: 'never-ready' });
    await sandbox.waitUntil('vllm-ready.service has failed', async () => (await state('vllm-ready.service')).ActiveState === 'failed', 25_000);
    expect(await state('vllm-ready.service')).toMatchObject({ Result: 'timeout' });
    expect((await curl('/health')).exitCode).toBe(7);
  });

  it('crashing: vllm.service fails with its exit status and readiness goes down with it', async () => {
    await startWith({ health: 'healthy', exitAfterMs: 1_500, exitCode: 3 });
    await sandbox.waitUntil('vllm.service has failed', async () => (await state('vllm.service')).ActiveState === 'failed');
    expect(await state('vllm.service')).toMatchObject({ Result: 'exit-code' });
    expect((await state('vllm-ready.service')).ActiveState).not.toBe('active');
  });

  it('another model: /health answers 200, but /v1/models lists another name, so readiness fails at once naming it', async () => {
    await startWith({ health: 'healthy', model: 'meta-llama/Llama-3.1-8B-Instruct' });
    await sandbox.waitUntil('vllm-ready.service has failed', async () => (await state('vllm-ready.service')).ActiveState === 'failed');
    expect(await state('vllm-ready.service')).toMatchObject({ Result: 'exit-code' });
    expect((await curl('/health')).stdout).toBe('200');
    expect((await sandbox.exec(['journalctl', '--no-pager', '-u', 'vllm-ready.service'])).stdout).toContain(
      `vLLM serves "meta-llama/Llama-3.1-8B-Instruct", not the configured "${sandbox.config.vllm.model ?? ''}"`,
    );
  });

  /** the /dev/nvidia* paths PID holds open, read from /proc/PID/fd inside */
  const held = async (pid: number) =>
    (await sandbox.exec(['sh', '-c', 'for f in /proc/$1/fd/*; do readlink "$f"; done', 'held', String(pid)])).stdout
      .split('\n')
      .filter((path) => path.startsWith('/dev/nvidia'))
      .sort();
  const mainPid = async () => Number((await sandbox.show(['vllm.service'], ['MainPID'])).get('vllm.service')?.MainPID);
  const engineCore = async (apiServer: number) => Number((await sandbox.exec(['ps', '-o', 'pid=', '--ppid', String(apiServer)])).stdout.trim());
  const comm = async (pid: number) => (await sandbox.exec(['cat', `/proc/${pid}/comm`])).stdout.trim();

  async function readyEngine(control: Partial<VllmControl>): Promise<{ apiServer: number; engine: number }> {
    await startWith({ health: 'healthy', ...control });
    await sandbox.waitUntil('vllm-ready.service is active', async () => (await state('vllm-ready.service')).ActiveState === 'active');
    const apiServer = await mainPid();
    return { apiServer, engine: await engineCore(apiServer) };
  }

  it('the EngineCore child holds the GPU node; the API server only /dev/nvidiactl', async () => {
    const { apiServer, engine } = await readyEngine({});
    expect(await comm(engine)).toBe('VLLM::EngineCor');
    expect(await held(engine)).toEqual(['/dev/nvidia-uvm', '/dev/nvidia0', '/dev/nvidiactl']);
    expect(await held(apiServer)).toEqual(['/dev/nvidiactl']);
  });

  it('a SIGKILLed API server takes its EngineCore with it (the death pipe)', async () => {
    const { engine } = await readyEngine({});
    expect((await sandbox.systemctl(['kill', '--kill-whom=main', '--signal=SIGKILL', 'vllm.service'])).exitCode).toBe(0);
    await sandbox.waitUntil('the EngineCore is gone', async () => (await sandbox.exec(['test', '-e', `/proc/${engine}`])).exitCode !== 0);
    await sandbox.waitUntil('vllm.service has stopped', async () => ['failed', 'inactive'].includes((await state('vllm.service')).ActiveState ?? ''));
  });

  it('vllm#55510: after a SIGKILL of the API server the EngineCore keeps the GPU while the port is free, until systemd SIGKILLs it', async () => {
    const { engine } = await readyEngine({ engineSurvivesParent: true });
    expect((await sandbox.systemctl(['kill', '--kill-whom=main', '--signal=SIGKILL', 'vllm.service'])).exitCode).toBe(0);
    await sandbox.waitUntil('the port is free', async () => (await curl('/health')).exitCode === 7);
    expect(await held(engine)).toEqual(['/dev/nvidia-uvm', '/dev/nvidia0', '/dev/nvidiactl']);
    // systemd stops the rest of the cgroup (KillMode=control-group): SIGTERM, not acted on, then SIGKILL after TimeoutStopSec
    expect(await state('vllm.service')).toMatchObject({ ActiveState: 'deactivating' });
    expect((await sandbox.exec(['journalctl', '--no-pager', '-u', 'vllm.service'])).stdout).toContain('SIGTERM while busy in a CUDA call: not handled');
    await sandbox.waitUntil('the EngineCore is SIGKILLed', async () => (await sandbox.exec(['test', '-e', `/proc/${engine}`])).exitCode !== 0, 20_000);
    expect((await state('vllm.service')).ActiveState).toBe('failed');
  });
});
