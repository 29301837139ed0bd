// The vLLM stand-in under the real vllm.service and vllm-ready.service: a
// test makes it healthy, slow, failing, never ready or crashing, and the
// controller sees each as the state of vllm-ready.service (or vllm.service).
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
    sandbox = await bootSandbox({ vllmReadyTimeout: '6s' });
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
    await startWith({ health: 'healthy', readyAfterMs: 0, model: 'Qwen/Qwen2.5-Coder-14B-Instruct' });
    await sandbox.waitUntil('vllm-ready.service is active', async () => (await state('vllm-ready.service')).ActiveState === 'active');
    expect((await curl('/health')).stdout).toBe('200');
    expect((await curl('/v1/models')).stdout).toBe('200');
    expect(JSON.parse(await body('/v1/models'))).toMatchObject({ object: 'list', data: [{ id: 'Qwen/Qwen2.5-Coder-14B-Instruct', object: 'model', owned_by: 'vllm' }] });
  });

  it('slow: nothing listens while the model loads, readiness stays activating, then turns active', async () => {
    await startWith({ health: 'healthy', readyAfterMs: 3_000 });
    await sandbox.waitUntil('vllm.service is active', async () => (await state('vllm.service')).ActiveState === 'active');
    expect((await state('vllm-ready.service')).ActiveState).toBe('activating');
    expect((await curl('/health')).exitCode).toBe(7);
    await sandbox.waitUntil('vllm-ready.service is active', async () => (await state('vllm-ready.service')).ActiveState === 'active');
  });

  it('failing: /health answers 500, readiness fails when its start timeout passes', async () => {
    await startWith({ health: 'failing', failStatus: 500 });
    await sandbox.waitUntil('/health answers', async () => (await curl('/health')).stdout === '500');
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
});
