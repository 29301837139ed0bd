// Isolating the mode targets, as the controller does from inside its own
// unit: the controller (IgnoreOnIsolate=yes) and sshd survive every switch;
// the graphical session goes with compute.target and comes back with
// desktop.target; vLLM and the overlay refuse to start in the wrong mode.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeResult } from './command.ts';
import { describeWhen, sandboxPrerequisites } from './prerequisites.ts';
import { bootSandbox, withSandbox, type Sandbox } from './sandbox.ts';

// Stands in for the controller inside mode-controller@<mode>.service: the same
// isolate calls, under the unit's full hardening (no capabilities, private
// network, AF_UNIX only), with what it saw written to its runtime folder.
const ISOLATE_AND_BACK = `set -e
trace=/run/mode-controller/trace-$1
systemctl isolate compute.target
systemctl is-active mode-controller@$1.service sshd.service compute.target desktop.target display-manager.service > "$trace.in-compute" || true
systemctl isolate desktop.target
systemctl is-active mode-controller@$1.service sshd.service compute.target desktop.target display-manager.service > "$trace.back" || true
`;
const TRACED = ['controller', 'sshd', 'compute.target', 'desktop.target', 'display-manager'];
const trace = (text: string | null): Record<string, string> => Object.fromEntries((text ?? '').split('\n').filter(Boolean).map((state, i) => [TRACED[i] ?? String(i), state]));

describeWhen(sandboxPrerequisites(), 'isolate between the mode targets', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    // mode-boot.service off: it would start this script at boot, before the test isolates anything
    sandbox = await bootSandbox({ controller: { script: ISOLATE_AND_BACK }, bootProgram: null });
  });
  afterAll(async () => {
    expect((await sandbox?.stop())?.problems).toEqual([]);
  });

  const mainPid = async (unit: string) => (await sandbox.show([unit], ['MainPID'])).get(unit)?.MainPID;

  it('the controller isolates compute.target and back from inside its unit and finishes successfully; sshd keeps its process', async () => {
    const sshdBefore = await mainPid('sshd.service');
    const run = await sandbox.systemctl(['start', 'mode-controller@compute.service'], 60_000);
    expect(run.exitCode, describeResult(run)).toBe(0);
    const unit = (await sandbox.show(['mode-controller@compute.service'], ['Result', 'ExecMainStatus'])).get('mode-controller@compute.service');
    expect(unit).toMatchObject({ Result: 'success', ExecMainStatus: '0' });
    expect(trace(sandbox.readInside('/run/mode-controller/trace-compute.in-compute'))).toEqual({ controller: 'activating', sshd: 'active', 'compute.target': 'active', 'desktop.target': 'inactive', 'display-manager': 'inactive' });
    expect(trace(sandbox.readInside('/run/mode-controller/trace-compute.back'))).toEqual({ controller: 'activating', sshd: 'active', 'compute.target': 'inactive', 'desktop.target': 'active', 'display-manager': 'active' });
    expect(await mainPid('sshd.service')).toBe(sshdBefore);
  });

  it('refuses vLLM in desktop mode without touching the desktop', async () => {
    const start = await sandbox.systemctl(['start', sandbox.config.units.vllm]);
    expect(start.exitCode).not.toBe(0);
    const shown = await sandbox.show([sandbox.config.units.vllm, sandbox.config.units.displayManager, sandbox.config.units.desktopTarget], ['ActiveState']);
    expect([...shown.values()].map((u) => `${u.Id}=${u.ActiveState}`).sort()).toEqual(['desktop.target=active', 'display-manager.service=active', 'vllm.service=inactive']);
  });

  it('in compute mode: the session is gone, vLLM starts and turns ready, the overlay is refused; back on desktop vLLM is stopped', async () => {
    const { units } = sandbox.config;
    const sshdBefore = await mainPid('sshd.service');
    expect((await sandbox.systemctl(['isolate', units.computeTarget])).exitCode).toBe(0);
    expect((await sandbox.loginctl(['list-sessions', '--no-legend'])).stdout.trim()).toBe('');
    const vllm = await sandbox.systemctl(['start', units.vllm]);
    expect(vllm.exitCode, describeResult(vllm)).toBe(0);
    await sandbox.waitUntil('vllm-ready.service is active', async () => (await sandbox.systemctl(['is-active', units.vllmReady])).stdout.trim() === 'active');
    const overlay = await sandbox.systemctl(['start', '--', ...units.studioOverlay]);
    expect(overlay.exitCode).not.toBe(0);
    expect(overlay.stderr).toMatch(/dependency/i);

    expect((await sandbox.systemctl(['isolate', units.desktopTarget])).exitCode).toBe(0);
    const shown = await sandbox.show([units.vllm, units.vllmReady, units.displayManager, units.computeTarget], ['ActiveState']);
    expect(Object.fromEntries([...shown.values()].map((u) => [u.Id, u.ActiveState]))).toEqual({ [units.vllm]: 'inactive', [units.vllmReady]: 'inactive', [units.displayManager]: 'active', [units.computeTarget]: 'inactive' });
    await sandbox.waitUntil('a new graphical session exists', async () => (await sandbox.loginctl(['list-sessions', '--no-legend'])).stdout.includes('seat0'));
    expect(await mainPid('sshd.service')).toBe(sshdBefore);
  });
});

describeWhen(sandboxPrerequisites(), 'without IgnoreOnIsolate (the check can fail)', () => {
  it('the controller is stopped by its own isolate', async () => {
    await withSandbox({ controller: { script: ISOLATE_AND_BACK }, bootProgram: null, dropIns: [{ unit: 'mode-controller@.service', sections: { Unit: ['IgnoreOnIsolate=no'] } }] }, async (sandbox) => {
      const run = await sandbox.systemctl(['start', 'mode-controller@compute.service'], 60_000);
      expect(run.exitCode).not.toBe(0);
      expect(sandbox.readInside('/run/mode-controller/trace-compute.back')).toBeNull();
    });
  });
});
