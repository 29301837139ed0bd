// Teardown leaves nothing: no process of the sandbox (by the PIDs and the
// cgroup subtree it had, never by name), no cgroup, no folder, and nothing
// outside it touched. Two sandboxes run side by side without seeing each other.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cgroupProcesses } from './cgroup.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { bootSandbox } from './sandbox.ts';
import { isRunning } from './teardown.ts';

describeWhen(sandboxPrerequisites(), 'sandbox teardown and isolation', () => {
  it('two sandboxes side by side each have their own systemd and cgroup; stopping one leaves the other running', async () => {
    const sentinelDir = mkdtempSync(join(tmpdir(), 'dubnium-sentinel-'));
    const sentinel = join(sentinelDir, 'must-survive');
    writeFileSync(sentinel, 'the sandbox must never clean the host /tmp\n');
    const [a, b] = await Promise.all([bootSandbox(), bootSandbox()]);
    try {
      expect(a.cgroup).not.toBe(b.cgroup);
      expect(a.systemdPid).not.toBe(b.systemdPid);
      // a process that systemd starts and one started through nsenter, both meant to outlive nothing
      expect((await a.exec(['systemd-run', '--unit=stray', '--', 'sleep', '1000'])).exitCode).toBe(0);
      const entered = a.exec(['sleep', '1000'], 60_000);
      await a.waitUntil('the stray unit runs', async () => (await a.systemctl(['is-active', 'stray.service'])).stdout.trim() === 'active');
      const pids = cgroupProcesses(a.cgroup);
      expect(pids.length).toBeGreaterThan(5);

      const report = await a.stop();
      expect(report).toEqual({ leftover: [], cgroupRemoved: true, dirRemoved: true, problems: [] });
      expect(pids.filter(isRunning)).toEqual([]);
      expect(isRunning(a.systemdPid)).toBe(false);
      expect(existsSync(a.cgroup)).toBe(false);
      expect(existsSync(a.dir)).toBe(false);
      expect((await entered).exitCode).not.toBe(0);
      expect(await a.stop()).toBe(report);

      expect((await b.systemctl(['is-active', 'display-manager.service'])).stdout.trim()).toBe('active');
      expect(isRunning(b.systemdPid)).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      expect(existsSync(sentinel)).toBe(true);
      rmSync(sentinelDir, { recursive: true, force: true });
    }
    expect(isRunning(b.systemdPid)).toBe(false);
    expect(existsSync(b.cgroup)).toBe(false);
  });

  it('a boot that does not finish in time is torn down completely', async () => {
    const error = await bootSandbox({ bootTimeoutMs: 1 }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/did not boot cleanly|systemd exited/);
    const dir = /\[sandbox (\S+): torn down\]/.exec(error?.message ?? '')?.[1];
    expect(dir).toBeDefined();
    expect(existsSync(dir ?? '/')).toBe(false);
  });

  it('a config the schema refuses is reported before anything starts', async () => {
    const error = await bootSandbox({ config: (c) => ({ ...c, units: { ...c.units, vllm: 'vllm.service;reboot' } }) }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/plain systemd unit name/);
    expect(existsSync(/\[sandbox (\S+):/.exec(error?.message ?? '')?.[1] ?? '/')).toBe(false);
  });
});
